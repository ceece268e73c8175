"""Writing the rollups: every cell (township × day) is counted by the same SQL as the figures (figures.raw_cube), so
a sum of cells equals the figure from the raw rows by construction.

- `advance` counts the days that ended since the watermark (the timer worker runs it every tick; a first run
  counts the whole history, a week of days per transaction).
- `refresh` folds in the marks the triggers wrote: for each marked event, the cells it was counted in before
  (the old timestamps on the marks) and the cells it counts in now (its rows as they are) are counted again.
- `rebuild` starts again from nothing.

All three hold one lock (an advisory lock on PostgreSQL; on SQLite every write transaction is exclusive), so a
cell is never counted from a state older than one already written.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Max, Min, Model, QuerySet, Sum
from django.utils import timezone

from grassroots.assessment import figures as fig
from grassroots.assessment.areas import Area
from grassroots.events.choices import Status
from grassroots.events.models import Assignment, Event, EventType, SupervisionOrder, Transition
from grassroots.workcal.calendar import get_calendar

from .grain import (
    REGION_DIGITS,
    SYSTEM,
    day_window,
    grain_keys,
    local_day,
    month_of,
    names_of,
    next_month,
)
from .models import RELATIONS, DayCount, DaySummary, Mark, MonthCount, MonthSummary, State

LOCK_KEY = 7_220_301  # the advisory lock's number on PostgreSQL
DAYS_PER_QUERY = 7
DAYS_PER_TICK = (
    28  # a worker catching up on a long history counts four weeks a tick, then does its other jobs
)
Cell = tuple[str, dt.date]
T = TypeVar("T")


@contextmanager
def exclusive() -> Iterator[None]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        yield


def _state() -> State:
    state = State.objects.order_by("pk").first()
    return state if state is not None else State.objects.create()


def through() -> dt.date | None:
    return State.objects.order_by("pk").values_list("through", flat=True).first()


# -- counting cells --------------------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def count_days(area_code: str, days: list[dt.date], now: dt.datetime) -> list[DayCount]:
    """The rows of every cell of the area on `days`, counted from the raw rows as of `now`."""
    out = []
    for relation in RELATIONS:
        names = names_of(relation)
        spans = [fig.Span(day_window(day, now), names, f"d{i}_") for i, day in enumerate(days)]
        rows = fig.raw_cube(
            relation, viewer=SYSTEM, area=Area(area_code, ""), spans=spans, keys=grain_keys(relation)
        )
        for row in rows:
            keys = {
                "region": row["region"] or "",
                "township_id": _int(row.get("township_id")),
                "village_id": _int(row.get("village_id")),
                "grid_id": _int(row.get("grid_id")),
                "platform": row.get("platform"),
                "unit_id": _int(row.get("unit_id")),
            }
            for i, day in enumerate(days):
                counts = {n: row.get(f"d{i}_{n}", 0) for n in names}
                if any(counts.values()):
                    out.append(DayCount(relation=relation, day=day, **keys, **counts))
    return out


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def recount_cells(cells: Iterable[Cell], now: dt.datetime) -> int:
    """Count the cells again (township × day) and the whole months they fall in."""
    by_region: dict[str, set[dt.date]] = defaultdict(set)
    for region, day in cells:
        by_region[region].add(day)
    months: set[tuple[str, dt.date]] = set()
    for region, days in by_region.items():
        for chunk in _chunks(sorted(days), DAYS_PER_QUERY):
            rows = [r for r in count_days(region, chunk, now) if r.region == region]
            write_days(rows, region=region, day__in=chunk)
        months |= {(region, month_of(day)) for day in days}
    recount_months(months)
    return sum(len(days) for days in by_region.values())


def recount_months(months: Iterable[tuple[str | None, dt.date]]) -> None:
    """Month rows are the sums of their day rows, kept for the months that have ended and been counted."""
    last = through()
    for region, month in months:
        end = next_month(month)
        if last is None or end - dt.timedelta(days=1) > last:
            continue
        where = {"region": region} if region is not None else {}
        for day_model, month_model in ((DayCount, MonthCount), (DaySummary, MonthSummary)):
            days = day_model.objects.filter(day__gte=month, day__lt=end, **where)
            rows = grouped(days, month_model, month=month)
            month_model.objects.filter(month=month, **where).delete()
            month_model.objects.bulk_create(rows, batch_size=500)


def write_days(rows: list[DayCount], **where: Any) -> None:
    """Replace the day rows the filter selects with `rows`, and their summaries with the sums of `rows`."""
    DayCount.objects.filter(**where).delete()
    DayCount.objects.bulk_create(rows, batch_size=1000)
    DaySummary.objects.filter(**where).delete()
    DaySummary.objects.bulk_create(grouped(DayCount.objects.filter(**where), DaySummary), batch_size=1000)


def count_fields(model: type[Model]) -> list[str]:
    """The count columns of a rollup model (its plain integer fields; also for a migration's historical model)."""
    return [f.name for f in model._meta.concrete_fields if f.get_internal_type() == "IntegerField"]


def grouped(rows: QuerySet, model: type[Model], **fixed: Any) -> list[Any]:
    """`rows` summed into `model`'s rows: grouped by the keys `model` has (its relation, region, grain and day,
    unless `fixed` gives a value, e.g. the month), every count summed."""
    names = count_fields(model)
    keys = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in names and f.name != "id" and f.name not in fixed
    ]
    sums = rows.values(*keys).annotate(**{f"s_{n}": Sum(n) for n in names}).order_by()
    return [
        model(**fixed, **{k: row[k] for k in keys}, **{n: row[f"s_{n}"] or 0 for n in names}) for row in sums
    ]


# -- the cells an event is counted in --------------------------------------------------------------------------


def _verify_days(at: dt.datetime, hours: int) -> list[dt.date]:
    """From the start's day to the day its verification falls due (the verification counts are windowed on the
    deadline: start + the type's working hours)."""
    try:
        due = get_calendar().add_working_seconds(at, int(hours) * 3600)
    except ValueError:  # outside the calendar's years: the window falls back to the start itself
        due = at
    first, last = local_day(at), local_day(max(due, at))
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def current_cells(event_ids: set[int]) -> tuple[set[Cell], dict[int, str]]:
    """The cells the events' rows count in now, and each event's township."""
    cells: set[Cell] = set()
    regions: dict[int, str] = {}
    moments = ("reported_at", "registered_at", "closed_at", "due_at")
    for row in Event.objects.filter(pk__in=event_ids).values("pk", "region_code", *moments):
        region = regions[row["pk"]] = row["region_code"][:REGION_DIGITS]
        cells |= {(region, local_day(row[m])) for m in moments if row[m] is not None}

    def add(event_id: int, moment: dt.datetime | None) -> None:
        if moment is not None and event_id in regions:
            cells.add((regions[event_id], local_day(moment)))

    tasks = Assignment.objects.filter(event_id__in=event_ids)
    for row in tasks.values("event_id", "dispatched_at", "deadline", "fed_back_at"):
        for m in ("dispatched_at", "deadline", "fed_back_at"):
            add(row["event_id"], row[m])
    for row in SupervisionOrder.objects.filter(event_id__in=event_ids).values("event_id", "issued_at"):
        add(row["event_id"], row["issued_at"])
    steps = Transition.objects.filter(event_id__in=event_ids, action__in=["reopen", "verify"])
    for row in steps.values("event_id", "action", "to_status", "at", "event__event_type__verify_hours"):
        add(row["event_id"], row["at"])
        if row["action"] == "verify" and row["to_status"] == Status.VERIFYING and row["event_id"] in regions:
            hours = row["event__event_type__verify_hours"] or 0
            cells |= {(regions[row["event_id"]], day) for day in _verify_days(row["at"], hours)}
    return cells, regions


def earlier_cells(marks: list[dict[str, Any]], regions: dict[int, str]) -> set[Cell]:
    """The cells the marked events were counted in before: the timestamps each change overwrote."""
    cells: set[Cell] = set()
    longest = max(EventType.objects.values_list("verify_hours", flat=True), default=0) or 0
    for mark in marks:
        region = (mark["region"] or regions.get(mark["event_id"]) or "")[:REGION_DIGITS]
        for name in ("t1", "t2", "t3", "t4"):
            moment = mark[name]
            if moment is None:
                continue
            cells.add((region, local_day(moment)))
            if mark["kind"] == "t":  # a deleted step: it may have been a verification start
                cells |= {(region, day) for day in _verify_days(moment, longest)}
    return cells


# -- the three operations ---------------------------------------------------------------------------------------


def advance(
    *,
    now: dt.datetime | None = None,
    progress: Callable[[dt.date], None] | None = None,
    max_days: int | None = None,
) -> int:
    """Count the days that ended since the watermark, a few at a time, each batch in its own transaction (at most
    `max_days` in this call: the timer worker catches up on a long history a few weeks per tick)."""
    now = now or timezone.now()
    target = local_day(now) - dt.timedelta(days=1)
    counted = 0
    while max_days is None or counted < max_days:
        with exclusive():
            state = _state()
            last = state.through
            if last is None:
                first = Event.objects.aggregate(first=Min("reported_at"))["first"]
                last = (local_day(first) if first else target) - dt.timedelta(days=1)
            if last >= target:
                if state.through is None:
                    state.through = last
                    state.save(update_fields=["through"])
                return counted
            days = [last + dt.timedelta(days=i) for i in range(1, DAYS_PER_QUERY + 1)]
            days = [d for d in days if d <= target]
            write_days(count_days("", days, now), day__in=days)
            state.through = days[-1]
            state.save(update_fields=["through"])
            ended = {month_of(d) for d in days if next_month(month_of(d)) - dt.timedelta(days=1) in days}
            recount_months((None, month) for month in sorted(ended))
            counted += len(days)
        if progress is not None:
            progress(days[-1])
    return counted


def refresh(*, events: int = 500, now: dt.datetime | None = None) -> int:
    """Fold in the oldest marks (up to `events` events, with every mark of theirs): count their cells again and
    drop the marks. Returns the number of events folded in."""
    now = now or timezone.now()
    with exclusive():
        head = Mark.objects.order_by("pk").values_list("event_id", flat=True)[: events * 4]
        event_ids = set(list(dict.fromkeys(head))[:events])
        if not event_ids:
            return 0
        marks: list[dict[str, Any]] = [dict(m) for m in Mark.objects.filter(event_id__in=event_ids).values()]
        last = through()
        if last is not None:
            cells, regions = current_cells(event_ids)
            cells |= earlier_cells(marks, regions)
            recount_cells({c for c in cells if c[1] <= last}, now)
        for chunk in _chunks([m["id"] for m in marks], 900):
            Mark.objects.filter(pk__in=chunk).delete()
        return len(event_ids)


def refresh_all(*, limit: int | None = None, now: dt.datetime | None = None) -> int:
    """Fold in the marks present when called (and any that come meanwhile, up to `limit` events)."""
    newest = Mark.objects.aggregate(newest=Max("pk"))["newest"]
    folded = 0
    while newest is not None and Mark.objects.filter(pk__lte=newest).exists():
        if limit is not None and folded >= limit:
            break
        folded += refresh(now=now)
    return folded


def rebuild(*, progress: Callable[[dt.date], None] | None = None) -> int:
    """Forget every count and mark, and count the whole history again."""
    with exclusive():
        Mark.objects.all().delete()
        for model in (DayCount, MonthCount, DaySummary, MonthSummary):
            model.objects.all().delete()
        State.objects.all().delete()
    return advance(progress=progress)


def rollups_tick() -> int:
    """The timer worker's job: count the days that ended, then fold in what changed."""
    return advance(max_days=DAYS_PER_TICK) + refresh_all(limit=5000)
