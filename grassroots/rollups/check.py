"""The proof that a figure from the rollups equals the figure from the raw rows: every count of every relation,
for the whole area and grouped by every subject kind the rollups keep, and the trend by day; the first difference
is named (relation, grouping, subject, count, both values)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from grassroots.assessment import figures as fig
from grassroots.assessment.areas import Area
from grassroots.assessment.count_filters import EVENT_WINDOW_FIELD
from grassroots.assessment.indicators import Relation, window_of
from grassroots.assessment.periods import Period
from grassroots.assessment.trends import TrendKey, trend_unpack

from .grain import KIND_COLUMNS, SYSTEM, names_of
from .models import RELATIONS
from .read import rollup_cube

PREVIOUS = "prev_"


class NotReady(Exception):
    """The rollups cannot answer (never built, or too many changes pending)."""


@dataclass(frozen=True)
class Difference:
    relation: str
    grouping: str
    subject: str
    count: str
    rollup: int
    raw: int

    def __str__(self) -> str:
        return (
            f"{self.relation} 按 {self.grouping} 分组，{self.subject or '合计'} 的 {self.count}："
            f"汇总 {self.rollup}，原始 {self.raw}"
        )


def _by_group(rows: list[dict[str, Any]], keys: list[str]) -> dict[tuple[Any, ...], dict[str, int]]:
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in rows:
        group = tuple(row[k] for k in keys)
        bucket = out.setdefault(group, {})
        for name, value in row.items():
            if name not in keys and value:
                bucket[name] = bucket.get(name, 0) + value
    return {k: v for k, v in out.items() if v}


def trend_series(rows: list[dict[str, Any]], key: TrendKey) -> list[dict[str, Any]]:
    """Rows keyed by packed trend positions, as one row per (bucket, moment) for the counts windowed on that
    moment: the dashboard reads the trend so (counts on the registration moment are in no trend)."""
    out = []
    for row in rows:
        positions = dict(
            zip(
                ("reported_at", "closed_at", "due_at"),
                trend_unpack(row["trend"], list(key.buckets)),
                strict=True,
            )
        )
        for name, value in row.items():
            if name.startswith(PREVIOUS):  # a previous period read beside the trend: its totals
                out.append({"trend": "previous period", name: value})
                continue
            field = EVENT_WINDOW_FIELD.get(name, "reported_at")
            if name != "trend" and field in positions and positions[field] >= 0:
                out.append({"trend": f"{field}:{positions[field]}", name: value})
    return out


def groupings(relation: str, period: Period, window: Any) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [("total", {})]
    out += [
        (str(kind), {"subject": kind}) for kind in KIND_COLUMNS if fig.key_expr(relation, kind) is not None
    ]
    if relation == Relation.EVENT:
        out.append(("trend", {"trend": TrendKey(tuple(period.buckets()), window)}))
    return out


def compare(*, period: Period, area: Area, now: dt.datetime | None = None) -> list[Difference]:
    """Every difference between the rollups and the raw rows for the period and area (empty: they agree)."""
    now = now or timezone.now()
    window = window_of(period.start, period.end, now)
    before = window_of(period.previous().start, period.previous().end, now)
    differences = []
    for relation in RELATIONS:
        spans = [fig.Span(window, names_of(relation))]
        for label, keys in groupings(relation, period, window):
            these = spans
            if label == "trend":  # as the dashboard reads it: with the previous period beside it
                these = [*spans, fig.Span(before, names_of(relation), PREVIOUS)]
            stored = rollup_cube(relation, viewer=SYSTEM, area=area, spans=these, keys=keys, present=now)
            if stored is None:
                raise NotReady("日汇总尚未建立，或待汇总的变更过多")
            raw = fig.raw_cube(relation, viewer=SYSTEM, area=area, spans=these, keys=keys)
            if label == "trend":
                stored, raw = trend_series(stored, keys["trend"]), trend_series(raw, keys["trend"])
            got, want = _by_group(stored, list(keys)), _by_group(raw, list(keys))
            for group in sorted(set(got) | set(want), key=str):
                a, b = got.get(group, {}), want.get(group, {})
                for name in sorted(set(a) | set(b)):
                    if a.get(name, 0) != b.get(name, 0):
                        subject = "/".join(str(g) for g in group)
                        differences.append(
                            Difference(relation, label, subject, name, a.get(name, 0), b.get(name, 0))
                        )
    return differences
