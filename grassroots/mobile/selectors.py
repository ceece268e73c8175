"""Reads for the phone pages: the worker's tasks, the type picker, the visit log masked by role, one report as
the phone shows it, and the grid team for its head."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_name
from grassroots.events import rules
from grassroots.events.choices import OPEN_STATUSES, AttachmentKind, GridClass, Status
from grassroots.events.models import Event, EventType, Transition
from grassroots.events.permissions import visible_to
from grassroots.events.selectors import Light, actor_namer, event_detail, event_reporter_shown, light_of
from grassroots.org.choices import TeamRole
from grassroots.org.models import TeamMembership
from grassroots.people.selectors import sees_personal_data

from .choices import PERSONAL_KINDS, VisitKind
from .models import Visit
from .permissions import visits_visible_to

# -- tasks ----------------------------------------------------------------------------------------------


# The states in which an event waits on site for the grid worker it names as verifier.
ON_SITE_STATUSES = (Status.VERIFYING, Status.CHECKING)


def worker_tasks(worker: Any) -> QuerySet[Event]:
    """What waits for this worker on site: reports to verify and handling to check that name them, and the
    handling fed back on their grid that nobody was sent to check yet. Soonest deadline first."""
    mine = Q(verifier_id=worker.pk, status__in=ON_SITE_STATUSES)
    # Not their own reports: the reporter does not check the handling of their own case.
    on_my_grid = (
        Q(grid_id=worker.grid_id, status=Status.FED_BACK) & ~Q(reporter_id=worker.pk)
        if worker.grid_id
        else Q(pk__in=[])
    )
    return (
        visible_to(worker)
        .filter(mine | on_my_grid)
        .select_related("event_type")
        .order_by("deadline", "reported_at", "id")
    )


def task_kind(event: Event) -> str:
    """'verify' for a report to verify, 'check' for handling to check."""
    return "verify" if event.status == Status.VERIFYING else "check"


# -- the type picker ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeGroup:
    key: str
    label: str
    types: list[EventType]


def type_groups() -> list[TypeGroup]:
    """Active subclasses grouped by the nine grid classes (in the seeds' order), one query."""
    by_class: dict[str, list[EventType]] = {}
    types = EventType.objects.in_force().filter(is_active=True, parent__isnull=False).select_related("parent")
    for event_type in types.order_by("code"):
        by_class.setdefault(event_type.grid_class or "", []).append(event_type)
    groups = [
        TypeGroup(c.value, str(c.label), by_class.pop(c.value)) for c in GridClass if c.value in by_class
    ]
    leftovers = [t for rest in by_class.values() for t in rest]
    if leftovers:
        groups.append(TypeGroup("other", "其他", leftovers))
    return groups


def frequent_types(worker: Any, limit: int = 6) -> list[EventType]:
    """The types this worker reports most (their shortcut row in the picker)."""
    rows = (
        Event.objects.filter(reporter_id=worker.pk, event_type__is_active=True)
        .values("event_type__code")
        .annotate(n=Count("id"))
        .order_by("-n", "event_type__code")[:limit]
    )
    # Counted over every version of a type, offered as the version in force.
    codes = [row["event_type__code"] for row in rows]
    found = {t.code: t for t in EventType.objects.in_force().filter(code__in=codes, is_active=True)}
    return [found[c] for c in codes if c in found]


# -- the visit log --------------------------------------------------------------------------------------


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def visits_this_month(*, viewer: Any, mine: bool, now: dt.datetime | None = None) -> QuerySet[Visit]:
    """This month's visits in the viewer's scope (only their own when `mine`), newest first."""
    visits = visits_visible_to(viewer).filter(visited_at__gte=month_start(now))
    if mine:
        visits = visits.filter(worker_id=viewer.pk)
    return visits.select_related("worker", "event").order_by("-visited_at", "-id")


def visit_counts(visits: QuerySet[Visit]) -> dict[str, int]:
    """Counts by kind, follow-ups and spawned events, in one query."""
    counts = visits.aggregate(
        total=Count("id"),
        follow_up=Count("id", filter=Q(follow_up=True)),
        events=Count("id", filter=Q(event__isnull=False)),
        **{kind.value: Count("id", filter=Q(kind=kind.value)) for kind in VisitKind},
    )
    return {key: value or 0 for key, value in counts.items()}


def mask_address(address: str) -> str:
    """House and building numbers hidden: 红菱村3组12号 → 红菱村*组**号."""
    return re.sub(r"\d", "*", address)


@dataclass(frozen=True)
class VisitRow:
    visit: Visit
    household: str
    address: str
    masked: bool


def visits_shown(*, viewer: Any, visits: Iterable[Visit], purpose: str) -> list[VisitRow]:
    """Visits as the viewer may see them: a person's name and address masked unless the viewer recorded the
    visit or their role sees personal data; such an unmasked read of someone else's record is audited."""
    rows: list[VisitRow] = []
    unmasked_reads: list[Visit] = []
    for visit in visits:
        personal = visit.kind in PERSONAL_KINDS
        own = visit.worker_id == viewer.pk
        if not personal or own:
            rows.append(VisitRow(visit, visit.household, visit.address, masked=False))
        elif sees_personal_data(viewer):
            rows.append(VisitRow(visit, visit.household, visit.address, masked=False))
            unmasked_reads.append(visit)
        else:
            rows.append(VisitRow(visit, mask_name(visit.household), mask_address(visit.address), masked=True))
    if unmasked_reads:
        audit_record_read(
            actor=viewer, objects=unmasked_reads, fields=["household", "address"], purpose=purpose
        )
    return rows


# -- reports: the worker's own, and one as the phone shows it -----------------------------------------------

# Where a report ended up, as a word of colour on its status tag.
DONE_STATUSES = frozenset(
    {Status.SELF_HANDLED, Status.CHECKED, Status.EVALUATED, Status.CLOSED, Status.ARCHIVED}
)
STOPPED_STATUSES = frozenset({Status.INVALID, Status.VOID, Status.MERGED})
# The steps whose note says how the problem was dealt with: shown together as the handling result.
RESULT_ACTIONS = frozenset({"self_handle", "feed_back", "check", "callback", "close", "void", "merge"})


@dataclass(frozen=True)
class EventRow:
    """An event in a phone list: its status light (None when no clock runs) and its tag's colour."""

    event: Event
    light: Light | None
    tone: str


def status_tone(event: Event) -> str:
    if event.status in DONE_STATUSES:
        return "green"
    return "red" if event.overdue and event.status in OPEN_STATUSES else ""


def event_rows(events: Iterable[Event], now: dt.datetime | None = None) -> list[EventRow]:
    now = now or timezone.now()
    return [
        EventRow(
            event=e,
            light=light_of(overdue=e.overdue, warn_at=e.warn_at, deadline=e.deadline, now=now)
            if e.status in OPEN_STATUSES
            else None,
            tone=status_tone(e),
        )
        for e in events
    ]


def my_reports(worker: Any) -> QuerySet[Event]:
    """What this person reported, newest first (always theirs to see: `visible_to` lets a reporter in)."""
    return (
        Event.objects.filter(reporter_id=worker.pk)
        .select_related("event_type", "holder_unit")
        .order_by("-reported_at", "-id")
    )


def recent_reports(worker: Any, limit: int = 5) -> list[EventRow]:
    return event_rows(my_reports(worker)[:limit])


@dataclass(frozen=True)
class Step:
    """One step of the record, its actor named as the viewer may see them."""

    t: Transition
    label: str
    actor: str
    unit: str
    from_label: str
    to_label: str


@dataclass(frozen=True)
class FileShown:
    url: str
    phase: str
    photo: bool


@dataclass(frozen=True)
class ReportShown:
    event: Event
    light: Light | None
    tone: str
    steps: list[Step]  # newest first
    results: list[Step]  # the steps that say how it was dealt with, newest first
    files: list[FileShown]
    reporter: dict[str, Any]


def report_shown(*, viewer: Any, event_id: int, now: dt.datetime | None = None) -> ReportShown:
    """One event as the phone shows it to `viewer`: 404 unless they reported it, were sent to verify it, or
    their scope covers it (the command room's event page reads it the same way, with the same masking)."""
    event = event_detail(viewer=viewer, event_id=event_id)
    name = actor_namer(viewer=viewer, event=event)
    steps = [
        Step(
            t=t,
            label=rules.ACTION_LABELS.get(t.action, t.action),
            actor=(name(t.actor) or "") if t.actor_id else gettext("系统"),
            unit=t.unit.name if t.unit else "",
            from_label=str(Status(t.from_status).label) if t.from_status else "",
            to_label=str(Status(t.to_status).label),
        )
        for t in reversed(list(event.transitions.all()))
    ]
    files = [
        FileShown(
            url=reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": a.pk}),
            phase=a.get_phase_display(),
            photo=a.kind == AttachmentKind.PHOTO,
        )
        for a in sorted(event.attachments.all(), key=lambda a: (a.uploaded_at, a.pk))
    ]
    [row] = event_rows([event], now)
    return ReportShown(
        event=event,
        light=row.light,
        tone=row.tone,
        steps=steps,
        results=[s for s in steps if s.t.action in RESULT_ACTIONS and s.t.note],
        files=files,
        reporter=event_reporter_shown(viewer=viewer, event=event, purpose="mobile.report"),
    )


# -- the grid team, for its head --------------------------------------------------------------------------

TEAM_ORDER = {role.value: i for i, role in enumerate(TeamRole)}
PER_MEMBER = 3  # tasks and reports listed under each member


@dataclass(frozen=True)
class Member:
    person: Any
    role: str
    on_site: bool  # verifies and checks on site (a volunteer, the X of the team, does not)
    task_count: int
    tasks: list[EventRow]
    reports: list[EventRow]


def _first_per(events: QuerySet[Event], field: str, order: list[Any], limit: int) -> dict[int, list[Event]]:
    """The first `limit` events for each value of `field` (a person's id), in one query."""
    ranked = events.annotate(rank=Window(RowNumber(), partition_by=[F(field)], order_by=order)).filter(
        rank__lte=limit
    )
    found: dict[int, list[Event]] = {}
    for event in ranked.order_by(field, "rank"):
        found.setdefault(getattr(event, field), []).append(event)
    return found


def grid_team(*, viewer: Any, now: dt.datetime | None = None) -> list[Member]:
    """The viewer's grid team today ("1+1+1+X", head first), each member with the on-site tasks that name them
    and their latest reports, both as far as the viewer's scope goes. Four queries, whatever the team's size."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    memberships = list(
        TeamMembership.objects.filter(grid_id=viewer.grid_id, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("person")
    )
    memberships.sort(key=lambda m: (TEAM_ORDER.get(m.role, len(TEAM_ORDER)), m.person.name, m.pk))
    ids = [m.person_id for m in memberships]
    visible = visible_to(viewer).select_related("event_type")
    open_tasks = visible.filter(verifier_id__in=ids, status__in=ON_SITE_STATUSES)
    counts = dict(open_tasks.order_by().values_list("verifier_id").annotate(n=Count("id")))
    tasks = _first_per(
        open_tasks, "verifier_id", [F("deadline").asc(nulls_last=True), F("id").asc()], PER_MEMBER
    )
    reports = _first_per(
        visible.filter(reporter_id__in=ids),
        "reporter_id",
        [F("reported_at").desc(), F("id").desc()],
        PER_MEMBER,
    )
    return [
        Member(
            person=m.person,
            role=m.get_role_display(),
            on_site=m.role != TeamRole.VOLUNTEER,
            task_count=counts.get(m.person_id, 0),
            tasks=event_rows(tasks.get(m.person_id, []), now),
            reports=event_rows(reports.get(m.person_id, []), now),
        )
        for m in memberships
    ]


def grid_open_events(viewer: Any) -> QuerySet[Event]:
    """The open events on the viewer's grid, the most pressing first: by deadline (none last), then oldest."""
    return (
        visible_to(viewer)
        .filter(grid_id=viewer.grid_id, status__in=OPEN_STATUSES)
        .select_related("event_type", "holder_unit")
        .order_by(F("deadline").asc(nulls_last=True), "reported_at", "id")
    )
