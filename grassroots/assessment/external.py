"""Counts whose rows live in another app (a relation the assessment does not scan itself): the app registers, when
Django starts, how to count its rows per unit subject and how to list the rows behind a figure, so the assessment
names no other workflow and a figure still opens exactly the rows it counted.

A source answers for one relation of `indicators.Relation` (its counts are declared in `indicators.COUNTS` like any
other) and is asked with the window and the area's code (the area is already inside the viewer's scope).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .choices import SubjectKind
from .indicators import Window


@dataclass(frozen=True)
class ExternalSource:
    relation: str
    # (window, area code) -> {unit subject key: count}
    counts: Callable[[Window, str], dict[str, int]]
    # (window, area code, unit subject key or None for the whole area) -> the rows counted, in list order
    rows: Callable[[Window, str, str | None], Iterable[Any]]
    columns: tuple[str, ...]
    values: Callable[[Any], list[str]]  # one row's cells, the first one linked
    url: Callable[[Any], str]
    kinds: frozenset[str] = frozenset({SubjectKind.UNIT})


_SOURCES: dict[str, ExternalSource] = {}


def register_external_source(source: ExternalSource) -> None:
    _SOURCES[source.relation] = source


def external_source(relation: str) -> ExternalSource | None:
    return _SOURCES.get(relation)


def external_counts(
    relation: str, *, window: Window, area_code: str, kind: str | None, names: Iterable[str]
) -> dict[str | None, dict[str, int]]:
    """The counts of one external relation by subject key (kind None: the area's total under the key None); every
    name in `names` is this relation's one count. Nothing when no app registered the relation."""
    source = _SOURCES.get(relation)
    names = list(names)
    if source is None or not names or (kind is not None and kind not in source.kinds):
        return {}
    by_key = source.counts(window, area_code)
    if kind is None:
        total = sum(by_key.values())
        return {None: dict.fromkeys(names, total)}
    return {key: dict.fromkeys(names, n) for key, n in by_key.items()}
