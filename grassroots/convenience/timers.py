"""What the one timer worker does with an application's clocks: warn the holder before the promised limit, and
make an overdue application a supervision matter in the command room's loop (an event linked to it)."""

import datetime as dt
from typing import Any

from django.conf import settings

from grassroots.events.choices import Source
from grassroots.events.models import EventType
from grassroots.events.services import event_report
from grassroots.notifications.services import notify_after_commit
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records
from grassroots.workflow.models import Clock

from .models import Application, Rectification

# The event type an overdue application is supervised under (a 便民服务 class of the catalogue).
OVERDUE_EVENT_TYPE = getattr(settings, "CONVENIENCE_OVERDUE_EVENT_TYPE", "FW0102")


def _holder_ids(application: Application) -> list[int]:
    return [pk for pk in {application.handler_id, application.first_clerk_id} if pk]


def application_warn(clock: Clock, now: dt.datetime) -> None:
    application = Application.objects.select_related("item").filter(pk=clock.object_id).first()
    if application is None:
        return
    notify_after_commit(
        person_ids=_holder_ids(application),
        verb="application_due_soon",
        text=f"办件 {application.number}（{application.item.name}）临近承诺时限，请抓紧办理",
    )


def application_overdue(clock: Clock, now: dt.datetime) -> Any:
    application = (
        Application.objects.select_related("item", "centre__township").filter(pk=clock.object_id).first()
    )
    if application is None:
        return None
    Application.objects.filter(pk=application.pk).update(late=True)
    event_type = EventType.objects.in_force(now).filter(code=OVERDUE_EVENT_TYPE).first()
    if event_type is not None:
        result = event_report(
            actor=None,
            event_type=event_type,
            source=Source.STAFF,
            title=f"办件超期督办：{application.number}",
            description=f"{application.item.name}（承诺时限 {application.item.promise_label}）已超期，请督促办理。",
            address=application.centre.name,
            idempotency_key=f"application-overdue-{application.pk}",
        )
        link_records(
            actor=None,
            source=RecordRef("application", application.pk),
            target=RecordRef("event", result.event.pk),
            kind=LinkKind.RELATED,
            note="办件超期，转指挥室督办",
        )
    notify_after_commit(
        person_ids=_holder_ids(application),
        verb="application_overdue",
        text=f"办件 {application.number}（{application.item.name}）已超过承诺时限，已转指挥室督办",
    )
    return None


def rectification_overdue(clock: Clock, now: dt.datetime) -> None:
    Rectification.objects.filter(pk=clock.object_id).update(late=True)
