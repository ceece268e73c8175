"""Reads that carry rules: the meetings of a week, a decision's light, the decisions a person owns, and the count
of overdue decisions per unit that the assessment can deduct for (docs/meetings.md, "Assessment")."""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from grassroots.core.scope import code_prefix_q
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import StatusLight
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_light
from grassroots.workflow.models import Clock

from .choices import TaskStatus
from .models import Meeting, MeetingTask
from .permissions import owned_by, tasks_visible_to
from .services.common import TASK_CLOCK


def week_of(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, China time."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(), tzinfo=SHANGHAI)
    return start, start + dt.timedelta(days=7)


def meetings_filtered(
    rows: QuerySet[Meeting], *, kind: str = "", forum: str = "", status: str = ""
) -> QuerySet[Meeting]:
    if kind:
        rows = rows.filter(kind=kind)
    if forum:
        rows = rows.filter(forum=forum)
    if status:
        rows = rows.filter(status=status)
    return rows


def week_days(rows: QuerySet[Meeting], day: dt.date) -> list[tuple[dt.date, list[Meeting]]]:
    """The seven days of the week holding `day`, each with its meetings in order (one query)."""
    start, end = week_of(day)
    by_day: dict[dt.date, list[Meeting]] = {start.date() + dt.timedelta(days=n): [] for n in range(7)}
    for meeting in rows.filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at", "pk"):
        by_day[meeting.starts_at.astimezone(SHANGHAI).date()].append(meeting)
    return list(by_day.items())


@dataclass(frozen=True)
class TaskLight:
    light: str  # green / yellow / red, or "none" once it stopped
    label: str


def task_lights(tasks: Iterable[MeetingTask], now: dt.datetime | None = None) -> dict[int, TaskLight]:
    """Each decision's light: its running clock's (green, yellow at 80%, red past due or once the timer flagged
    it overdue); a stopped one says whether it was done on time. One query however many tasks."""
    now = now or timezone.now()
    tasks = list(tasks)
    clocks = {
        c.object_id: c
        for c in Clock.objects.filter(
            workflow="meeting_task", name=TASK_CLOCK, object_id__in=[t.pk for t in tasks]
        ).exclude(state=ClockState.STOPPED)
    }
    out = {}
    for task in tasks:
        clock = clocks.get(task.pk)
        if task.status == TaskStatus.OPEN and clock is not None:
            # The timer's verdict stands even for a reader whose clock is behind the worker's.
            light = StatusLight.RED if task.late else clock_light(clock, now)
            out[task.pk] = TaskLight(light.value, "已超期" if light == StatusLight.RED else str(light.label))
        elif task.status == TaskStatus.DONE:
            out[task.pk] = TaskLight("red" if task.late else "none", "超期办结" if task.late else "按期办结")
        else:
            out[task.pk] = TaskLight("none", str(TaskStatus(task.status).label))
    return out


def tasks_owned(person: Any, *, open_only: bool = True) -> QuerySet[MeetingTask]:
    """The decisions `person` owns (named, or of their unit when no person is named), soonest due first."""
    if not getattr(person, "is_authenticated", False):
        return MeetingTask.objects.none()
    rows = tasks_visible_to(person).filter(owned_by(person))
    if open_only:
        rows = rows.filter(status=TaskStatus.OPEN)
    return rows.select_related("meeting", "owner_unit", "owner_person").order_by("due_at", "pk")


def overdue_tasks(
    *,
    start: dt.datetime,
    end: dt.datetime,
    as_of: dt.datetime | None = None,
    region_prefix: str = "",
    unit_key: str | None = None,
) -> QuerySet[MeetingTask]:
    """The overdue decisions behind `overdue_tasks_by_unit` (of one unit when `unit_key` is given), due first."""
    as_of = as_of or timezone.now()
    stop = min(end, as_of)
    rows = MeetingTask.objects.filter(due_at__gte=start, due_at__lt=stop).exclude(status=TaskStatus.CANCELLED)
    rows = rows.filter(Q(done_at__isnull=True) | Q(done_at__gt=F("due_at")))
    if region_prefix:
        rows = rows.filter(code_prefix_q("meeting__township__code", region_prefix))
    if unit_key is not None:
        unit_id = int(unit_key) if unit_key.isdigit() else 0
        rows = rows.filter(
            Q(owner_unit_id=unit_id) | Q(owner_unit__isnull=True, owner_person__unit_id=unit_id)
        )
    return rows.order_by("due_at", "pk")


def overdue_tasks_by_unit(
    *, start: dt.datetime, end: dt.datetime, as_of: dt.datetime | None = None, region_prefix: str = ""
) -> dict[str, int]:
    """Overdue decisions per owning unit (keys are unit ids as text, the assessment's unit subject keys).

    Counted like the assessment's 超期处置数: a decision due inside the window [start, min(end, as_of)) that was not
    done by its deadline (still open at `as_of`, or done after it). Withdrawn ones do not count. A decision owned by
    a person only counts for the person's unit. `region_prefix` keeps the meetings of townships under it."""
    rows = overdue_tasks(start=start, end=end, as_of=as_of, region_prefix=region_prefix)
    counts: Counter[str] = Counter()
    for unit_id, person_unit_id in rows.values_list("owner_unit_id", "owner_person__unit_id"):
        owner = unit_id or person_unit_id
        if owner:
            counts[str(owner)] += 1
    return dict(counts)
