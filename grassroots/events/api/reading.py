"""The type catalogue, reporting, and reading events (list, detail, attachments)."""

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import P, Query
from ninja import Status as Answer
from ninja.params import HeaderEx

from grassroots.core.errors import InvalidInput
from grassroots.people.choices import GRID_ROLES
from grassroots.workflow.endpoints import Payload, multipart_doc

from .. import services
from ..choices import Source
from ..models import Attachment, Event, EventType
from ..permissions import access_event, visible_to
from ..schemas import (
    ErrorOut,
    EventDetailOut,
    EventListItemOut,
    EventListOut,
    EventListQuery,
    EventReportIn,
    EventTypeOut,
    ReportOut,
    TimeLimitOut,
)
from ..selectors import (
    EventFilters,
    event_type_by_code,
    event_types_tree,
    events_list,
    events_page,
)
from .common import (
    ERRORS,
    _aware,
    _detail,
    _event_ref,
    _files,
    _list_fields,
    _viewer,
    _with_places,
    router,
    types_router,
)

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
    "",
    response={200: list[EventTypeOut], 401: ErrorOut},
    summary="事件分类（启用的大类及其小类）",
    operation_id="event_types",
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
    openapi_extra=multipart_doc("EventReportIn"),
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
    duplicate_ids = result.duplicate_ids if result.created else services.duplicate_candidate_ids(result.event)
    # Offer only what the reporter may see: a duplicate across a scope boundary stays unnamed.
    offered = (
        visible_to(viewer).filter(pk__in=duplicate_ids).order_by("reported_at", "id") if duplicate_ids else []
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
    # Never inline: a browser opening it gets a download, and nosniff (SecurityMiddleware) keeps the declared type.
    return FileResponse(
        handle, content_type=attachment.content_type, filename=attachment.original_name, as_attachment=True
    )
