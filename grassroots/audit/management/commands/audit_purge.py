"""Delete audit rows older than the retention period; refuses anything shorter than six months."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.audit.services import RetentionTooShort, audit_purge


class Command(BaseCommand):
    help = "删除超过保留期的审计记录（至少保留六个月，少于此拒绝执行）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--keep-days", type=int, default=settings.AUDIT_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = audit_purge(actor=None, keep_days=options["keep_days"])
        except RetentionTooShort as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已删除 {deleted} 条审计记录。")
