"""A petition as lists, pages and the API read it: the queue in the reader's scope with its filters (state, channel,
kind, the time-limit light, text), each petition's live clock and light, and the whole record. The petitioners are
given as the reader may see them (`petition_permissions.petitioners_of`: whole reads audited)."""

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from grassroots.core.labels import choice_label
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from ..models import Petition
from ..petition_choices import NoticeKind, PetitionChannel, PetitionKind, PetitionStatus
from ..petition_permissions import petition_actor_kinds, petitioners_of, petitions_visible_to
from ..petition_rules import ACTION_LABELS, PETITION
from .petition_common import CLOCK_LABELS, WORKFLOW

LIST_COLUMNS = (
    "id",
    "status",
    "channel",
    "kind",
    "title",
    "people_count",
    "received_at",
    "updated_at",
    "version",
    "township__name",
    "village__name",
    "unit__name",
    "leader__id",
    "leader__name",
)


CLOCK_COLUMNS = (
    "id",
    "object_id",
    "name",
    "state",
    "started_at",
    "due_at",
    "warn_at",
    "overdue",
    "extended_seconds",
    "limit_source",
    "stopped_at",
    "result",
)


def available(x: Petition, kinds: set[str]) -> list[str]:
    """The steps the table allows the viewer now, less those a guard would refuse whatever is filled in (a second
    extension, a return of what was not transferred in)."""
    done = {"extend": x.extended_days > 0, "object": not x.transferred_from}
    return [a for a in PETITION.allowed(x.status, kinds) if not done.get(a)]


def _live(**extra: Any) -> Exists:
    return Exists(
        Clock.objects.filter(workflow=WORKFLOW, object_id=OuterRef("pk"), state=ClockState.RUNNING, **extra)
    )


def queue(
    person: Any,
    *,
    state: str | None = None,
    channel: str | None = None,
    kind: str | None = None,
    light: str | None = None,
    q: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Petition]:
    """The petitions the person sees, filtered, newest received first."""
    now = now or timezone.now()
    rows = petitions_visible_to(person)
    if state:
        rows = rows.filter(status=state)
    if channel:
        rows = rows.filter(channel=channel)
    if kind:
        rows = rows.filter(kind=kind)
    if text := q.strip():
        rows = rows.filter(Q(title__icontains=text) | Q(content__icontains=text))
    if light == "red":
        rows = rows.filter(_live(due_at__lte=now))
    elif light == "yellow":
        rows = rows.filter(_live(warn_at__lte=now)).exclude(_live(due_at__lte=now))
    elif light == "green":
        rows = rows.filter(_live()).exclude(_live(warn_at__lte=now))
    return (
        rows.select_related("township", "village", "unit", "leader")
        .only(*LIST_COLUMNS)
        .order_by("-received_at", "-id")
    )


def clock_out(clock: Clock, now: dt.datetime) -> dict[str, Any]:
    running = clock.state == ClockState.RUNNING
    late = clock.due_at is not None and clock.due_at <= now if running else clock.overdue
    warned = running and clock.warn_at is not None and clock.warn_at <= now
    return {
        "name": clock.name,
        "label": CLOCK_LABELS.get(clock.name, clock.name),
        "state": clock.state,
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "light": ("red" if late else "yellow" if warned else "green") if running else "",
        "late": late,
        "extended": bool(clock.extended_seconds),
        "limit_source": clock.limit_source,
        "stopped_at": clock.stopped_at,
        "result": clock.result,
    }


def live_clocks(ids: list[int]) -> dict[int, Clock]:
    """The most pressing live clock of each petition (the earliest due), in one query."""
    found: dict[int, Clock] = {}
    rows = Clock.objects.filter(workflow=WORKFLOW, object_id__in=ids, state=ClockState.RUNNING).order_by(
        "-due_at"
    )
    for clock in rows:
        found[clock.object_id] = clock
    return found


def list_fields(x: Petition, clock: Clock | None, now: dt.datetime) -> dict[str, Any]:
    leader = x.leader
    return {
        "id": x.pk,
        "status": x.status,
        "status_label": choice_label(PetitionStatus, x.status),
        "channel": x.channel,
        "channel_label": choice_label(PetitionChannel, x.channel),
        "kind": x.kind,
        "kind_label": choice_label(PetitionKind, x.kind),
        "title": x.title,
        "township": x.township.name,
        "village": x.village.name if x.village_id and x.village else "",
        "unit": x.unit.name,
        "people_count": x.people_count,
        "leader": {"id": leader.pk, "name": leader.name} if leader is not None else None,
        "clock": clock_out(clock, now) if clock is not None else None,
        "received_at": x.received_at,
        "updated_at": x.updated_at,
        "version": x.version,
    }


def page_rows(page: list[Petition], now: dt.datetime | None = None) -> list[dict[str, Any]]:
    now = now or timezone.now()
    clocks = live_clocks([x.pk for x in page])
    return [list_fields(x, clocks.get(x.pk), now) for x in page]


def detail(person: Any, x: Petition, *, purpose: str) -> dict[str, Any]:
    """The whole petition as `person` may see it (an unmasked read of the petitioners is audited)."""
    now = timezone.now()
    clocks = list(Clock.objects.filter(workflow=WORKFLOW, object_id=x.pk).order_by("started_at", "id"))
    live = sorted((c for c in clocks if c.state == ClockState.RUNNING), key=lambda c: c.due_at or now)
    plain = (
        "content",
        "transferred_from",
        "transferred_to",
        "decision_reason",
        "extended_days",
        "outcome",
        "answer_text",
        "review_outcome",
        "review_text",
        "recheck_outcome",
        "recheck_text",
        "closed_at",
    )
    return {
        **list_fields(x, live[0] if live else None, now),
        **{name: getattr(x, name) for name in plain},
        "joined_into": x.joined_into_id,
        "petitioners": petitioners_of(person, x, purpose=purpose),
        "clocks": [clock_out(c, now) for c in clocks],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "kind_label": choice_label(NoticeKind, d.kind),
                "size": d.size,
                "sha256": d.sha256,
                "generated_at": d.generated_at,
            }
            for d in x.documents.all()
        ],
        "history": [
            {
                "action": r.action,
                "action_label": ACTION_LABELS.get(r.action, r.action),
                "from_status": r.from_status,
                "to_status": r.to_status,
                "actor": {"id": r.actor.pk, "name": r.actor.name} if r.actor else None,
                "at": r.at,
                "note": r.note,
                "data": r.data,
            }
            for r in x.history.select_related("actor")
        ],
        "allowed_actions": available(x, petition_actor_kinds(x, person)),
    }
