"""What the event API's endpoints share: the routers, the error responses, the body read as JSON or form,
loading an event in scope, and the shapes of an event in answers."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.geo.selectors import division_brief, grid_brief
from grassroots.people.models import Person

from .. import rules
from ..choices import ACTIVE_ASSIGNMENT, Status
from ..models import Attachment, Event
from ..permissions import access_event
from ..routes import route_label
from ..schemas import (
    AssignmentOut,
    AttachmentOut,
    ErrorOut,
    EventDetailOut,
    EventRef,
    ExtensionRequestOut,
    FeedbackOut,
    Ref,
    ReporterOut,
    SupervisionOrderOut,
    SuspensionOut,
    TransitionOut,
)
from ..selectors import (
    actor_namer,
    allowed_actions,
    event_detail,
    event_reporter_shown,
    light_of,
)
from ..services.routing import feedback_missing

router = Router(tags=["events"])
types_router = Router(tags=["event-types"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _files(request: HttpRequest) -> list[UploadedFile]:
    return request.FILES.getlist("files")


# -- helpers ------------------------------------------------------------------------------------------------


def _viewer(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # both authenticators set a Person
    return user


def _load(request: HttpRequest, event_id: int, if_match: str | None) -> Event:
    """The event in the caller's scope, refused when the client's `If-Match` version is no longer current."""
    event = access_event(_viewer(request), event_id)
    if if_match is not None:
        text = if_match.strip().removeprefix("W/").strip('"')
        if not text.isdigit():
            raise InvalidInput("If-Match 应为事件版本号", details={"If-Match": if_match})
        if int(text) != event.version:
            raise Conflict(
                "事件已被他人处理或已变化，请刷新后重试",
                code="stale_event",
                details={"version": event.version, "if_match": int(text)},
            )
    return event


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time given without an offset is Beijing time (the product's zone)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _elapsed_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    return f"{hours}小时{minutes}分" if hours else f"{minutes}分"


def _ref(obj: Any) -> Ref | None:
    return Ref(id=obj.pk, name=obj.name) if obj is not None else None


def _event_ref(event: Event) -> EventRef:
    return EventRef(
        id=event.pk,
        number=event.number,
        title=event.title,
        status=event.status,
        reported_at=event.reported_at,
    )


def _with_places(event: Event) -> Event:
    """Link the event's grid, village and township from the per-process memo, so naming them costs no query."""
    for field, brief in (("grid", grid_brief), ("village", division_brief), ("township", division_brief)):
        pk = getattr(event, f"{field}_id")
        if pk is not None:
            setattr(event, field, brief(pk))
    return event


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Times answer in UTC, as read from the database, also when the event was just built in memory."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _list_fields(event: Event, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": event.pk,
        "number": event.number,
        "title": event.title,
        "status": event.status,
        "status_label": str(Status(event.status).label),
        "source": event.source,
        "event_type": event.event_type.code,
        "event_type_name": event.event_type.name,
        "platform": event.platform,
        "level": event.level,
        "mode": event.mode,
        "urgency": event.urgency,
        "address": event.address,
        "grid": event.grid.code if event.grid else None,
        "village": event.village.name if event.village else None,
        "township": event.township.name if event.township else None,
        "holder_unit": _ref(event.holder_unit),
        "reported_at": _utc(event.reported_at),
        "stage_started_at": _utc(event.stage_started_at),
        "warn_at": _utc(event.warn_at),
        "deadline": _utc(event.deadline),
        "light": light_of(overdue=event.overdue, warn_at=event.warn_at, deadline=event.deadline, now=now),
        "overdue": event.overdue,
        "joint": event.joint,
        "extended": event.extended,
        "rework_count": event.rework_count,
        "return_count": event.return_count,
        "version": event.version,
    }


def _detail(request: HttpRequest, event_id: int, *, purpose: str) -> EventDetailOut:
    viewer = _viewer(request)
    event = event_detail(viewer=viewer, event_id=event_id)
    now = timezone.now()
    actor_name = actor_namer(viewer=viewer, event=event)

    return EventDetailOut(
        **_list_fields(event, now),
        description=event.description,
        lon=event.lon,
        lat=event.lat,
        outside_grid=event.outside_grid,
        reporter=ReporterOut(**event_reporter_shown(viewer=viewer, event=event, purpose=purpose)),
        first_receiver=actor_name(event.first_receiver),
        verifier=actor_name(event.verifier),
        merged_into=_event_ref(event.merged_into) if event.merged_into else None,
        satisfaction=event.satisfaction,
        route=event.route,
        route_label=route_label(event.route) if event.route else "",
        route_note=event.route_note,
        leader=actor_name(event.leader),
        feedback=FeedbackOut(
            command_at=event.result_fed_back_at,
            reporter_at=event.reporter_informed_at,
            reporter_declined=event.reporter_declined,
            missing=sorted(feedback_missing(event)),
        ),
        reopen_count=event.reopen_count,
        escalation_count=event.escalation_count,
        leader_flagged=event.leader_flagged,
        registered_at=event.registered_at,
        dispatched_at=event.dispatched_at,
        fed_back_at=event.fed_back_at,
        closed_at=event.closed_at,
        archived_at=event.archived_at,
        due_at=event.due_at,
        history=[
            TransitionOut(
                seq=t.seq,
                at=t.at,
                action=t.action,
                action_label=rules.ACTION_LABELS.get(t.action, t.action),
                from_status=t.from_status,
                to_status=t.to_status,
                level=t.level,
                actor=actor_name(t.actor) if t.actor else "系统",
                unit=t.unit.name if t.unit else None,
                note=t.note,
                elapsed_seconds=t.elapsed_seconds,
                elapsed=_elapsed_text(t.elapsed_seconds),
                data=t.data,
            )
            for t in event.transitions.all()
        ],
        assignments=[
            AssignmentOut(
                id=a.pk,
                unit=Ref(id=a.unit.pk, name=a.unit.name),
                role=a.role,
                status=a.status,
                round=a.round,
                level=a.level,
                mode=a.mode,
                dispatched_at=a.dispatched_at,
                warn_at=a.warn_at,
                deadline=a.deadline,
                light=light_of(overdue=a.overdue, warn_at=a.warn_at, deadline=a.deadline, now=now)
                if a.status in ACTIVE_ASSIGNMENT
                else None,
                signed_at=a.signed_at,
                fed_back_at=a.fed_back_at,
                feedback=a.feedback,
                returned_at=a.returned_at,
                return_reason=a.return_reason,
                extended=a.extended,
                overdue=a.overdue,
            )
            for a in event.assignments.all()
        ],
        supervision_orders=[
            SupervisionOrderOut(
                id=o.pk,
                kind=o.kind,
                reason=o.reason,
                unit=_ref(o.unit),
                issued_by=o.issued_by.name if o.issued_by else None,
                issued_at=o.issued_at,
                deadline=o.deadline,
                note=o.note,
                resolved_at=o.resolved_at,
            )
            for o in event.supervision_orders.all()
        ],
        extension_requests=[
            ExtensionRequestOut(
                id=r.pk,
                assignment_id=r.assignment_id,
                unit=Ref(id=r.assignment.unit.pk, name=r.assignment.unit.name),
                days=float(r.days),
                reason=r.reason,
                status=r.status,
                requested_at=r.requested_at,
                decided_at=r.decided_at,
                decision_note=r.decision_note,
            )
            for r in event.extension_requests.all()
        ],
        suspensions=[
            SuspensionOut(
                id=x.pk,
                assignment_id=x.assignment_id,
                unit=Ref(id=x.assignment.unit.pk, name=x.assignment.unit.name),
                kind=x.kind,
                reason=x.reason,
                status=x.status,
                requested_at=x.requested_at,
                decided_at=x.decided_at,
                decision_note=x.decision_note,
                started_at=x.started_at,
                ended_at=x.ended_at,
                paused_deadline=x.paused_deadline,
                paused_seconds=x.paused_seconds,
            )
            for x in event.suspensions.all()
        ],
        attachments=[_attachment(event, a) for a in event.attachments.all()],
        merged_events=[_event_ref(e) for e in event.merged.all()],
        allowed_actions=allowed_actions(event=event, viewer=viewer),
    )


def _attachment(event: Event, attachment: Attachment) -> AttachmentOut:
    url = reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": attachment.pk})
    return AttachmentOut(
        id=attachment.pk,
        url=url,
        kind=attachment.kind,
        phase=attachment.phase,
        content_type=attachment.content_type,
        size=attachment.size,
        original_name=attachment.original_name,
        uploaded_at=attachment.uploaded_at,
    )
