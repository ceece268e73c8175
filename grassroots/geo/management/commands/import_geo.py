"""`manage.py import_geo divisions|grids FILE`: load divisions or grids from GeoJSON or CSV, all or nothing."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.geo.importers import FORMATS, import_divisions, import_grids
from grassroots.geo.services import GeoValidationError

WHAT = {"divisions": ("区划", import_divisions), "grids": ("网格", import_grids)}


class Command(BaseCommand):
    help = "导入行政区划或网格（GeoJSON 或 CSV）。文件有任何问题则整体拒绝，不写入任何数据，并列出全部问题。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=sorted(WHAT), help="divisions（区划）或 grids（网格）")
        parser.add_argument("file", help="GeoJSON 或 CSV 文件（UTF-8）")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, help="文件格式；默认按扩展名判断")
        parser.add_argument("--actor", help="操作人用户名，记入审计日志；默认“系统”")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(
        self, *args: Any, what: str, file: str, fmt: str | None, actor: str | None, **options: Any
    ) -> None:
        noun, run = WHAT[what]
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        person = None
        if actor:
            person = get_user_model().objects.filter(username=actor).first()
            if person is None:
                raise CommandError(f"找不到操作人“{actor}”")
        dry_run = bool(options["dry_run"])
        try:
            summary = run(actor=person, path=path, fmt=fmt, dry_run=dry_run)
        except GeoValidationError as exc:
            lines = "\n".join(f"  {error}" for error in exc.errors)
            raise CommandError(
                f"{noun}文件“{path.name}”被拒绝，未导入任何数据。共 {len(exc.errors)} 个问题：\n{lines}"
            ) from None
        counts = f"新增 {summary.created} 个，更新 {summary.updated} 个，未变 {summary.unchanged} 个，共 {summary.total} 个"
        if dry_run:
            self.stdout.write(self.style.SUCCESS(f"{noun}文件“{path.name}”检查通过（未写入）：将{counts}。"))
        else:
            self.stdout.write(self.style.SUCCESS(f"{noun}导入完成（{path.name}）：{counts}。"))
