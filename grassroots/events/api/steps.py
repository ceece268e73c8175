"""One endpoint per step of the loop: each loads the event in scope, runs one service and answers with the detail."""

from typing import Any

from django.http import HttpRequest
from ninja import P, Schema
from ninja.params import HeaderEx

from .. import services
from ..schemas import (
    CallbackIn,
    CheckIn,
    DispatchIn,
    EscalateIn,
    EventDetailOut,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    FeedBackIn,
    MergeIn,
    NoteIn,
    ReasonIn,
    RegisterIn,
    SelfHandleIn,
    SuperviseIn,
    VerifyIn,
)
from .common import (
    ERRORS,
    Payload,
    _act,
    _files,
    _merge_target,
    _multipart_doc,
    _person,
    _viewer,
    router,
)

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
