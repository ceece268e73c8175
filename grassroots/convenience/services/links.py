"""The platform and the closed loop, linked both ways: an event of the 便民服务 platform (a resident asks for help)
becomes an application that a clerk or a village agent files for them, and a complaint about an application becomes
an event in the command room's loop."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import InvalidInput, NotFound
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.events.services import event_report
from grassroots.org.choices import PlatformKind
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

from ..models import Application
from .common import PHONE_ERROR, phone_ok

COMPLAINT_MAX = 1000


def complaint_event_type() -> str:
    """The event type a complaint about an application is filed under (民生诉求 unless configured)."""
    return str(getattr(settings, "CONVENIENCE_COMPLAINT_EVENT_TYPE", "FW0502"))


def guard_event_of_service(event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound("事件不存在", code="event_not_found", details={"event": event_id})
    if event.platform != PlatformKind.SERVICE:
        raise InvalidInput(
            "只有便民服务平台的事件可以转为办件", code="event_not_service", details={"event": event_id}
        )
    return event


def link_from_event(*, actor: Any, application: Application, event_id: int) -> None:
    """The application was filed for the resident behind a 便民服务 event: event 转为 application. The actor must
    see the event (the link service checks it), inside the caller's transaction."""
    guard_event_of_service(event_id)
    link_records(
        actor=actor,
        source=RecordRef("event", event_id),
        target=RecordRef("application", application.pk),
        kind=LinkKind.BECAME,
        note="群众求助，代为申办",
    )


@transaction.atomic
def application_complain(
    *,
    actor: Any,
    application: Application,
    text: str,
    complainant_name: str = "",
    complainant_phone: str = "",
    source: str = Source.PHONE,
    now: dt.datetime | None = None,
) -> Event:
    """A complaint about an application (by phone, a letter, a visit) goes to the command room as an event of the
    complaint type, linked to the application; the loop dispatches and scores it like any other."""
    text = text.strip()
    if not text:
        raise InvalidInput("请填写投诉内容", code="complaint_empty", details={"text": "请填写投诉内容"})
    if len(text) > COMPLAINT_MAX:
        raise InvalidInput(
            f"投诉内容不能超过 {COMPLAINT_MAX} 字", code="complaint_too_long", details={"text": "内容过长"}
        )
    if not phone_ok(complainant_phone.strip()):
        raise InvalidInput(PHONE_ERROR, code="invalid_phone", details={"complainant_phone": PHONE_ERROR})
    if source not in Source.values:
        raise InvalidInput("投诉来源不正确", code="complaint_source", details={"source": source})
    now = now or timezone.now()
    code = complaint_event_type()
    event_type = EventType.objects.in_force(now).filter(code=code).first()
    if event_type is None:
        raise NotFound(f"事件类型 {code} 未启用，无法登记投诉", code="event_type_not_found")
    item = application.item
    result = event_report(
        actor=actor,
        event_type=event_type,
        source=source,
        title=f"办件投诉：{application.number} {item.name}"[:100],
        description=text,
        address=application.centre.name,
        reporter_name=complainant_name.strip(),
        reporter_phone=complainant_phone.strip(),
    )
    # The system links the event it has just filed: the complainant's account need not see the command room's
    # record (the audit row of the report names who filed it).
    link_records(
        actor=None,
        source=RecordRef("application", application.pk),
        target=RecordRef("event", result.event.pk),
        kind=LinkKind.RELATED,
        note="群众投诉，转指挥室",
    )
    return result.event
