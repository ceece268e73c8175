"""Restore an archive made by `manage.py backup`: checked first, then counted and the audit chain verified."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from grassroots.core.backup import backup_restore
from grassroots.core.errors import DomainError


class Command(BaseCommand):
    help = "从备份归档恢复数据库与上传文件；先核对清单与校验值，恢复后复核各表行数与审计链。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path, help="manage.py backup 生成的 .tar 文件")
        parser.add_argument("--yes", action="store_true", help="当前数据库不是空的时，确认用备份覆盖它")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_restore(archive=options["archive"], replace=options["yes"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        made = timezone.localtime(dt.datetime.fromisoformat(report.created_at))
        self.stdout.write(
            f"已恢复 {made:%Y-%m-%d %H:%M:%S} 的备份：{report.tables} 张表，共 {report.rows} 行。"
        )
        for line in report.count_mismatches[:20]:
            self.stderr.write(line)
        for line in report.audit_problems[:20]:
            self.stderr.write(line)
        if report.count_mismatches:
            raise CommandError(f"恢复后的行数与备份清单不符（{len(report.count_mismatches)} 张表）。")
        self.stdout.write("各表行数与备份清单一致。")
        if report.audit_problems:
            raise CommandError(f"审计日志核验失败，第一个问题：{report.audit_problems[0]}")
        self.stdout.write("审计日志核验通过。")
