"""`{% intake_panel event %}` on the event page: what the intake desk wrote down (letter date and number, visitors,
call back, ID number), the callers of the repeat reports merged into the event, and scanned letters (PDF).

Callers are personal data: masked as the event's reporter is (by role, always for the handling side), and every
unmasked read is audited like the reporter's."""

from typing import Any

from django import template
from django.urls import reverse

from grassroots.audit.services import audit_record_read
from grassroots.people.selectors import personal_data, sees_personal_data

from ..choices import AttachmentKind
from ..models import Event, IntakeRecord
from ..selectors import hides_reporter

register = template.Library()
READ_FIELDS = ("reporter_name", "reporter_phone", "caller_id_number")


@register.inclusion_tag("events/intake_panel.html", takes_context=True)
def intake_panel(context: template.Context, event: Event) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    merged = list(event.merged.all())
    records = {
        r.event_id: r for r in IntakeRecord.objects.filter(event_id__in=[event.pk, *(m.pk for m in merged)])
    }
    documents = [
        {"a": a, "url": reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": a.pk})}
        for a in event.attachments.all()
        if a.kind == AttachmentKind.DOCUMENT
    ]
    if not records and not merged and not documents:
        return {"shown": False}
    hidden = hides_reporter(viewer, event)
    read: list[Event] = []

    def caller(report: Event) -> dict[str, Any]:
        record = records.get(report.pk)
        id_number = record.caller_id_number if record else ""
        shown = personal_data(
            viewer=None if hidden else viewer,
            name=report.reporter_name,
            phone=report.reporter_phone,
            id_number=id_number,
            subject_id=None if hidden else report.reporter_id,
        )
        unmasked = not hidden and sees_personal_data(viewer, report.reporter_id)
        own = report.reporter_id is not None and report.reporter_id == getattr(viewer, "pk", None)
        if unmasked and not own and (report.reporter_name or report.reporter_phone or id_number):
            read.append(report)
        return {"event": report, "record": record, **shown}

    own = records.get(event.pk)
    repeats = [caller(m) for m in merged]
    id_number = ""
    if own is not None and own.caller_id_number:
        id_number = caller(event)["id_number"]
    if read:
        audit_record_read(actor=viewer, objects=read, fields=READ_FIELDS, purpose="page.events.detail.intake")
    return {
        "shown": True,
        "event": event,
        "record": own,
        "id_number": id_number,
        "repeats": repeats,
        "documents": documents,
    }
