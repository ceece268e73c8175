"""Write the API's OpenAPI document to docs/openapi.json and Open311's to docs/open311-openapi.json; with --check,
fail when a committed file is stale.

The documents are committed so that API changes show up in review; CI runs `export_openapi --check`.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"
OPEN311_PATH = Path(settings.BASE_DIR) / "docs" / "open311-openapi.json"


def _committed_form(schema: Any) -> str:
    """Sorted keys, two-space indent, Chinese kept readable, final newline."""
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False, default=str) + "\n"


def openapi_document() -> str:
    from config.api import api

    return _committed_form(api.get_openapi_schema())


def open311_openapi_document() -> str:
    from grassroots.open311.openapi import open311_document

    return _committed_form(open311_document())


class Command(BaseCommand):
    help = (
        "导出 API 与 Open311 的 OpenAPI 文档到 docs/；--check 只检查文件是否最新（不一致时退出码非零）；"
        "--path 只导出 API 的文档到该路径"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--check", action="store_true", help="只比较，不写文件")
        parser.add_argument("--path", type=Path, default=None, help="API 文档的路径（给出时只处理 API 文档）")

    def handle(self, *args: Any, check: bool = False, path: Path | None = None, **options: Any) -> None:
        documents: list[tuple[Path, Callable[[], str]]] = [(path or DEFAULT_PATH, openapi_document)]
        if path is None:
            documents.append((OPEN311_PATH, open311_openapi_document))
        for target, build in documents:
            document = build()
            if check:
                current = target.read_text(encoding="utf-8") if target.exists() else ""
                if current != document:
                    raise CommandError(
                        f"{target} 与当前接口不一致，请运行 `manage.py export_openapi` 并提交更新后的文件"
                    )
                self.stdout.write(f"{target} 是最新的")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
            self.stdout.write(f"已写入 {target}")
