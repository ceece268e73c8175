"""Write the API's OpenAPI document to docs/openapi.json; with --check, fail when the committed file is stale.

The document is committed so that API changes show up in review; CI runs `export_openapi --check`.
"""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def openapi_document() -> str:
    """The document as committed: sorted keys, two-space indent, Chinese kept readable, final newline."""
    from config.api import api

    schema = api.get_openapi_schema()
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


class Command(BaseCommand):
    help = "导出 API 的 OpenAPI 文档到 docs/openapi.json；--check 只检查文件是否最新（不一致时退出码非零）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="只比较，不写文件")
        parser.add_argument(
            "--path", type=Path, default=DEFAULT_PATH, help="文件路径（默认 docs/openapi.json）"
        )

    def handle(self, *args: Any, check: bool = False, path: Path = DEFAULT_PATH, **options: Any) -> None:
        document = openapi_document()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != document:
                raise CommandError(
                    f"{path} 与当前 API 不一致，请运行 `manage.py export_openapi` 并提交更新后的文件"
                )
            self.stdout.write(f"{path} 是最新的")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(f"已写入 {path}")
