"""One step of the loop: authorise, compare-and-set the event, write its history row and audit row.

Every service in this package calls `authorize` first and `commit_step` before writing anything else, so a
lost race writes nothing: the loser's compare-and-set matches no row and it raises `Conflict`.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput, NotFound
from grassroots.people.actors import Actor
from grassroots.people.models import Person
from grassroots.workflow.commit import Moved, commit_move
from grassroots.workflow.declaration import Workflow

from .. import rules
from ..choices import ACTIVE_ASSIGNMENT, Status
from ..clock import TRIAGE_HOURS, hours_clock, working_seconds
from ..models import Assignment, Event, SupervisionOrder, Transition

STALE = ("stale_event", "事件已被他人处理或已变化，请刷新后重试")
# Reaching one of these answers any open supervision order.
SETTLED = frozenset(
    {Status.FED_BACK, Status.SELF_HANDLED, Status.CLOSED, Status.VOID, Status.INVALID, Status.MERGED}
)


def holder_unit_ids(event: Event) -> set[int]:
    return set(
        Assignment.objects.filter(event_id=event.pk, status__in=ACTIVE_ASSIGNMENT).values_list(
            "unit_id", flat=True
        )
    )


def authorize(
    event: Event,
    actor: Actor,
    action: str,
    *,
    holders: set[int] | None = None,
    workflow: Workflow | None = None,
) -> set[str]:
    """The actor's kinds on this event, or a clear refusal (409 wrong state, 403 wrong person).

    `holders` are the units holding active assignments, when the caller has already read them; `workflow` is the
    loop's declaration to check against (the loop of `rules` unless a caller holds its own).
    """
    loop = workflow or rules.LOOP
    if holders is None:
        # Holding matters only to a person with a unit, and only for steps a holder may take: otherwise no query.
        holder_step = any(rules.A.HOLDER in move.actors for move in loop.moves_for(action, event.status))
        holders = holder_unit_ids(event) if holder_step and getattr(actor, "unit_id", None) else set()
    kinds = rules.actor_kinds(event, actor, holders)
    loop.authorize(action, event.status, kinds, what="事件")
    return kinds


def authorize_holder(
    event: Event, actor: Person, action: str, statuses: frozenset[str] | set[str] = ACTIVE_ASSIGNMENT
) -> Assignment:
    """Authorise a step of a handling unit and return its assignment the step acts on (one query for both)."""
    active = list(
        Assignment.objects.filter(event_id=event.pk, status__in=ACTIVE_ASSIGNMENT).order_by("-round", "-id")
    )
    authorize(event, actor, action, holders={a.unit_id for a in active})
    mine = next((a for a in active if a.unit_id == actor.unit_id and a.status in statuses), None)
    if mine is None:
        raise NotFound("您的单位在此事件上没有待办任务", code="no_assignment")
    return mine


def move_assignments(assignments: Any, action: str, **fields: Any) -> int:
    """Move the assignments of `assignments` (a queryset) by `action` of the assignment table, with `fields` set in
    the same statement; those not in one of the move's source states are left alone. Returns how many moved."""
    (row,) = [m for m in rules.ASSIGNMENT_TABLE if m.action == action]
    assert row.target is not None
    return int(assignments.filter(status__in=row.sources).update(status=row.target, **fields))


def require(condition: bool, message: str, *, code: str = "invalid_transition") -> None:
    if not condition:
        raise Conflict(message, code=code)


REPORTER_CHECKS = "reporter_checks_own"


def reporter_ids(event: Event) -> set[int]:
    """The accounts that reported this problem: the event's reporter and those of the reports merged into it
    (read from the prefetched `merged` when the page loaded it)."""
    cache = getattr(event, "_prefetched_objects_cache", {})
    merged = (
        [e.reporter_id for e in cache["merged"]]
        if "merged" in cache
        else Event.objects.filter(merged_into_id=event.pk).values_list("reporter_id", flat=True)
    )
    return {pk for pk in (event.reporter_id, *merged) if pk is not None}


def require_not_reporter(event: Event, person: Any, *, field: str, what: str) -> None:
    """A named guard: whoever reported a problem is not the one sent to verify it or check its handling."""
    if person.pk in reporter_ids(event):
        raise InvalidInput(
            f"{person.name}是本事件的上报人，不能{what}自己上报的事件，请另选人员",
            code=REPORTER_CHECKS,
            details={field: "上报人不能担任"},
        )


def commit_step(
    event: Event,
    *,
    actor: Actor,
    action: str,
    to: str | None = None,
    note: str = "",
    unit_id: int | None = None,
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> Transition:
    """Move `event` (as the caller loaded it) to `to`, or keep its status, and record the step.

    The update matches only if nobody changed the event since it was loaded (same version and status).
    `fields` are further columns to set in the same statement; `event` is updated in memory to match.
    """
    now = now or timezone.now()
    last_step_at = event.last_step_at

    def history(event: Event, moved: Moved) -> Transition:
        return Transition.objects.create(
            event=event,
            seq=moved.seq,
            at=moved.at,
            actor=actor,
            action=action,
            from_status=moved.from_status,
            to_status=moved.to_status,
            level=event.level,
            unit_id=unit_id,
            note=note,
            elapsed_seconds=working_seconds(last_step_at, moved.at),
            data=data or {},
        )

    moved, transition = commit_move(
        event,
        workflow="event",
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=data,
        now=now,
        stale=STALE,
        object_repr=f"{event.number or event.pk} {event.title}",
        last_step_at=now,
        **fields,
    )
    if moved.to_status in SETTLED and moved.from_status not in SETTLED:
        SupervisionOrder.objects.filter(event=event, resolved_at__isnull=True).update(resolved_at=now)
    assert isinstance(transition, Transition)
    return transition


def reset_stage_clock() -> dict[str, Any]:
    """Fields that stop the current stage's clock."""
    return {"stage_started_at": None, "warn_at": None, "deadline": None, "warned": False, "overdue": False}


def stage_clock_fields(clock: Any) -> dict[str, Any]:
    return {
        "stage_started_at": clock.started,
        "warn_at": clock.warn_at,
        "deadline": clock.deadline,
        "warned": False,
        "overdue": False,
    }


def triage_clock_fields(now: dt.datetime) -> dict[str, Any]:
    """The clock of an event waiting for the command room (to register, dispatch or re-dispatch it)."""
    return stage_clock_fields(hours_clock(now, TRIAGE_HOURS))


def label(status: str) -> str:
    return str(Status(status).label)


@transaction.atomic
def event_generic_step(workflow: Workflow, action: str, actor: Actor, event: Event, payload: Any) -> Event:
    """A step declared without a service of its own: authorised by the table, moved to the row's one target (or
    kept, for a row without one) with the payload's note, recorded like every other step."""
    authorize(event, actor, action, workflow=workflow)
    (target,) = workflow.targets(action, event.status)
    commit_step(event, actor=actor, action=action, to=target, note=getattr(payload, "note", ""))
    return event
