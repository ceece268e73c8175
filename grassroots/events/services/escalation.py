"""Escalation (grid → village → township → district, and back down) and supervision orders (督办/催办)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.people.actors import Actor

from ..choices import (
    ACTIVE_ASSIGNMENT,
    Level,
    Mode,
    Status,
    SupervisionKind,
    SupervisionReason,
)
from ..clock import extend
from ..models import Assignment, Event, SupervisionOrder
from ..routing import task_staff_ids, triage_unit_for, village_unit_for
from .core import authorize, commit_step, move_assignments, require, triage_clock_fields


def escalate_up(
    event: Event,
    *,
    actor: Actor,
    reason: str,
    action: str = "escalate",
    extra: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> Event:
    """Move the event one level up. Callers have authorised the step; this cancels what the old level held.

    `now` is the timer's tick time, so a catch-up records and clocks the step at the moment it was due.
    """
    from .triage import dispatch_round  # triage imports nothing from here; avoid the cycle at import time

    require(event.level < Level.DISTRICT, "事件已在区县层级，不能再升级")
    move_assignments(Assignment.objects.filter(event=event), "cancel")
    new_level = event.level + 1
    fields = {"escalation_count": event.escalation_count + 1, **(extra or {})}
    data = {"direction": "up", "from_level": event.level, "to_level": new_level}
    village = village_unit_for(event) if new_level == Level.VILLAGE else None
    if village is not None:
        # Grid → village: the village committee handles it directly.
        return dispatch_round(
            event,
            actor=actor,
            lead=village,
            assists=[],
            mode=event.mode or Mode.ASSIGNED,
            note=reason,
            action=action,
            extra={**fields},
            now=now,
        )
    new_level = max(new_level, Level.TOWNSHIP)
    if new_level == Level.DISTRICT:
        fields["route"] = "district"  # seed 003: beyond the township, up to the district centre
    holder = triage_unit_for(event, new_level)
    event.level = new_level
    now = now or timezone.now()
    commit_step(
        event,
        actor=actor,
        action=action,
        to=Status.REGISTERED,
        note=reason,
        now=now,
        level=new_level,
        holder_unit=holder,
        unit_id=holder.pk if holder else None,
        data={**data, "to_level": new_level},
        **fields,
        **triage_clock_fields(now),
    )
    if holder is not None:
        notify_after_commit(
            person_ids=unit_staff_ids([holder.pk]),
            verb="escalate",
            text=f"事件 {event.number} 升级至{Level(new_level).label}：{reason}",
            event_id=event.pk,
        )
    return event


@transaction.atomic
def event_escalate(*, actor: Actor, event: Event, reason: str, direction: str = "up") -> Event:
    """升级 when the holder says it is beyond its power; the district may send an event back down (下派)."""
    kinds = authorize(event, actor, "escalate")
    if not reason.strip():
        raise InvalidInput("请填写升级或下派的理由", details={"reason": "必填"})
    if direction == "up":
        return escalate_up(event, actor=actor, reason=reason)
    if direction != "down":
        raise InvalidInput("方向应为 up 或 down", details={"direction": direction})
    require(event.level == Level.DISTRICT and "command" in kinds, "只有区指挥中心可以把四级事件下派到乡镇")
    move_assignments(Assignment.objects.filter(event=event), "cancel")
    event.level = Level.TOWNSHIP
    holder = triage_unit_for(event, Level.TOWNSHIP)
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="escalate",
        to=Status.REGISTERED,
        note=reason,
        now=now,
        level=Level.TOWNSHIP,
        holder_unit=holder,
        unit_id=holder.pk if holder else None,
        data={"direction": "down", "from_level": Level.DISTRICT, "to_level": Level.TOWNSHIP},
        **triage_clock_fields(now),
    )
    if holder is not None:
        notify_after_commit(
            person_ids=unit_staff_ids([holder.pk]),
            verb="deescalate",
            text=f"区指挥中心下派事件 {event.number}：{reason}",
            event_id=event.pk,
        )
    return event


SUPERVISION_OPEN = "supervision_open"


def open_supervision_kinds(event: Event) -> set[str]:
    """The kinds of order still open on `event` (from its prefetched orders when the page loaded them)."""
    cache = getattr(event, "_prefetched_objects_cache", {})
    if "supervision_orders" in cache:
        return {o.kind for o in cache["supervision_orders"] if o.resolved_at is None}
    return set(
        SupervisionOrder.objects.filter(event=event, resolved_at__isnull=True).values_list("kind", flat=True)
    )


def supervision_open_error(kind: str) -> Conflict:
    label = SupervisionKind(kind).label
    return Conflict(
        f"该事件已有未结束的同类督办（{label}），请待其办结后再下发",
        code=SUPERVISION_OPEN,
        details={"kind": kind},
    )


def require_no_open_order(event: Event, kind: str) -> None:
    """A named guard: one open order per event and kind (a repeat would only repeat its notices)."""
    if kind in open_supervision_kinds(event):
        raise supervision_open_error(kind)


@transaction.atomic
def event_supervise(
    *,
    actor: Actor,
    event: Event,
    kind: str = SupervisionKind.SUPERVISE,
    reason: str = SupervisionReason.LEADER,
    days: Decimal | float = 1,
    note: str = "",
    now: dt.datetime | None = None,
) -> SupervisionOrder:
    """督办/催办: an order with its own deadline, addressed to the unit holding the event."""
    authorize(event, actor, "supervise")
    if kind not in SupervisionKind.values:
        raise InvalidInput("督办类型无效", details={"kind": f"应为 {', '.join(SupervisionKind.values)}"})
    if reason not in SupervisionReason.values:
        raise InvalidInput("督办原因无效", details={"reason": f"应为 {', '.join(SupervisionReason.values)}"})
    require_no_open_order(event, kind)
    now = now or timezone.now()
    deadline = extend(now, days)
    lead = Assignment.objects.filter(event=event, status__in=ACTIVE_ASSIGNMENT, role="lead").first()
    unit_id = lead.unit_id if lead else event.holder_unit_id
    fields: dict[str, Any] = {"leader_flagged": True} if reason == SupervisionReason.LEADER else {}
    # The order is written before the event's compare-and-set: of two concurrent orders the second waits on
    # the one-open-order index and is told the real reason (an order is open), not only that the event changed.
    # Should the compare-and-set then fail, the transaction takes the order back with it.
    try:
        with transaction.atomic():
            order = SupervisionOrder.objects.create(
                event=event,
                kind=kind,
                reason=reason,
                unit_id=unit_id,
                issued_by=actor,
                issued_at=now,
                deadline=deadline,
                note=note,
            )
    except IntegrityError:
        raise supervision_open_error(kind) from None
    commit_step(
        event,
        actor=actor,
        action="supervise",
        note=note,
        unit_id=unit_id,
        now=now,
        data={"kind": kind, "reason": reason, "deadline": deadline.isoformat()},
        **fields,
    )
    if unit_id:
        notify_after_commit(
            person_ids=task_staff_ids([unit_id]),
            verb="supervise",
            text=f"{SupervisionKind(kind).label}：事件 {event.number}（{SupervisionReason(reason).label}），"
            f"请于 {timezone.localtime(deadline):%m-%d %H:%M} 前办结",
            event_id=event.pk,
        )
    return order
