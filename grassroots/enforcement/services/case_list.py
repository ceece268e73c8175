"""The case list (案件列表) as one query: the cases a person may see, filtered, each with what its live clocks say
(the earliest due and warning moments of the running ones, whether one is paused or flagged overdue) annotated, so
that the page, the API and `bench/` read a page of cases in a fixed number of queries however long it is.

The party's name is shown whole to those who work on the case and masked to the others, as `permissions.party_of`
does for one case; here the kinds are worked out from the prefetched officers, without a query per row.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name
from grassroots.people.models import Person
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from ..choices import BEFORE_DECISION, CaseSource, CaseStatus, PartyKind
from ..models import EnforcementCase
from ..permissions import case_actor_kinds, cases_visible_to
from ..rules import Actor
from .common import WORKFLOW

# The list's groups of states (the page's tabs): what is still being worked on, and what is done.
OPEN = frozenset(BEFORE_DECISION | {CaseStatus.DECIDED, CaseStatus.SERVED, CaseStatus.EXECUTED})
DONE = frozenset({CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.NOT_FILED})
LIGHTS = ("red", "yellow", "green", "paused")
PARTY_FIELDS = ["party_name", "party_id_number"]


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; empty values narrow nothing."""

    statuses: tuple[str, ...] = ()
    mine: bool = False  # only the cases the person is an officer or the hearing chair on
    unit_id: int | None = None
    source: str = ""
    q: str = (
        ""  # a case or decision number (part of it), an organisation's name (part), a person's whole name/ID
    )
    light: str = ""  # red, yellow, green or paused, as `case_light` reads it now
    now: dt.datetime | None = None  # the moment the light filter is read at


def _clocks(**kw: Any) -> QuerySet[Clock]:
    return Clock.objects.filter(workflow=WORKFLOW, object_id=OuterRef("pk"), **kw)


def _first(field: str) -> Subquery:
    running = _clocks(state=ClockState.RUNNING, **{f"{field}__isnull": False}).order_by(field)
    return Subquery(running.values(field)[:1])


def _light_q(light: str, now: dt.datetime) -> Q:
    """The cases whose `case_light` is `light` at `now`, as a filter on the annotations (the same rule in SQL)."""
    red = Q(clock_overdue=True) | Q(clock_due__lte=now)
    if light == "red":
        return red
    if light == "paused":
        return Q(clock_paused=True, clock_due__isnull=True) & ~Q(clock_overdue=True)
    running = Q(clock_due__gt=now) & ~Q(clock_overdue=True)
    if light == "yellow":
        return running & Q(clock_warn__lte=now)
    return running & (Q(clock_warn__isnull=True) | Q(clock_warn__gt=now))


def _search_q(text: str) -> Q:
    """Numbers by any part; an organisation by part of its name or its code; a person only by the whole name or
    identity number (a part of a masked name finds nothing), so that searching tells no more than the list shows."""
    upper = text.upper()
    return (
        Q(number__icontains=text)
        | Q(decision_number__icontains=text)
        | Q(party_kind=PartyKind.ORGANISATION, party_name__icontains=text)
        | Q(party_name=text)
        | Q(party_id_number=upper)
    )


def case_rows(person: Any, filters: CaseFilters) -> QuerySet[EnforcementCase]:
    """The cases `person` may see, narrowed by `filters`, newest first, with `clock_due`, `clock_warn`,
    `clock_paused` and `clock_overdue` annotated, the unit, the power and the officers loaded with them."""
    rows = cases_visible_to(person)
    if filters.statuses:
        rows = rows.filter(status__in=filters.statuses)
    if filters.mine:
        rows = rows.filter(Q(officers=person.pk) | Q(hearing_chair=person.pk)).distinct()
    if filters.unit_id:
        rows = rows.filter(unit_id=filters.unit_id)
    if filters.source:
        rows = rows.filter(source=filters.source if filters.source in CaseSource.values else "")
    text = filters.q.strip()
    if text:
        rows = rows.filter(_search_q(text))
    rows = rows.annotate(
        clock_due=_first("due_at"),
        clock_warn=_first("warn_at"),
        clock_paused=Exists(_clocks(state=ClockState.PAUSED)),
        clock_overdue=Exists(_clocks(state__in=[ClockState.RUNNING, ClockState.PAUSED], overdue=True)),
    )
    if filters.light in LIGHTS:
        rows = rows.filter(_light_q(filters.light, filters.now or timezone.now()))
    return (
        rows.select_related("unit__division", "power")
        .prefetch_related(Prefetch("officers", queryset=Person.objects.only("pk", "name").order_by("pk")))
        .order_by("-created_at", "-pk")
    )


def case_light(case: Any, now: dt.datetime) -> str:
    """The row's light from the annotations: red when a live limit is flagged or past due, yellow from its
    warning point (80%), green while it runs, paused while the only live limit is stopped by law (听证), else ''."""
    if case.clock_overdue or (case.clock_due is not None and case.clock_due <= now):
        return "red"
    if case.clock_due is None:
        return "paused" if case.clock_paused else ""
    if case.clock_warn is not None and case.clock_warn <= now:
        return "yellow"
    return "green"


def works_on(person: Any, case: EnforcementCase) -> bool:
    """Whether `person` works on the case (officer, head, reviewer or chair), from the prefetched officers."""
    return bool(case_actor_kinds(case, person) - {Actor.SYSTEM})


def parties_shown(person: Any, cases: list[EnforcementCase], *, purpose: str) -> dict[int, dict[str, Any]]:
    """The party of each case as `person` may see it (case pk → name, id_number, masked); the unmasked reads are
    audited in one write."""
    shown: dict[int, dict[str, Any]] = {}
    whole = []
    for case in cases:
        if works_on(person, case):
            whole.append(case)
            shown[case.pk] = {"name": case.party_name, "id_number": case.party_id_number, "masked": False}
        elif case.party_kind == PartyKind.ORGANISATION:
            shown[case.pk] = {"name": case.party_name, "id_number": case.party_id_number, "masked": False}
        else:
            shown[case.pk] = {
                "name": mask_name(case.party_name),
                "id_number": mask_id_number(case.party_id_number),
                "masked": True,
            }
    if whole:
        audit_record_read(actor=person, objects=whole, fields=PARTY_FIELDS, purpose=purpose)
    return shown
