"""A choice's label in the current language, from a table made once per language and choices class.

`get_FOO_display` hashes every lazy label of the field's choices on each call; on a list of a few hundred rows that
was a third of the answer's time (BENCHMARKS.md, the enforcement case list)."""

from typing import Any

from django.utils import translation

_TABLES: dict[tuple[str, type], dict[str, str]] = {}


def choice_label(choices: Any, value: str) -> str:
    key = (translation.get_language() or "", choices)
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = {v: str(text) for v, text in choices.choices}
    return table.get(value, value)
