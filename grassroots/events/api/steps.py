"""The steps of the loop over HTTP: `POST /api/v1/events/{event_id}/<action>`, one row per action of `rules.TABLE`.

Each row names the input schema, a summary for readers of the OpenAPI document (who may take it: the table's
business, 403 otherwise), and the call into the one service for the step. The endpoints come from the workflow
core (`grassroots.workflow.endpoints`); each loads the event in scope and answers with its detail.
"""

from django.http import HttpRequest

from grassroots.workflow.endpoints import Resource, StepEndpoint, add_step_endpoints

from .. import services
from ..models import Event
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
    SuspensionDecisionIn,
    SuspensionRequestIn,
    VerifyIn,
)
from .common import ERRORS, _detail, _files, _load, _merge_target, _person, _viewer, router

Step = StepEndpoint


def _answer(request: HttpRequest, event: Event, action: str) -> EventDetailOut:
    return _detail(request, event.pk, purpose=f"api.events.{action}")


RESOURCE = Resource(
    id_name="event_id",
    prefix="event",
    load=_load,
    answer=_answer,
    response={200: EventDetailOut, **ERRORS},
    if_match="可选：客户端所见的事件版本（version）；与当前版本不符时返回 409 stale_event",
)

STEPS = [
    Step(
        "self_handle",
        SelfHandleIn,
        "自行处置（本网格网格员，须附照片）",
        lambda r, e, p: services.event_self_handle(actor=_viewer(r), event=e, note=p.note, files=_files(r)),
        multipart=True,
        files_required=True,
    ),
    Step(
        "verify",
        VerifyIn,
        "核实：派网格员现场核实（指挥室），或录入核实结果（核实人）",
        lambda r, e, p: services.event_verify(
            actor=_viewer(r),
            event=e,
            verifier=_person(r, p.verifier_id, field="verifier_id"),
            valid=p.valid,
            note=p.note,
        ),
    ),
    Step(
        "register",
        RegisterIn,
        "立案（指挥室）",
        lambda r, e, p: services.event_register(actor=_viewer(r), event=e, note=p.note, mode=p.mode or ""),
    ),
    Step(
        "void",
        ReasonIn,
        "不予立案（指挥室，须填理由）",
        lambda r, e, p: services.event_void(actor=_viewer(r), event=e, reason=p.reason),
    ),
    Step(
        "merge",
        MergeIn,
        "合并到另一未办结事件（指挥室）",
        lambda r, e, p: services.event_merge(
            actor=_viewer(r), event=e, into=_merge_target(r, p.into_id), note=p.note
        ),
    ),
    Step(
        "dispatch",
        DispatchIn,
        "派遣到主办单位（可加协办单位）（指挥室）",
        lambda r, e, p: services.event_dispatch(
            actor=_viewer(r),
            event=e,
            lead_unit_id=p.lead_unit_id,
            assist_unit_ids=p.assist_unit_ids,
            mode=p.mode,
            note=p.note,
        ),
    ),
    Step(
        "sign",
        NoteIn,
        "签收（处置单位）",
        lambda r, e, p: services.event_sign(actor=_viewer(r), event=e, note=p.note),
    ),
    Step(
        "handle",
        NoteIn,
        "开始处置（处置单位）",
        lambda r, e, p: services.event_handle(actor=_viewer(r), event=e, note=p.note),
    ),
    Step(
        "return",
        ReasonIn,
        "退回（处置单位，须填原因）",
        lambda r, e, p: services.event_return(actor=_viewer(r), event=e, reason=p.reason),
    ),
    Step(
        "request_extension",
        ExtensionRequestIn,
        "申请延期（处置单位）",
        lambda r, e, p: services.event_request_extension(
            actor=_viewer(r), event=e, days=p.days, reason=p.reason
        ),
    ),
    Step(
        "decide_extension",
        ExtensionDecisionIn,
        "审批延期（值班长、区指挥中心）",
        lambda r, e, p: services.event_decide_extension(
            actor=_viewer(r), event=e, request_id=p.request_id, approve=p.approve, note=p.note
        ),
    ),
    Step(
        "request_suspension",
        SuspensionRequestIn,
        "申请挂起（处置单位；批准前计时照常）",
        lambda r, e, p: services.event_request_suspension(
            actor=_viewer(r), event=e, kind=p.kind, reason=p.reason
        ),
    ),
    Step(
        "decide_suspension",
        SuspensionDecisionIn,
        "审批挂起（值班长、区指挥中心；批准后暂停计时）",
        lambda r, e, p: services.event_decide_suspension(
            actor=_viewer(r), event=e, suspension_id=p.suspension_id, approve=p.approve, note=p.note
        ),
    ),
    Step(
        "resume",
        NoteIn,
        "恢复办理（处置单位或值班长；期限顺延暂停的时长）",
        lambda r, e, p: services.event_resume(actor=_viewer(r), event=e, note=p.note),
    ),
    Step(
        "feed_back",
        FeedBackIn,
        "处置反馈（处置单位，可附照片）",
        lambda r, e, p: services.event_feed_back(
            actor=_viewer(r), event=e, feedback=p.feedback, files=_files(r)
        ),
        multipart=True,
    ),
    Step(
        "check",
        CheckIn,
        "核查：派核查人（指挥室），或录入核查结果（核查人，可附照片）",
        lambda r, e, p: services.event_check(
            actor=_viewer(r),
            event=e,
            checker=_person(r, p.checker_id, field="checker_id"),
            passed=p.passed,
            note=p.note,
            files=_files(r),
        ),
        multipart=True,
    ),
    Step(
        "callback",
        CallbackIn,
        "回访反映人并评价满意度（指挥室）",
        lambda r, e, p: services.event_callback(
            actor=_viewer(r), event=e, satisfaction=p.satisfaction, reached=p.reached, note=p.note
        ),
    ),
    Step(
        "close",
        NoteIn,
        "结案（值班长、区指挥中心）",
        lambda r, e, p: services.event_close(actor=_viewer(r), event=e, note=p.note),
    ),
    Step(
        "archive",
        NoteIn,
        "归档（值班长、区指挥中心）",
        lambda r, e, p: services.event_archive(actor=_viewer(r), event=e, note=p.note),
    ),
    Step(
        "reopen",
        ReasonIn,
        "重启已结案事件（值班长、区指挥中心，须填原因）",
        lambda r, e, p: services.event_reopen(actor=_viewer(r), event=e, reason=p.reason),
    ),
    Step(
        "escalate",
        EscalateIn,
        "升级（处置单位、指挥室、网格员）或下派（区指挥中心）",
        lambda r, e, p: services.event_escalate(
            actor=_viewer(r), event=e, reason=p.reason, direction=p.direction
        ),
    ),
    Step(
        "supervise",
        SuperviseIn,
        "督办/催办（指挥室、领导）",
        lambda r, e, p: services.event_supervise(
            actor=_viewer(r), event=e, kind=p.kind, reason=p.reason, days=p.days, note=p.note
        ),
    ),
]

add_step_endpoints(router, RESOURCE, STEPS)
