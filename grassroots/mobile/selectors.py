"""Reads for the phone pages: the worker's tasks, the type picker, the visit log masked by role."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_name
from grassroots.events.choices import GridClass, Status
from grassroots.events.models import Event, EventType
from grassroots.events.permissions import visible_to
from grassroots.people.selectors import sees_personal_data

from .choices import PERSONAL_KINDS, VisitKind
from .models import Visit
from .permissions import visits_visible_to

# -- tasks ----------------------------------------------------------------------------------------------


def worker_tasks(worker: Any) -> QuerySet[Event]:
    """What waits for this worker on site: reports to verify and handling to check that name them, and the
    handling fed back on their grid that nobody was sent to check yet. Soonest deadline first."""
    mine = Q(verifier_id=worker.pk, status__in=[Status.VERIFYING, Status.CHECKING])
    on_my_grid = Q(grid_id=worker.grid_id, status=Status.FED_BACK) if worker.grid_id else Q(pk__in=[])
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
    types = EventType.objects.filter(is_active=True, parent__isnull=False).select_related("parent")
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
        .values("event_type_id")
        .annotate(n=Count("id"))
        .order_by("-n", "event_type_id")[:limit]
    )
    ids = [row["event_type_id"] for row in rows]
    found = EventType.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def recent_reports(worker: Any, limit: int = 5) -> list[Event]:
    return list(
        Event.objects.filter(reporter_id=worker.pk)
        .select_related("event_type")
        .order_by("-reported_at")[:limit]
    )


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
