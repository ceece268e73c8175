"""Every write of the hand-off: the operator's 转12345, and what the 12345 side says back (receipt, answer).

The worker's side (sending, retrying, polling, reading the inbox) is in `sending.py`; both write the event's
history through the loop's own `commit_step`, in the same transaction as the order's change.
"""

import logging
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput, NotFound
from grassroots.events.choices import Status
from grassroots.events.clock import hours_clock
from grassroots.events.models import Event
from grassroots.events.routes import LEADERS, route_label
from grassroots.events.routing import triage_unit_for
from grassroots.events.services.core import authorize, commit_step, stage_clock_fields
from grassroots.people.models import Person

from . import steps
from .choices import OPEN_STATES, OrderState
from .conf import hotline_settings
from .connector import Reply
from .models import WorkOrder

log = logging.getLogger("grassroots.hotline")
NOTE_MAX = 2000


def order_payload(event: Event, *, key: str, note: str) -> dict[str, Any]:
    """What the 12345 side gets (docs/hotline-12345.md, "Work order"): the matter, not the caller's identity."""
    return {
        "idempotency_key": key,
        "source_number": event.number,
        "title": event.title,
        "description": event.description,
        "category": f"{event.event_type.code} {event.event_type.name}",
        "address": event.address,
        "region_code": event.region_code,
        "lon": event.lon,
        "lat": event.lat,
        "reported_at": event.reported_at.isoformat(),
        "note": note,
    }


@transaction.atomic
def hotline_hand_off(*, actor: Person, event: Event, note: str) -> WorkOrder:
    """转12345: the command room hands a registered event out to the 12345 platform; the worker sends it."""
    authorize(event, actor, steps.HAND_OFF, workflow=steps.WORKFLOW)
    note = note.strip()
    if not note:
        raise InvalidInput("请填写转办说明（为何转12345）", details={"note": "必填"})
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"转办说明不能超过 {NOTE_MAX} 字", details={"note": "过长"})
    if WorkOrder.objects.filter(event=event, state__in=OPEN_STATES).exists():
        raise Conflict("该事件已转12345，正在等待答复", code="already_handed_off")
    check_route(event)
    key = uuid.uuid4().hex
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action=steps.HAND_OFF,
        note=note,
        data={"idempotency_key": key},
        now=now,
        route=steps.HOTLINE_ROUTE,
    )
    try:
        with transaction.atomic():
            return WorkOrder.objects.create(
                event=event,
                idempotency_key=key,
                mode=hotline_settings().mode,
                payload=order_payload(event, key=key, note=note),
                note=note,
                created_by=actor,
                next_attempt_at=now,
            )
    except IntegrityError:  # another operator's hand-off of the same event won the race
        raise Conflict("该事件已转12345，正在等待答复", code="already_handed_off") from None


def check_route(event: Event) -> None:
    """Seed 003: nothing leaves while the leaders' 研判 is pending, and after it only the route they decided."""
    if event.route == LEADERS:
        raise Conflict("该事件已提交领导研判，请等待领导决定分流路径后再转办", code="awaiting_leaders")
    if event.route_note and event.route not in {"", steps.HOTLINE_ROUTE}:
        raise Conflict(
            f"领导研判决定的分流路径为“{route_label(event.route)}”，不能转12345",
            code="route_mismatch",
            details={"route": event.route},
        )


def note_on_event(event_id: int, action: str, note: str, **fields: Any) -> Event:
    """A step of the system on the event (history row, audit row), whatever the event's state.

    The event is read afresh; if a person's step slips in between, it is read once more and tried again.
    """
    for attempt in range(3):
        event = Event.objects.select_related("event_type").get(pk=event_id)
        (target,) = steps.WORKFLOW.targets(action, event.status)
        extra = dict(fields)
        if target == Status.FED_BACK:  # as the units' feedback does: the check's clock starts
            now = timezone.now()
            extra |= {
                "fed_back_at": now,
                **stage_clock_fields(hours_clock(now, event.event_type.check_hours)),
            }
            extra["holder_unit"] = triage_unit_for(event, event.level)
        try:
            with transaction.atomic():
                commit_step(event, actor=None, action=action, to=target, note=note, **extra)
            return event
        except Conflict:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _find(reply: Reply) -> WorkOrder:
    orders = WorkOrder.objects.select_for_update()
    order = None
    if reply.idempotency_key:
        order = orders.filter(idempotency_key=reply.idempotency_key).first()
    if order is None and reply.external_number:
        order = orders.filter(external_number=reply.external_number).first()
    if order is None:
        raise NotFound("没有这个 12345 转办工单", code="unknown_work_order")
    if reply.external_number and order.external_number and order.external_number != reply.external_number:
        raise Conflict("工单号与本系统记录的不一致", code="number_mismatch")
    return order


@transaction.atomic
def hotline_reply_record(*, reply: Reply) -> tuple[WorkOrder, bool]:
    """Record what the 12345 side says of an order (call back, poll or inbox file). Idempotent: the same reply
    twice records once; the answer of an answered order is not replaced. Returns the order and whether it changed.
    """
    order = _find(reply)
    now = timezone.now()
    number = order.external_number or reply.external_number
    if order.state == OrderState.ANSWERED:
        if reply.status == "answered" and reply.answer.strip() != order.answer:
            raise Conflict("该工单已有答复，不能更改", code="already_answered")
        return order, False
    if reply.status == "pending" or (reply.status == "accepted" and order.state == OrderState.ACCEPTED):
        return order, False
    if reply.status == "accepted":
        order.state, order.accepted_at, order.external_number = OrderState.ACCEPTED, now, number
        order.save(update_fields=["state", "accepted_at", "external_number", "updated_at"])
        note_on_event(order.event_id, steps.ACCEPTED, f"12345 工单号 {number}")
        return order, True
    answer = reply.answer.strip()
    order.state, order.external_number, order.answer = OrderState.ANSWERED, number, answer
    order.answered_by, order.answered_at = reply.answered_by, reply.answered_at or now
    order.next_attempt_at = None
    order.save()
    who = f"（{reply.answered_by}）" if reply.answered_by else ""
    note_on_event(order.event_id, steps.ANSWER, f"12345 工单号 {number}{who}答复：{answer}")
    return order, True
