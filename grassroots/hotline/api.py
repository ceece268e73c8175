"""The hotline API (/api/v1/hotline): the 12345 side's call back with its receipt or answer (signed with the
shared secret, no user token), and the command room's 转12345 and its orders, scoped like the event pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja import Status as Answer

from grassroots.core.errors import DomainError, InvalidInput
from grassroots.events.permissions import access_event, visible_to
from grassroots.events.schemas import ErrorOut
from grassroots.people.actors import person_of

from . import connector
from .choices import OrderState
from .conf import hotline_settings
from .models import WorkOrder
from .schemas import HotlineHandOffIn, HotlineOrderOut, HotlineReplyIn, HotlineReplyOut
from .services import hotline_hand_off, hotline_reply_record

router = Router(tags=["hotline"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Unsigned(DomainError):
    status = 401
    code = "bad_signature"


def order_out(order: WorkOrder) -> HotlineOrderOut:
    return HotlineOrderOut(
        id=order.pk,
        event_id=order.event_id,
        event_number=order.event.number or "",
        idempotency_key=order.idempotency_key,
        external_number=order.external_number,
        state=order.state,
        state_label=str(OrderState(order.state).label),
        attempts=order.attempts,
        next_attempt_at=order.next_attempt_at,
        last_error=order.last_error,
        answer=order.answer,
        answered_by=order.answered_by,
        created_at=order.created_at,
        sent_at=order.sent_at,
        answered_at=order.answered_at,
    )


@router.post(
    "/answers",
    auth=None,
    response={200: HotlineReplyOut, **ERRORS},
    summary="12345 回传受理或答复（共享密钥签名，可重复投递）",
    operation_id="hotline_reply",
)
def hotline_reply(request: HttpRequest, payload: HotlineReplyIn) -> Any:
    secret = hotline_settings().secret
    signed = connector.signature_valid(
        secret,
        request.headers.get(connector.TIMESTAMP_HEADER, ""),
        request.headers.get(connector.SIGNATURE_HEADER, ""),
        request.body,
    )
    if not signed:
        raise Unsigned("签名无效或已过期：请用共享密钥按 docs/hotline-12345.md 签名", code="bad_signature")
    try:
        reply = connector.reply_from(payload.dict())
    except ValueError as exc:
        raise InvalidInput(str(exc), code="invalid_reply") from None
    order, recorded = hotline_reply_record(reply=reply)
    return HotlineReplyOut(recorded=recorded, order=order_out(order))


class HotlineOrderQuery(Schema):
    q: str = ""
    state: str = ""


@router.get(
    "/orders",
    response={200: list[HotlineOrderOut], **ERRORS},
    summary="12345 转办工单（按范围；q 按工单号或事件编号查找）",
    operation_id="hotline_order_list",
)
def hotline_order_list(request: HttpRequest, query: Query[HotlineOrderQuery]) -> Any:
    viewer = person_of(request)
    orders = WorkOrder.objects.filter(event__in=visible_to(viewer)).select_related("event")
    if query.q.strip():
        q = query.q.strip()
        orders = orders.filter(external_number=q) | orders.filter(event__number=q)
    if query.state:
        orders = orders.filter(state=query.state)
    return [order_out(o) for o in orders.order_by("-created_at", "-id")[:200]]


@router.post(
    "/events/{event_id}/hand-off",
    response={201: HotlineOrderOut, **ERRORS},
    summary="转12345（指挥室；已立案未派遣的事件）",
    operation_id="hotline_hand_off",
)
def hotline_hand_off_api(request: HttpRequest, event_id: int, payload: HotlineHandOffIn) -> Any:
    viewer = person_of(request)
    event = access_event(viewer, event_id)
    order = hotline_hand_off(actor=viewer, event=event, note=payload.note)
    return Answer(201, order_out(order))
