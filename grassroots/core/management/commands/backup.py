"""Back up the database and the uploaded files into one archive (grassroots/core/backup.py)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from grassroots.core.backup import backup_create
from grassroots.core.errors import DomainError


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个归档（tar），附清单：迁移、各表行数、各文件校验值。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", type=Path, default=None, help="归档写入的目录（默认 <GRASSROOTS_VAR_DIR>/backups）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"] or Path(settings.VAR_DIR) / "backups"
        try:
            archive = backup_create(output_dir=output)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"备份完成：{archive}（{archive.stat().st_size} 字节）")
