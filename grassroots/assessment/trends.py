"""Trends and hot spots: events counted into time buckets (days, weeks, months) and onto places, in one grouped
query each; the bucket of a row is found in SQL (width_bucket on PostgreSQL, a balanced CASE elsewhere)."""

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Case, Count, F, Func, IntegerField, Q, Value, When

from . import indicators as ind
from .choices import PeriodKind
from .figures import Area, Span, as_of_default, cube, scoped_events
from .indicators import Relation, Window, window_of
from .periods import Period


class WidthBucket(Func):
    """PostgreSQL's width_bucket(value, thresholds[]): the position of a timestamp among ascending edges, found
    by binary search in C, far cheaper per row than any CASE. 0 below the first edge (or null), len(edges) at or
    above the last."""

    output_field = IntegerField()

    def __init__(self, field_name: str, edges: list[dt.datetime]) -> None:
        self.edges = edges
        super().__init__(F(field_name))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: Any = None,
        template: Any = None,
        arg_joiner: Any = None,
        **extra_context: Any,
    ) -> Any:
        raise NotImplementedError("width_bucket is PostgreSQL's; bucket_position builds a CASE elsewhere")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.edges))
        return f"COALESCE(width_bucket({sql}, ARRAY[{marks}]::timestamptz[]), 0)", [*params, *self.edges]


def bucket_edges(buckets: list[Period], window: Window | None = None) -> list[dt.datetime]:
    """Ascending edges: the start of each bucket that begins inside the window, then the window's end."""
    end = buckets[-1].end if window is None else min(buckets[-1].end, max(window.end, buckets[0].start))
    starts = [b.start for b in buckets if b.start < end] or [buckets[0].start]
    return [*starts, end]


def bucket_position(field_name: str, edges: list[dt.datetime]) -> Any:
    """1-based position of `field_name` among the buckets bounded by `edges`; 0 when null, before the first
    edge or at/after the last. width_bucket on PostgreSQL; elsewhere a balanced tree of CASEs (log₂ n
    comparisons per row rather than n/2, which matters for the 31 days of a month)."""
    if connection.vendor == "postgresql":
        return WidthBucket(field_name, edges)

    def tree(low: int, high: int) -> Any:  # positions low..high; position i spans edges[i-1] .. edges[i]
        if low == high:
            return Value(low)
        middle = (low + high + 1) // 2
        return Case(
            When(**{f"{field_name}__lt": edges[middle - 1]}, then=tree(low, middle - 1)),
            default=tree(middle, high),
            output_field=IntegerField(),
        )

    return Case(
        When(**{f"{field_name}__isnull": True}, then=Value(0)),
        When(**{f"{field_name}__lt": edges[0]}, then=Value(0)),
        When(**{f"{field_name}__gte": edges[-1]}, then=Value(0)),
        default=tree(1, len(edges) - 1),
        output_field=IntegerField(),
    )


TREND_FIELDS = ("reported_at", "closed_at", "due_at")


def trend_key(buckets: list[Period], window: Window) -> Any:
    """The buckets of the reporting, closing and due moments packed into one integer.

    One grouping key instead of three: the planner estimates the groups of one expression sanely (it multiplies
    its guesses for three and then sorts 400,000 rows instead of hashing a few hundred groups)."""
    edges = bucket_edges(buckets, window)
    base = len(buckets) + 2
    key: Any = Value(0)
    for field_name in TREND_FIELDS:
        key = key * Value(base) + bucket_position(field_name, edges)
    return key


@dataclass(frozen=True)
class TrendKey:
    """The trend's grouping key, symbolically: the raw scan packs three bucket positions per row (`trend_key`);
    a row counted for one day (a rollup) has its counts in that day's bucket for all three moments (`pack`)."""

    buckets: tuple[Period, ...]
    window: Window

    def expression(self) -> Any:
        return trend_key(list(self.buckets), self.window)

    @property
    def monthly(self) -> bool:
        """Whether each bucket is a calendar month (clipped at the period's ends), so a month's rows fit one."""
        return all(b.kind == PeriodKind.MONTH for b in self.buckets)

    @cached_property
    def edges(self) -> list[dt.datetime]:
        return bucket_edges(list(self.buckets), self.window)

    def pack(self, day: dt.date) -> str:
        """The packed key of a row counted on `day` (as the raw scan would normalise it)."""
        edges = self.edges
        position = 0
        moment = dt.datetime.combine(day, dt.time(), tzinfo=edges[0].tzinfo)
        if edges[0] <= moment < edges[-1]:
            position = next(i for i in range(1, len(edges)) if moment < edges[i])
        base = len(self.buckets) + 2
        return str((position * base + position) * base + position)


def trend_unpack(key: Any, buckets: list[Period]) -> tuple[int, int, int]:
    """(reported, closed, due) bucket indexes of a packed key; −1 where the moment is outside the window."""
    count = len(buckets)
    value = int(key)
    positions = []
    for _ in TREND_FIELDS:
        value, position = divmod(value, count + 2)
        positions.append(position - 1 if 1 <= position <= count else -1)
    due, closed, reported = positions
    return reported, closed, due


def trend_cube(
    *, viewer: Any, area: Area, period: Period, as_of: dt.datetime | None = None
) -> tuple[list[Period], dict[str, list[int]]]:
    """Per bucket of the period (months of a year, weeks of a quarter, days of a month or week): reported,
    closed, due to close and closed on time, by the same definitions as the indicators. One scan grouped by three
    CASE expressions at once (the bucket of the reporting, closing and due moments)."""
    as_of = as_of_default(as_of)
    buckets = period.buckets()
    window = window_of(period.start, period.end, as_of)
    rows = cube(
        Relation.EVENT,
        viewer=viewer,
        area=area,
        spans=[Span(window, ["reported", "closed", "due_close", "closed_on_time"])],
        keys={"trend": TrendKey(tuple(buckets), window)},
    )
    series = {name: [0] * len(buckets) for name in ("reported", "closed", "due_close", "closed_on_time")}
    for row in rows:
        rb, cb, db = trend_unpack(row["trend"], buckets)
        for name, index in (("reported", rb), ("closed", cb), ("due_close", db), ("closed_on_time", db)):
            if index >= 0:
                series[name][index] += row[name]
    return buckets, series


def hotspot_counts(
    *,
    viewer: Any,
    area: Area,
    period: Period,
    type_code: str = "",
    as_of: dt.datetime | None = None,
) -> dict[int | None, int]:
    """Events reported in the period per grid (of one major or minor type when given); key None counts those in
    no grid (a call with no place, a township-level matter), which a map cannot show but the totals include."""
    window = window_of(period.start, period.end, as_of_default(as_of))
    events = scoped_events(viewer, area).filter(ind._in("reported_at", window))
    if type_code:
        events = events.filter(Q(event_type__code=type_code) | Q(event_type__parent__code=type_code))
    rows = events.order_by().values("grid_id").annotate(n=Count("pk"))
    return {row["grid_id"]: row["n"] for row in rows}
