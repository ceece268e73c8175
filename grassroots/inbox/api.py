"""The inbox through the API (/api/v1/inbox): a person's notifications and marking them read."""

from django.http import HttpRequest
from ninja import P, Router
from ninja.params import QueryEx

from grassroots.events.schemas import ErrorOut
from grassroots.notifications.models import Notification
from grassroots.notifications.selectors import inbox_of
from grassroots.notifications.services import notifications_mark_read, unread_count
from grassroots.people.actors import person_of

from .schemas import InboxOut, InboxReadIn, InboxReadOut, NotificationOut

router = Router(tags=["inbox"])
MAX_ITEMS = 200


def _notification(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk,
        verb=n.verb,
        text=n.text,
        event_id=n.event_id,
        created_at=n.created_at,
        read_at=n.read_at,
        repeats=n.repeats,
    )


@router.get(
    "",
    response={200: InboxOut, 401: ErrorOut, 422: ErrorOut},
    summary="我的站内通知",
    operation_id="inbox_list",
)
def inbox(
    request: HttpRequest,
    unread: QueryEx[bool, P(description="只看未读")] = False,
    limit: QueryEx[int, P(ge=1, le=MAX_ITEMS)] = 50,
) -> InboxOut:
    viewer = person_of(request)
    rows = inbox_of(viewer, only_unread=unread)[:limit]
    return InboxOut(unread=unread_count(viewer), items=[_notification(n) for n in rows])


@router.post(
    "/read",
    response={200: InboxReadOut, 401: ErrorOut, 422: ErrorOut},
    summary="标为已读",
    operation_id="inbox_read",
)
def inbox_read(request: HttpRequest, payload: InboxReadIn) -> InboxReadOut:
    viewer = person_of(request)
    marked = notifications_mark_read(person=viewer, ids=payload.ids)
    return InboxReadOut(marked=marked, unread=unread_count(viewer))
