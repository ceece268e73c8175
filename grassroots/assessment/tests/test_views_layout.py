"""The assessment pages' modules import only `common` from their own package, so no two of them import each other."""

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parent.parent / "views"


def test_page_modules_share_helpers_through_common_only():
    for module in VIEWS.glob("*.py"):
        if module.name == "__init__.py":
            continue
        imported = {
            node.module
            for node in ast.walk(ast.parse(module.read_text()))
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }
        assert imported <= {"common"}, f"{module.name} imports {sorted(imported - {'common'})}"
