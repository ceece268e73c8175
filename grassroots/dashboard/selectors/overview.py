"""The command room's overview: headline counts, splits by platform and level, the 30-day trend, and the units
and grids to look at first. Every figure is one grouped SQL aggregate within `visible_to(user)`.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.events.choices import ACTIVE_ASSIGNMENT, AssignmentStatus, Level, Status
from grassroots.events.models import Assignment, Event
from grassroots.events.permissions import visible_to
from grassroots.events.selectors import light_q
from grassroots.org.choices import PlatformKind

from .common import ALL_PARAM, OPEN, OPEN_PARAM, queue_url, today_start

TREND_DAYS = 30
TOP = 5
# A unit needs this many assignments due in the window before its on-time rate is ranked (no 0/1 = 0% noise).
MIN_DUE = 3


@dataclass
class Figures:
    """The four headline counts, for the whole scope or one platform/level."""

    intake_today: int = 0
    open: int = 0
    overdue: int = 0
    closed_today: int = 0

    def add(self, row: Mapping[str, Any]) -> None:
        self.intake_today += row["intake_today"]
        self.open += row["open"]
        self.overdue += row["overdue"]
        self.closed_today += row["closed_today"]


@dataclass
class SplitRow:
    key: str
    label: str
    figures: Figures
    links: dict[str, str | None]


@dataclass
class Trend:
    days: list[dt.date]
    reported: list[int]
    closed: list[int]

    def as_chart(self) -> dict[str, Any]:
        return {
            "days": [d.strftime("%m-%d") for d in self.days],
            "reported": self.reported,
            "closed": self.closed,
            "labels": {"reported": str(_("上报")), "closed": str(_("结案"))},
        }


@dataclass
class UnitRow:
    unit_id: int
    name: str
    open: int = 0
    overdue: int = 0
    due: int = 0
    on_time: int = 0
    link: str | None = None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass
class GridRow:
    code: str
    name: str
    open: int
    overdue: int
    link: str | None = None


@dataclass
class Overview:
    now: dt.datetime
    totals: Figures
    links: dict[str, str | None]
    by_platform: list[SplitRow]
    by_level: list[SplitRow]
    trend: Trend
    units_overdue: list[UnitRow] = field(default_factory=list)
    units_on_time: list[UnitRow] = field(default_factory=list)
    grids: list[GridRow] = field(default_factory=list)


def _figure_links(**scope: Any) -> dict[str, str | None]:
    """Where each headline figure leads: the queue with the same filters. The queue has no date filter, so
    today's intake opens every status newest first, and today's closures the closed events."""
    return {
        "intake_today": queue_url(status=ALL_PARAM, sort="new", **scope),
        "open": queue_url(status=OPEN_PARAM, **scope),
        "overdue": queue_url(light="red", **scope),
        "closed_today": queue_url(status=Status.CLOSED.value, **scope),
    }


def overview_figures(*, viewer: Any, now: dt.datetime | None = None) -> Overview:
    """The overview in six queries: counts by platform × level, two trend series, two unit rankings, grids."""
    now = now or timezone.now()
    today = today_start(now)
    events = visible_to(viewer)
    open_q = Q(status__in=OPEN)
    red = light_q("red", now)

    # 1. Headline counts and both splits from one grouped query (at most 4 × 4 rows).
    rows = list(
        events.filter(open_q | Q(reported_at__gte=today) | Q(closed_at__gte=today))
        .values("platform", "level")
        .annotate(
            intake_today=Count("pk", filter=Q(reported_at__gte=today)),
            open=Count("pk", filter=open_q),
            overdue=Count("pk", filter=open_q & red),
            closed_today=Count("pk", filter=Q(closed_at__gte=today)),
        )
        .order_by()
    )
    totals = Figures()
    platforms = {kind.value: Figures() for kind in PlatformKind}
    levels = {level.value: Figures() for level in Level}
    for row in rows:
        totals.add(row)
        platforms.setdefault(row["platform"], Figures()).add(row)
        levels.setdefault(row["level"], Figures()).add(row)
    by_platform = [
        SplitRow(
            key=kind.value,
            label=str(kind.label),
            figures=platforms[kind.value],
            links=_figure_links(platform=kind.value),
        )
        for kind in PlatformKind
    ]
    by_level = [
        SplitRow(
            key=str(level.value),
            label=str(level.label),
            figures=levels[level.value],
            links=_figure_links(level=level.value),
        )
        for level in Level
    ]
    return Overview(
        now=now,
        totals=totals,
        links=_figure_links(),
        by_platform=by_platform,
        by_level=by_level,
        trend=overview_trend(events=events, today=today),
        units_overdue=units_most_overdue(events=events, now=now),
        units_on_time=units_least_on_time(events=events, now=now),
        grids=grids_most_open(events=events, now=now),
    )


def overview_trend(*, events: QuerySet[Event], today: dt.datetime) -> Trend:
    """Reported and closed per local day over the last 30 days, today included (two grouped queries)."""
    tz = timezone.get_current_timezone()
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    days = [(start + dt.timedelta(days=i)).date() for i in range(TREND_DAYS)]

    def per_day(field_name: str) -> dict[dt.date, int]:
        rows = (
            events.filter(**{f"{field_name}__gte": start})
            .annotate(day=TruncDate(field_name, tzinfo=tz))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
        return {row["day"]: row["n"] for row in rows}

    reported, closed = per_day("reported_at"), per_day("closed_at")
    return Trend(
        days=days, reported=[reported.get(d, 0) for d in days], closed=[closed.get(d, 0) for d in days]
    )


def units_most_overdue(*, events: QuerySet[Event], now: dt.datetime) -> list[UnitRow]:
    """Units with the most overdue assignments still in hand (dispatched, signed or handling)."""
    rows = (
        Assignment.objects.filter(event__in=events, status__in=ACTIVE_ASSIGNMENT)
        .values("unit_id", "unit__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(overdue=True) | Q(deadline__lt=now)))
        .filter(overdue__gt=0)
        .order_by("-overdue", "-open", "unit__name")[:TOP]
    )
    return [
        UnitRow(
            unit_id=r["unit_id"],
            name=r["unit__name"],
            open=r["open"],
            overdue=r["overdue"],
            link=queue_url(light="red", unit=r["unit_id"]),
        )
        for r in rows
    ]


def units_least_on_time(*, events: QuerySet[Event], now: dt.datetime) -> list[UnitRow]:
    """Units with the lowest on-time handling rate (按期处置率) over assignments that fell due in the last 30 days.

    Due to handle: the deadline fell in the window and the assignment was not returned or superseded.
    Handled on time: fed back by the (possibly extended) deadline. Rates count what fell due, so none exceeds 100%.
    """
    start = now - dt.timedelta(days=TREND_DAYS)
    rows = (
        Assignment.objects.filter(event__in=events, deadline__gte=start, deadline__lte=now)
        .exclude(status__in=[AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED])
        .values("unit_id", "unit__name")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(fed_back_at__isnull=False, fed_back_at__lte=F("deadline"))),
        )
        .filter(due__gte=MIN_DUE)
        .order_by()
    )
    units = [
        UnitRow(
            unit_id=r["unit_id"],
            name=r["unit__name"],
            due=r["due"],
            on_time=r["on_time"],
            link=queue_url(status=ALL_PARAM, unit=r["unit_id"]),
        )
        for r in rows
        if r["on_time"] < r["due"]
    ]
    units.sort(key=lambda u: (u.on_time / u.due, -u.due, u.name))
    return units[:TOP]


def grids_most_open(*, events: QuerySet[Event], now: dt.datetime) -> list[GridRow]:
    """Grids with the most overdue open events, then the most open events."""
    rows = (
        events.filter(status__in=OPEN, grid__isnull=False)
        .values("grid__code", "grid__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=light_q("red", now)))
        .order_by("-overdue", "-open", "grid__code")[:TOP]
    )
    return [
        GridRow(
            code=r["grid__code"],
            name=r["grid__name"],
            open=r["open"],
            overdue=r["overdue"],
            link=queue_url(grid=r["grid__code"]),
        )
        for r in rows
    ]
