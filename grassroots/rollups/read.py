"""Answering a figure's cube from the rollups: the whole days the watermark covers from the day rows (from the
month rows where whole months fit the grouping), the partial edges (today so far, a period starting mid-day) and
the days not yet counted from the raw rows, with the same filters. Registered with assessment.figures, which
falls back to the raw rows whenever this returns None.

Before reading, the marks present are folded in (`refresh_all`), so a change committed before the figure was
asked for is in it, exactly as a raw scan would see it.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q, Subquery, Sum
from django.utils import timezone

from grassroots.assessment import figures as fig
from grassroots.assessment.areas import Area
from grassroots.assessment.indicators import COUNTS, Window
from grassroots.core.scope import scope_of

from . import build
from .grain import KIND_COLUMNS, SUMMARY_KINDS, day_start, local_day, month_of, next_month
from .models import RELATIONS, DayCount, DaySummary, Mark, MonthCount, MonthSummary, State

NEWEST_MARK = Mark.objects.order_by("-pk").values("pk")[:1]

# A figure asked "as of" more than this before now is read from the raw rows (the rollups hold the present).
AS_OF_SLACK = dt.timedelta(minutes=1)


def usable(
    relation: str,
    *,
    viewer: Any,
    area: Area,
    spans: list[fig.Span],
    keys: dict[str, Any],
    present: dt.datetime | None = None,
) -> bool:
    if not getattr(settings, "ROLLUPS_READ", True) or relation not in RELATIONS:
        return False
    if len(area.code) not in (0, 6, 9) or not scope_of(viewer).covers(region_code=area.code):
        return False  # a village's figures are small; a viewer who sees part of the area needs its own rows
    for key in keys.values():
        if not (hasattr(key, "pack") or (isinstance(key, str) and key in KIND_COLUMNS)):
            return False
        if isinstance(key, str) and fig.key_expr(relation, key) is None:
            return False
    recent = (present or timezone.now()) - AS_OF_SLACK
    return all(span.window.as_of >= recent for span in spans)


def ready_through(*, limit: int = 5000) -> dt.date | None:
    """The last counted day once the pending marks are folded in; None when there are too many to fold now."""
    state = State.objects.order_by("pk").values("through").annotate(newest=Subquery(NEWEST_MARK)).first()
    if state is None or state["through"] is None:
        return None
    newest = state["newest"]
    if newest is not None:
        build.refresh_all(limit=limit)
        if Mark.objects.filter(pk__lte=newest).exists():
            return None
    return build.through()


def rollup_cube(
    relation: str,
    *,
    viewer: Any,
    area: Area,
    spans: list[fig.Span],
    keys: dict[str, Any],
    present: dt.datetime | None = None,
) -> list[dict[str, Any]] | None:
    """`present`: the moment the rollups are taken to hold (default now; the check passes its start, since a
    check of a large area takes longer than the as-of slack)."""
    if not usable(relation, viewer=viewer, area=area, spans=spans, keys=keys, present=present):
        return None
    last = ready_through()
    if last is None:
        return None
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    wanted: list[str] = []

    def add(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            group = tuple(row[k] for k in keys)
            bucket = merged.setdefault(group, {k: row[k] for k in keys})
            for name, value in row.items():
                if name not in keys:
                    bucket[name] = bucket.get(name, 0) + value

    for span in spans:
        names = [n for n in span.names if COUNTS[n].relation == relation]
        if not names:
            continue
        wanted += [span.prefix + n for n in names]
        w = span.window
        first = local_day(w.start) + (
            dt.timedelta(days=1) if day_start(local_day(w.start)) < w.start else dt.timedelta()
        )
        end = min(local_day(w.end), last + dt.timedelta(days=1))
        edges = [(w.start, w.end)] if first >= end else [(w.start, day_start(first)), (day_start(end), w.end)]
        if first < end:
            add(stored_rows(relation, area, first, end, names, span.prefix, keys, last))
        for start, stop in edges:
            if start < stop:
                part = fig.Span(Window(start=start, end=stop, as_of=w.as_of), names, span.prefix)
                add(fig.raw_cube(relation, viewer=viewer, area=area, spans=[part], keys=keys))
    if not keys:
        return [{n: merged.get((), {}).get(n, 0) for n in wanted}]
    out = []
    for row in merged.values():
        if any(row.get(n) for n in wanted):
            out.append({**dict.fromkeys(wanted, 0), **row})
    return out


def _outside(trend: Any, start: dt.date, end: dt.date) -> bool:
    """Whether the days [start, end) all lie outside the trend's buckets."""
    edges = trend.edges
    return day_start(end) <= edges[0] or day_start(start) >= edges[-1]


def _area_q(area: Area) -> Q:
    return Q(region__startswith=area.code) if area.code else Q()


def stored_rows(
    relation: str,
    area: Area,
    first: dt.date,
    end: dt.date,
    names: list[str],
    prefix: str,
    keys: dict[str, Any],
    last: dt.date,
) -> list[dict[str, Any]]:
    """The counts of the days [first, end) from the day rows, whole months from the month rows: the summary rows
    unless the grouping needs a village or grid."""
    trend = next((k for k in keys.values() if hasattr(k, "pack")), None)
    kinds = {key for key in keys.values() if key is not trend}
    summaries = kinds <= SUMMARY_KINDS and getattr(settings, "ROLLUPS_SUMMARIES", True)
    day_model, month_model = (DaySummary, MonthSummary) if summaries else (DayCount, MonthCount)
    parts: list[tuple[Any, str, dt.date, dt.date]] = []  # (model, date field, from, to)
    month = month_of(first) if first.day == 1 else next_month(first)
    whole = []
    while next_month(month) <= end and next_month(month) - dt.timedelta(days=1) <= last:
        whole.append(month)
        month = next_month(month)
    # A month's row serves a trend by day only when the month lies outside the trend's window (a previous period
    # read beside the current one): every one of its days packs to "outside" alike.
    if whole and (trend is None or trend.monthly or _outside(trend, whole[0], next_month(whole[-1]))):
        parts.append((day_model, "day", first, whole[0]))
        parts.append((month_model, "month", whole[0], next_month(whole[-1])))
        parts.append((day_model, "day", next_month(whole[-1]), end))
    else:
        parts.append((day_model, "day", first, end))
    out = []
    for model, field, start, stop in parts:
        if start >= stop:
            continue
        rows = model.objects.filter(
            _area_q(area), relation=relation, **{f"{field}__gte": start, f"{field}__lt": stop}
        )
        group = {f"k_{name}": KIND_COLUMNS[key] for name, key in keys.items() if key is not trend}
        columns = list(group) + ([field] if trend is not None else [])
        sums = {f"s_{n}": Sum(n) for n in names}
        query = rows.annotate(**group).values(*columns).annotate(**sums).order_by()
        # Read with a plain cursor: the ORM's int() converter on every sum of every row cost more than the query
        # at province scale (thousands of rows × dozens of counts). Columns are found by their names.
        sql, params = query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            at = {column[0]: i for i, column in enumerate(cursor.description)}
            fetched = cursor.fetchall()
        for row in fetched:
            item: dict[str, Any] = {}
            for name, key in keys.items():
                if key is trend:
                    day = row[at[field]]
                    item[name] = trend.pack(day if isinstance(day, dt.date) else dt.date.fromisoformat(day))
                else:
                    item[name] = fig._norm(row[at[f"k_{name}"]])
            item.update({prefix + n: row[at[f"s_{n}"]] or 0 for n in names})
            out.append(item)
    return out
