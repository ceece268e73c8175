"""Further sections of the 执法统计 page: figures computed elsewhere (joint operations, plans and daily reports), each
number with the queryset of the records it counted, shown below the cases' tables and opened by the same kind of
list. A provider is registered once (`register_section`, from the app's registry at start-up) and called on every
page view with the viewer, the area and the period; docs/enforcement-indicators.md says how to write one.

The page does not check a provider's numbers against its records: a provider keeps `value == records.count()` for
every figure that has records (its own tests say so), as the cases' figures do."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from grassroots.assessment.indicators import Window
from grassroots.assessment.periods import CHINA


@dataclass(frozen=True)
class SectionContext:
    """What a provider is given: the viewer, the area (a division code within their scope, "" for all of it and
    its name) and the period's window (China time, half-open; `first`/`last` are its first and last days)."""

    person: Any
    area: str
    area_name: str
    window: Window

    @property
    def first(self) -> dt.date:
        return self.window.start.astimezone(CHINA).date()

    @property
    def last(self) -> dt.date:
        """The last day the window touches (the window ends at midnight after it, or at `as_of`)."""
        if self.window.end <= self.window.start:
            return self.first
        return (self.window.end - dt.timedelta(microseconds=1)).astimezone(CHINA).date()


@dataclass(frozen=True)
class SectionFigure:
    """One number: `key` names it in the section (stable, in the records link: "operations", "unit-12-planned");
    `label` says what it counts (the records list's heading); `text` is what is shown ("12", "85.00%", "—");
    `records` are the records behind it (None: no list)."""

    key: str
    label: str
    text: str
    records: QuerySet[Any] | None = None
    title: str = ""


@dataclass(frozen=True)
class SectionTable:
    caption: str
    headers: list[str]  # the first is the rows' label column
    rows: list[tuple[str, list[SectionFigure]]]


@dataclass(frozen=True)
class Column:
    """How the records list shows one record: a header and a function giving the text of its cell."""

    header: str
    text: Callable[[Any], str]


@dataclass(frozen=True)
class Section:
    tables: list[SectionTable]
    note: str = ""
    definitions: list[tuple[str, str]] = field(default_factory=list)  # (label, definition), shown folded

    def figure(self, key: str) -> SectionFigure | None:
        for table in self.tables:
            for _, figures in table.rows:
                for f in figures:
                    if f.key == key:
                        return f
        return None


@dataclass(frozen=True)
class SectionProvider:
    """A further section: `code` is its part of the records URL (/enforcement/figures/sections/<code>/), `build`
    computes its tables for one page view, `columns` and `record_url` show its records."""

    code: str
    title: str
    build: Callable[[SectionContext], Section]
    columns: list[Column]
    record_url: Callable[[Any], str | None] = lambda record: None
    order: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda rows: rows


# The extension point: the providers shown, in this order, below the cases' figures.
SECTIONS: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> None:
    """Add (or replace, by code) a section of the page."""
    SECTIONS[:] = [p for p in SECTIONS if p.code != provider.code] + [provider]


def section_of(code: str) -> SectionProvider | None:
    return next((p for p in SECTIONS if p.code == code), None)
