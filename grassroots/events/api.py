"""The events JSON API: report, list and read events, take each step of the loop, and read the inbox.

Views only parse input, load through `access_event` (404 out of scope) and call one service; services raise
`DomainError`s that `config/api.py` turns into the one error shape. Every action answers with the event detail.
"""

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_origin

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import P, Query, Router, Schema
from ninja import Status as Answer
from ninja.params import HeaderEx, ParamShortcut, QueryEx
from ninja.params.models import Body, BodyModel

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.geo.selectors import division_brief, grid_brief
from grassroots.notifications.models import Notification
from grassroots.notifications.services import notifications_mark_read, unread_count
from grassroots.people import permissions as people_permissions
from grassroots.people.choices import GRID_ROLES
from grassroots.people.models import Person

from . import rules, services
from .choices import ACTIVE_ASSIGNMENT, Source, Status
from .models import Attachment, Event, EventType
from .permissions import access_event, visible_to
from .schemas import (
    AssignmentOut,
    AttachmentOut,
    CallbackIn,
    CheckIn,
    DispatchIn,
    ErrorOut,
    EscalateIn,
    EventDetailOut,
    EventListItemOut,
    EventListOut,
    EventListQuery,
    EventRef,
    EventReportIn,
    EventTypeOut,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    ExtensionRequestOut,
    FeedBackIn,
    InboxOut,
    InboxReadIn,
    InboxReadOut,
    MergeIn,
    NoteIn,
    NotificationOut,
    ReasonIn,
    Ref,
    RegisterIn,
    ReporterOut,
    ReportOut,
    SelfHandleIn,
    SuperviseIn,
    SupervisionOrderOut,
    TimeLimitOut,
    TransitionOut,
    VerifyIn,
)
from .selectors import (
    MAX_PAGE,
    EventFilters,
    actor_namer,
    allowed_actions,
    event_detail,
    event_reporter_shown,
    event_type_by_code,
    event_types_tree,
    events_list,
    events_page,
    light_of,
)

router = Router(tags=["events"])
types_router = Router(tags=["event-types"])
inbox_router = Router(tags=["inbox"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# -- a body read as JSON or as form fields ------------------------------------------------------------------


class _JsonOrFormModel(BodyModel):
    """The body as JSON, or the same fields as multipart/form-data (with files) or urlencoded."""

    @classmethod
    def get_request_data(cls, request: HttpRequest, api: Any, path_params: Any) -> dict[str, Any] | None:
        name = getattr(cls, "__read_from_single_attr__", None)
        if request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            lists = _list_fields_of(cls.model_fields[name].annotation) if name else set()
            # An empty form field means "not given", so optional numbers and booleans keep their defaults.
            data: dict[str, Any] = {
                key: request.POST.getlist(key) if key in lists else value
                for key, value in request.POST.items()
                if value != ""
            }
        elif request.body:
            return super().get_request_data(request, api, path_params)
        else:
            data = {}  # no body: the fields' defaults apply, and missing required fields are reported
        return {name: data} if name else data


def _list_fields_of(schema: Any) -> set[str]:
    fields = getattr(schema, "model_fields", {})
    return {name for name, info in fields.items() if get_origin(info.annotation) is list}


class JsonOrForm(Body):  # type: ignore[misc]
    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"  # documented as JSON; the multipart form is added by `_multipart_doc`


if TYPE_CHECKING:
    T = TypeVar("T")
    Payload = Annotated[T, "body as JSON or form"]
else:

    def _json_or_form(default: Any = ..., **extra: Any) -> Any:
        return JsonOrForm(default, **extra)

    Payload = ParamShortcut(_json_or_form)  # `payload: Payload[SomeIn]`, like ninja's own `Body[SomeIn]`


def _multipart_doc(schema: str, *, files_required: bool = False) -> dict[str, Any]:
    """OpenAPI for the multipart variant of a JSON body: the same fields plus `files`."""
    files = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "照片或录音（JPEG/PNG/WebP/HEIC，MP3/M4A/WAV/AMR/OGG/WebM），按内容识别格式",
    }
    form = {"allOf": [{"$ref": f"#/components/schemas/{schema}"}], "properties": {"files": files}}
    if files_required:
        form["required"] = ["files"]
    return {"requestBody": {"content": {"multipart/form-data": {"schema": form}}}}


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


def _person(request: HttpRequest, person_id: int | None, *, field: str) -> Person | None:
    if person_id is None:
        return None
    person = people_permissions.visible_to(_viewer(request)).filter(pk=person_id).first()
    if person is None:
        raise InvalidInput(
            "人员不存在或不在您的管辖范围内", details={field: "人员不存在或不在您的管辖范围内"}
        )
    return person


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A time given without an offset is Beijing time (the product's zone)."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _merge_target(request: HttpRequest, event_id: int) -> Event:
    try:
        return access_event(_viewer(request), event_id)
    except Http404:
        raise InvalidInput(
            "目标事件不存在或不在您的管辖范围内", details={"into_id": "目标事件不存在"}
        ) from None


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
        "reported_at": event.reported_at,
        "stage_started_at": event.stage_started_at,
        "warn_at": event.warn_at,
        "deadline": event.deadline,
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


def _act(
    request: HttpRequest, event_id: int, if_match: str | None, action: str, call: Callable[[Event], Any]
) -> EventDetailOut:
    """Load the event, check the client's version, run one service, answer with the updated detail."""
    event = _load(request, event_id, if_match)
    call(event)
    return _detail(request, event.pk, purpose=f"api.events.{action}")


# -- event types --------------------------------------------------------------------------------------------


def _type_out(event_type: EventType, parent: EventType | None, children: list[EventType]) -> EventTypeOut:
    return EventTypeOut(
        code=event_type.code,
        name=event_type.name,
        platform=event_type.platform,
        grid_class=event_type.grid_class,
        parent=parent.code if parent else None,
        default_level=event_type.default_level,
        self_fixable=event_type.self_fixable,
        limits=[
            TimeLimitOut(level=x.level, amount=float(x.amount), unit=x.unit) for x in event_type.limits.all()
        ],
        children=[_type_out(child, event_type, []) for child in children],
    )


@types_router.get(
    "", response={200: list[EventTypeOut], 401: ErrorOut}, summary="事件分类（启用的大类及其小类）"
)
def event_types(request: HttpRequest) -> list[EventTypeOut]:
    return [_type_out(major, None, minors) for major, minors in event_types_tree()]


# -- report -------------------------------------------------------------------------------------------------


@router.post(
    "",
    response={200: ReportOut, 201: ReportOut, **ERRORS},
    summary="上报事件（JSON，或 multipart 附照片/录音）",
    description="同一账号重复提交同一幂等键（请求头 Idempotency-Key 或字段 idempotency_key）时返回首次创建的事件，状态码 200。",
    operation_id="event_report",
    openapi_extra=_multipart_doc("EventReportIn"),
)
def event_report(
    request: HttpRequest,
    payload: Payload[EventReportIn],
    idempotency_key: HeaderEx[str | None, P(alias="Idempotency-Key", max_length=64)] = None,
) -> Answer[ReportOut]:
    viewer = _viewer(request)
    if idempotency_key and payload.idempotency_key and idempotency_key != payload.idempotency_key:
        raise InvalidInput(
            "请求头 Idempotency-Key 与字段 idempotency_key 不一致", details={"idempotency_key": "不一致"}
        )
    event_type = event_type_by_code(payload.event_type)
    if event_type is None:
        raise InvalidInput(
            "事件分类不存在，请从分类列表中选择", details={"event_type": f"未知分类 {payload.event_type}"}
        )
    source = payload.source or (Source.PATROL if viewer.role in GRID_ROLES else Source.STAFF)
    result = services.event_report(
        actor=viewer,
        event_type=event_type,
        source=source,
        title=payload.title,
        description=payload.description,
        lon=payload.lon,
        lat=payload.lat,
        address=payload.address,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        reporter_email=payload.reporter_email,
        anonymous=payload.anonymous,
        urgency=payload.urgency,
        idempotency_key=idempotency_key or payload.idempotency_key,
        files=_files(request),
    )
    duplicates = result.duplicates if result.created else services.duplicate_candidates(result.event)
    # Offer only what the reporter may see: a duplicate across a scope boundary stays unnamed.
    offered = (
        visible_to(viewer).filter(pk__in=[d.pk for d in duplicates]).order_by("reported_at", "id")
        if duplicates
        else []
    )
    # A summary, not the whole detail: reporting is the hot path (the phone follows up with GET if it needs more).
    # A new event is answered from memory, its places named from the per-process memo; a replay is read back.
    if result.created:
        event = _with_places(result.event)
    else:
        event = Event.objects.select_related("event_type", "holder_unit", "grid", "village", "township").get(
            pk=result.event.pk
        )
    body = ReportOut(
        created=result.created,
        event=EventListItemOut(**_list_fields(event, timezone.now())),
        possible_duplicates=[_event_ref(e) for e in offered],
    )
    return Answer(201 if result.created else 200, body)


# -- list and detail ----------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: EventListOut, **ERRORS},
    summary="事件列表（按范围，游标分页）",
    operation_id="event_list",
)
def event_list(request: HttpRequest, query: Query[EventListQuery]) -> EventListOut:
    filters = EventFilters(
        statuses=[s for s in (part.strip() for part in query.status.split(",")) if s],
        level=query.level,
        platform=query.platform or "",
        type_code=query.type,
        grid=query.grid,
        village=query.village,
        township=query.township,
        unit_id=query.unit,
        light=query.light,
        overdue=query.overdue,
        reported_from=_aware(query.reported_from),
        reported_to=_aware(query.reported_to),
        q=query.q,
    )
    now = timezone.now()
    events: QuerySet[Event] = events_list(viewer=_viewer(request), filters=filters, now=now)
    page = events_page(events=events, cursor=query.cursor, limit=query.limit)
    return EventListOut(items=[EventListItemOut(**_list_fields(e, now)) for e in page.items], next=page.next)


@router.get(
    "/{event_id}", response={200: EventDetailOut, **ERRORS}, summary="事件详情", operation_id="event_detail"
)
def event_read(request: HttpRequest, event_id: int) -> EventDetailOut:
    return _detail(request, event_id, purpose="api.events.detail")


@router.get(
    "/{event_id}/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    summary="下载附件",
    url_name="event_attachment",
    operation_id="event_attachment",
)
def event_attachment(request: HttpRequest, event_id: int, attachment_id: int) -> FileResponse:
    event = access_event(_viewer(request), event_id)
    attachment = get_object_or_404(Attachment, pk=attachment_id, event=event)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    return FileResponse(handle, content_type=attachment.content_type, filename=attachment.original_name)


# -- the steps of the loop ----------------------------------------------------------------------------------
# One endpoint per action of `rules.TABLE`. Who may call each is the table's business (403 otherwise); the
# summaries name them for readers of the OpenAPI document.

IfMatch = HeaderEx[
    str | None,
    P(
        alias="If-Match",
        description="可选：客户端所见的事件版本（version）；与当前版本不符时返回 409 stale_event",
    ),
]


def _action_doc(
    action: str, schema: type[Schema], summary: str, *, multipart: bool = False, files_required: bool = False
) -> dict[str, Any]:
    """The decorator arguments of one action's endpoint; its body is optional when every field has a default."""
    body_required = any(field.is_required() for field in schema.model_fields.values())
    extra: dict[str, Any] = {"requestBody": {"required": body_required}}
    if multipart:
        extra = _multipart_doc(schema.__name__, files_required=files_required)
        extra["requestBody"]["required"] = body_required or files_required
    return {
        "response": {200: EventDetailOut, **ERRORS},
        "summary": summary,
        "operation_id": f"event_{action}",
        "url_name": f"event_{action}",
        "openapi_extra": extra,
    }


@router.post(
    "/{event_id}/self_handle",
    **_action_doc(
        "self_handle", SelfHandleIn, "自行处置（本网格网格员，须附照片）", multipart=True, files_required=True
    ),
)
def self_handle(
    request: HttpRequest,
    event_id: int,
    payload: Payload[SelfHandleIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "self_handle",
        lambda e: services.event_self_handle(
            actor=_viewer(request), event=e, note=payload.note, files=_files(request)
        ),
    )


@router.post(
    "/{event_id}/verify",
    **_action_doc("verify", VerifyIn, "核实：派网格员现场核实（指挥室），或录入核实结果（核实人）"),
)
def verify(
    request: HttpRequest,
    event_id: int,
    payload: Payload[VerifyIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "verify",
        lambda e: services.event_verify(
            actor=_viewer(request),
            event=e,
            verifier=_person(request, payload.verifier_id, field="verifier_id"),
            valid=payload.valid,
            note=payload.note,
        ),
    )


@router.post("/{event_id}/register", **_action_doc("register", RegisterIn, "立案（指挥室）"))
def register(
    request: HttpRequest,
    event_id: int,
    payload: Payload[RegisterIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "register",
        lambda e: services.event_register(
            actor=_viewer(request), event=e, note=payload.note, mode=payload.mode or ""
        ),
    )


@router.post("/{event_id}/void", **_action_doc("void", ReasonIn, "不予立案（指挥室，须填理由）"))
def void(
    request: HttpRequest,
    event_id: int,
    payload: Payload[ReasonIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "void",
        lambda e: services.event_void(actor=_viewer(request), event=e, reason=payload.reason),
    )


@router.post("/{event_id}/merge", **_action_doc("merge", MergeIn, "合并到另一未办结事件（指挥室）"))
def merge(
    request: HttpRequest,
    event_id: int,
    payload: Payload[MergeIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "merge",
        lambda e: services.event_merge(
            actor=_viewer(request), event=e, into=_merge_target(request, payload.into_id), note=payload.note
        ),
    )


@router.post(
    "/{event_id}/dispatch", **_action_doc("dispatch", DispatchIn, "派遣到主办单位（可加协办单位）（指挥室）")
)
def dispatch(
    request: HttpRequest,
    event_id: int,
    payload: Payload[DispatchIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "dispatch",
        lambda e: services.event_dispatch(
            actor=_viewer(request),
            event=e,
            lead_unit_id=payload.lead_unit_id,
            assist_unit_ids=payload.assist_unit_ids,
            mode=payload.mode,
            note=payload.note,
        ),
    )


@router.post("/{event_id}/sign", **_action_doc("sign", NoteIn, "签收（处置单位）"))
def sign(
    request: HttpRequest,
    event_id: int,
    payload: Payload[NoteIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "sign",
        lambda e: services.event_sign(actor=_viewer(request), event=e, note=payload.note),
    )


@router.post("/{event_id}/handle", **_action_doc("handle", NoteIn, "开始处置（处置单位）"))
def handle(
    request: HttpRequest,
    event_id: int,
    payload: Payload[NoteIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "handle",
        lambda e: services.event_handle(actor=_viewer(request), event=e, note=payload.note),
    )


@router.post("/{event_id}/return", **_action_doc("return", ReasonIn, "退回（处置单位，须填原因）"))
def return_(
    request: HttpRequest,
    event_id: int,
    payload: Payload[ReasonIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "return",
        lambda e: services.event_return(actor=_viewer(request), event=e, reason=payload.reason),
    )


@router.post(
    "/{event_id}/request_extension",
    **_action_doc("request_extension", ExtensionRequestIn, "申请延期（处置单位）"),
)
def request_extension(
    request: HttpRequest,
    event_id: int,
    payload: Payload[ExtensionRequestIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "request_extension",
        lambda e: services.event_request_extension(
            actor=_viewer(request), event=e, days=payload.days, reason=payload.reason
        ),
    )


@router.post(
    "/{event_id}/decide_extension",
    **_action_doc("decide_extension", ExtensionDecisionIn, "审批延期（值班长、区指挥中心）"),
)
def decide_extension(
    request: HttpRequest,
    event_id: int,
    payload: Payload[ExtensionDecisionIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "decide_extension",
        lambda e: services.event_decide_extension(
            actor=_viewer(request),
            event=e,
            request_id=payload.request_id,
            approve=payload.approve,
            note=payload.note,
        ),
    )


@router.post(
    "/{event_id}/feed_back",
    **_action_doc("feed_back", FeedBackIn, "处置反馈（处置单位，可附照片）", multipart=True),
)
def feed_back(
    request: HttpRequest,
    event_id: int,
    payload: Payload[FeedBackIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "feed_back",
        lambda e: services.event_feed_back(
            actor=_viewer(request), event=e, feedback=payload.feedback, files=_files(request)
        ),
    )


@router.post(
    "/{event_id}/check",
    **_action_doc(
        "check", CheckIn, "核查：派核查人（指挥室），或录入核查结果（核查人，可附照片）", multipart=True
    ),
)
def check(
    request: HttpRequest,
    event_id: int,
    payload: Payload[CheckIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "check",
        lambda e: services.event_check(
            actor=_viewer(request),
            event=e,
            checker=_person(request, payload.checker_id, field="checker_id"),
            passed=payload.passed,
            note=payload.note,
            files=_files(request),
        ),
    )


@router.post(
    "/{event_id}/callback", **_action_doc("callback", CallbackIn, "回访反映人并评价满意度（指挥室）")
)
def callback(
    request: HttpRequest,
    event_id: int,
    payload: Payload[CallbackIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "callback",
        lambda e: services.event_callback(
            actor=_viewer(request),
            event=e,
            satisfaction=payload.satisfaction,
            reached=payload.reached,
            note=payload.note,
        ),
    )


@router.post("/{event_id}/close", **_action_doc("close", NoteIn, "结案（值班长、区指挥中心）"))
def close(
    request: HttpRequest,
    event_id: int,
    payload: Payload[NoteIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "close",
        lambda e: services.event_close(actor=_viewer(request), event=e, note=payload.note),
    )


@router.post("/{event_id}/archive", **_action_doc("archive", NoteIn, "归档（值班长、区指挥中心）"))
def archive(
    request: HttpRequest,
    event_id: int,
    payload: Payload[NoteIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "archive",
        lambda e: services.event_archive(actor=_viewer(request), event=e, note=payload.note),
    )


@router.post(
    "/{event_id}/reopen", **_action_doc("reopen", ReasonIn, "重启已结案事件（值班长、区指挥中心，须填原因）")
)
def reopen(
    request: HttpRequest,
    event_id: int,
    payload: Payload[ReasonIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "reopen",
        lambda e: services.event_reopen(actor=_viewer(request), event=e, reason=payload.reason),
    )


@router.post(
    "/{event_id}/escalate",
    **_action_doc("escalate", EscalateIn, "升级（处置单位、指挥室、网格员）或下派（区指挥中心）"),
)
def escalate(
    request: HttpRequest,
    event_id: int,
    payload: Payload[EscalateIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "escalate",
        lambda e: services.event_escalate(
            actor=_viewer(request), event=e, reason=payload.reason, direction=payload.direction
        ),
    )


@router.post("/{event_id}/supervise", **_action_doc("supervise", SuperviseIn, "督办/催办（指挥室、领导）"))
def supervise(
    request: HttpRequest,
    event_id: int,
    payload: Payload[SuperviseIn],
    if_match: IfMatch = None,
) -> EventDetailOut:
    return _act(
        request,
        event_id,
        if_match,
        "supervise",
        lambda e: services.event_supervise(
            actor=_viewer(request),
            event=e,
            kind=payload.kind,
            reason=payload.reason,
            days=payload.days,
            note=payload.note,
        ),
    )


# -- inbox --------------------------------------------------------------------------------------------------


def _notification(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.pk, verb=n.verb, text=n.text, event_id=n.event_id, created_at=n.created_at, read_at=n.read_at
    )


@inbox_router.get(
    "",
    response={200: InboxOut, 401: ErrorOut, 422: ErrorOut},
    summary="我的站内通知",
    operation_id="inbox_list",
)
def inbox(
    request: HttpRequest,
    unread: QueryEx[bool, P(description="只看未读")] = False,
    limit: QueryEx[int, P(ge=1, le=MAX_PAGE)] = 50,
) -> InboxOut:
    viewer = _viewer(request)
    rows = Notification.objects.filter(recipient=viewer).order_by("-created_at", "-id")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return InboxOut(unread=unread_count(viewer), items=[_notification(n) for n in rows[:limit]])


@inbox_router.post(
    "/read",
    response={200: InboxReadOut, 401: ErrorOut, 422: ErrorOut},
    summary="标为已读",
    operation_id="inbox_read",
)
def inbox_read(request: HttpRequest, payload: InboxReadIn) -> InboxReadOut:
    viewer = _viewer(request)
    marked = notifications_mark_read(person=viewer, ids=payload.ids)
    return InboxReadOut(marked=marked, unread=unread_count(viewer))
