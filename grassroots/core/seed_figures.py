"""The seeds' figures beside the product's: each platform app registers a function that returns, for every figure
of a seed document it makes computable, the seed's number and the number computed now from the records (with the
same code its pages use). `manage.py seed_figures` prints them side by side."""

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

NO_RECORDS = "无记录"  # the computed column when there is nothing to compute from


class SeedRow(NamedTuple):
    seed: str  # the seed document's id: "000", "002", …
    what: str  # the figure, in words
    seed_value: str  # the seed's number, as the document writes it
    computed: str  # the number computed now from records, or NO_RECORDS
    note: str = ""


RowsFunction = Callable[[], Iterable[SeedRow]]

_sources: list[RowsFunction] = []

HEADINGS = ("种子", "指标", "种子数值", "系统计算", "说明")


def register(rows_fn: RowsFunction) -> None:
    """Register a platform's rows (once: an app's ready() may run more than once)."""
    if rows_fn not in _sources:
        _sources.append(rows_fn)


def registered() -> list[RowsFunction]:
    return list(_sources)


def seed_rows() -> list[SeedRow]:
    """Every registered row, by seed document (the platforms' order within a seed)."""
    rows = [SeedRow(*row) for source in _sources for row in source()]
    return sorted(rows, key=lambda row: row.seed)


def display_width(text: str) -> int:
    """Columns a terminal gives `text`: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def table_text(rows: Iterable[Sequence[str]]) -> str:
    """The rows as an aligned table with Chinese headings (the last column is not padded)."""
    lines = [tuple(HEADINGS), *(tuple(str(cell) for cell in row) for row in rows)]
    widths = [max(display_width(line[i]) for line in lines) for i in range(len(HEADINGS))]
    out = []
    for index, line in enumerate(lines):
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(line[:-1])] + [line[-1]]
        out.append("  ".join(cells).rstrip())
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out) + "\n"
