"""The dispute queue (纠纷列表) as one query: the disputes a person may see, filtered, each with what its live
clock says (due and warning moments, overdue) annotated, so that the page, the API and `bench/` read a page of
disputes in a fixed number of queries however long the list is. The parties are shown masked in lists (a party's
name whole is the dispute page's, audited)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from grassroots.core.masking import mask_name
from grassroots.people.models import Person
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from ..choices import DisputeStatus, PartyKind
from ..models import Dispute, DisputeParty
from ..permissions import disputes_visible_to
from .disputes_common import WORKFLOW

S = DisputeStatus
OPEN = frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.AGREED, S.CONFIRMED})
DONE = frozenset({S.CLOSED, S.REFUSED, S.FAILED})
LIGHTS = ("red", "yellow", "green")


@dataclass(frozen=True)
class DisputeFilters:
    """What the queue is narrowed to; empty values narrow nothing."""

    statuses: tuple[str, ...] = ()
    mine: bool = False  # only the disputes the person mediates
    village_id: int | None = None
    kind: str = ""
    risk: str = ""
    source: str = ""
    q: str = ""  # the dispute's number or title (part), a party's whole name
    light: str = ""
    now: dt.datetime | None = None


def _clocks(**kw: Any) -> QuerySet[Clock]:
    return Clock.objects.filter(workflow=WORKFLOW, object_id=OuterRef("pk"), **kw)


def _first(field: str) -> Subquery:
    running = _clocks(state=ClockState.RUNNING, **{f"{field}__isnull": False}).order_by(field)
    return Subquery(running.values(field)[:1])


def _light_q(light: str, now: dt.datetime) -> Q:
    red = Q(clock_overdue=True) | Q(clock_due__lte=now)
    if light == "red":
        return red
    running = Q(clock_due__gt=now) & ~Q(clock_overdue=True)
    if light == "yellow":
        return running & Q(clock_warn__lte=now)
    return running & (Q(clock_warn__isnull=True) | Q(clock_warn__gt=now))


def _search_q(text: str) -> Q:
    """A number, part of the title, or a party's whole name (a part of a name finds nothing: the list masks it)."""
    q = Q(title__icontains=text) | Q(pk__in=DisputeParty.objects.filter(name=text).values("dispute_id"))
    return q | Q(pk=int(text)) if text.isdigit() else q


def dispute_rows(person: Any, filters: DisputeFilters) -> QuerySet[Dispute]:
    """The disputes `person` may see, narrowed by `filters`, newest first, with `clock_due`, `clock_warn` and
    `clock_overdue` annotated, the village, the committee, the mediators and the parties loaded with them."""
    rows = disputes_visible_to(person)
    if filters.statuses:
        rows = rows.filter(status__in=filters.statuses)
    if filters.mine:
        rows = rows.filter(pk__in=Dispute.objects.filter(mediators=person.pk).values("pk"))
    if filters.village_id:
        rows = rows.filter(village_id=filters.village_id)
    for name in ("kind", "risk", "source"):
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{"risk_level" if name == "risk" else name: value})
    text = filters.q.strip()
    if text:
        rows = rows.filter(_search_q(text))
    rows = rows.annotate(
        clock_due=_first("due_at"),
        clock_warn=_first("warn_at"),
        clock_overdue=Exists(_clocks(state=ClockState.RUNNING, overdue=True)),
    )
    if filters.light in LIGHTS:
        rows = rows.filter(_light_q(filters.light, filters.now or timezone.now()))
    return (
        rows.select_related("village", "committee")
        .prefetch_related(
            Prefetch("mediators", queryset=Person.objects.only("pk", "name").order_by("pk")),
            Prefetch("parties", queryset=DisputeParty.objects.order_by("position", "pk")),
        )
        .order_by("-created_at", "-pk")
    )


def dispute_light(dispute: Any, now: dt.datetime) -> str:
    """Red when the live limit is flagged or past due, yellow from its warning point (80%), green while it runs."""
    if dispute.clock_overdue or (dispute.clock_due is not None and dispute.clock_due <= now):
        return "red"
    if dispute.clock_due is None:
        return ""
    if dispute.clock_warn is not None and dispute.clock_warn <= now:
        return "yellow"
    return "green"


def masked_parties(dispute: Dispute) -> str:
    """The parties as a list shows them to anyone: a person's name masked, an organisation's whole."""
    names = [p.name if p.kind == PartyKind.ORGANISATION else mask_name(p.name) for p in dispute.parties.all()]
    return "、".join(names)
