"""Each step of the loop as people and programs take it: its input schema, its words, its one service call, and
the page's form when the step needs more than the form made from its schema.

With `rules.TABLE` (who may move an event from where to where) this is the loop's whole declaration: the JSON
endpoints `POST /api/v1/events/{event_id}/<action>` (`api/steps.py`) and the event page's and the desk's forms
(`views/`) are made from it. To add a step, read `docs/adding-a-transition.md`.
"""

from dataclasses import replace
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import InvalidInput
from grassroots.people import permissions as people_permissions
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step
from grassroots.workflow.forms import step_form

from . import services, step_forms
from .models import Event
from .permissions import access_event
from .rules import LOOP
from .schemas import (
    CallbackIn,
    CheckIn,
    DecideRouteIn,
    DispatchIn,
    EscalateIn,
    ExtensionDecisionIn,
    ExtensionRequestIn,
    FeedBackIn,
    InformReporterIn,
    MergeIn,
    NoteIn,
    ReasonIn,
    RegisterIn,
    SelfHandleIn,
    SettleIn,
    SuperviseIn,
    SuspensionDecisionIn,
    SuspensionRequestIn,
    VerifyIn,
)


def person_in_scope(actor: Person, person_id: int | None, *, field: str) -> Person | None:
    """The person named by id, if the actor may see them; a field error otherwise."""
    if person_id is None:
        return None
    person = people_permissions.visible_to(actor).filter(pk=person_id).first()
    if person is None:
        raise InvalidInput(
            "人员不存在或不在您的管辖范围内", details={field: "人员不存在或不在您的管辖范围内"}
        )
    return person


def event_in_scope(actor: Person, event_id: int) -> Event:
    try:
        return access_event(actor, event_id)
    except Http404:
        raise InvalidInput(
            "目标事件不存在或不在您的管辖范围内", details={"into_id": "目标事件不存在"}
        ) from None


S = services
STEPS = [
    Step(
        "self_handle",
        SelfHandleIn,
        "自行处置（本网格网格员，须附照片）",
        lambda a, e, p, f: S.event_self_handle(actor=a, event=e, note=p.note, files=f),
        multipart=True,
        files_required=True,
        form=step_forms.SelfHandleForm,
    ),
    Step(
        "verify",
        VerifyIn,
        "核实：派网格员现场核实（指挥室），或录入核实结果（核实人）",
        lambda a, e, p, f: S.event_verify(
            actor=a,
            event=e,
            verifier=person_in_scope(a, p.verifier_id, field="verifier_id"),
            valid=p.valid,
            note=p.note,
        ),
        form=step_forms.VerifyForm,
    ),
    Step(
        "register",
        RegisterIn,
        "立案（指挥室）",
        lambda a, e, p, f: S.event_register(actor=a, event=e, note=p.note, mode=p.mode or ""),
        form=step_forms.RegisterForm,
    ),
    Step(
        "void",
        ReasonIn,
        "不予立案（指挥室，须填理由）",
        lambda a, e, p, f: S.event_void(actor=a, event=e, reason=p.reason),
        labels={"reason": _("不予立案理由")},
        folded=True,
    ),
    Step(
        "merge",
        MergeIn,
        "合并到另一未办结事件（指挥室）",
        lambda a, e, p, f: S.event_merge(actor=a, event=e, into=event_in_scope(a, p.into_id), note=p.note),
        form=step_forms.MergeForm,
    ),
    Step(
        "dispatch",
        DispatchIn,
        "派遣到主办单位（可加协办单位）（指挥室）",
        lambda a, e, p, f: S.event_dispatch(
            actor=a,
            event=e,
            lead_unit_id=p.lead_unit_id,
            assist_unit_ids=p.assist_unit_ids,
            mode=p.mode,
            note=p.note,
            route=p.route,
            leader=person_in_scope(a, p.leader_id, field="leader_id"),
        ),
        form=step_forms.DispatchForm,
    ),
    Step(
        "refer_to_leaders",
        NoteIn,
        "提请领导研判重大事项（指挥室，须说明理由）；领导决定分流路径前不派遣",
        lambda a, e, p, f: S.event_refer_to_leaders(actor=a, event=e, note=p.note),
        labels={"note": _("提请研判的理由")},
        help=_("重大事项提交领导研判，由领导决定分流路径。"),
        folded=True,
    ),
    Step(
        "decide_route",
        DecideRouteIn,
        "领导研判：决定分流路径并填写研判意见（领导）",
        lambda a, e, p, f: S.event_decide_route(actor=a, event=e, route=p.route, note=p.note),
        form=step_forms.DecideRouteForm,
    ),
    Step(
        "settle",
        SettleIn,
        "直接办结：指挥室当场答复或办理（仅直办事件，不派遣）",
        lambda a, e, p, f: S.event_settle(actor=a, event=e, note=p.note),
        labels={"note": _("答复或办理结果")},
        help=_("直办事件由指挥室当场答复或办理，之后回访反映人并结案。"),
    ),
    Step(
        "sign",
        NoteIn,
        "签收（处置单位）",
        lambda a, e, p, f: S.event_sign(actor=a, event=e, note=p.note),
        help=_("签收后开始计时处置。"),
    ),
    Step(
        "handle",
        NoteIn,
        "开始处置（处置单位）",
        lambda a, e, p, f: S.event_handle(actor=a, event=e, note=p.note),
        help=_("记录已开始现场处置。"),
    ),
    Step(
        "return",
        ReasonIn,
        "退回（处置单位，须填原因）",
        lambda a, e, p, f: S.event_return(actor=a, event=e, reason=p.reason),
        labels={"reason": _("退回原因")},
        help=_("不属于本单位职责时退回指挥室重新派遣。"),
        folded=True,
    ),
    Step(
        "request_extension",
        ExtensionRequestIn,
        "申请延期（处置单位）",
        lambda a, e, p, f: S.event_request_extension(actor=a, event=e, days=p.days, reason=p.reason),
        form=step_forms.ExtensionRequestForm,
    ),
    Step(
        "decide_extension",
        ExtensionDecisionIn,
        "审批延期（值班长、区指挥中心）",
        lambda a, e, p, f: S.event_decide_extension(
            actor=a, event=e, request_id=p.request_id, approve=p.approve, note=p.note
        ),
        form=step_forms.DecideExtensionForm,
    ),
    Step(
        "request_suspension",
        SuspensionRequestIn,
        "申请挂起（处置单位；批准前计时照常）",
        lambda a, e, p, f: S.event_request_suspension(actor=a, event=e, kind=p.kind, reason=p.reason),
        form=step_forms.SuspensionRequestForm,
    ),
    Step(
        "decide_suspension",
        SuspensionDecisionIn,
        "审批挂起（值班长、区指挥中心；批准后暂停计时）",
        lambda a, e, p, f: S.event_decide_suspension(
            actor=a, event=e, suspension_id=p.suspension_id, approve=p.approve, note=p.note
        ),
        form=step_forms.DecideSuspensionForm,
    ),
    Step(
        "resume",
        NoteIn,
        "恢复办理（处置单位或值班长；期限顺延暂停的时长）",
        lambda a, e, p, f: S.event_resume(actor=a, event=e, note=p.note),
        help=_("恢复后回到挂起前的状态，期限顺延暂停的工作时间。"),
    ),
    Step(
        "feed_back",
        FeedBackIn,
        "处置反馈（处置单位，可附照片）",
        lambda a, e, p, f: S.event_feed_back(actor=a, event=e, feedback=p.feedback, files=f),
        multipart=True,
        form=step_forms.FeedBackForm,
    ),
    Step(
        "check",
        CheckIn,
        "核查：派核查人（指挥室），或录入核查结果（核查人，可附照片）",
        lambda a, e, p, f: S.event_check(
            actor=a,
            event=e,
            checker=person_in_scope(a, p.checker_id, field="checker_id"),
            passed=p.passed,
            note=p.note,
            files=f,
        ),
        multipart=True,
        form=step_forms.CheckForm,
    ),
    Step(
        "callback",
        CallbackIn,
        "回访反映人并评价满意度（指挥室）",
        lambda a, e, p, f: S.event_callback(
            actor=a, event=e, satisfaction=p.satisfaction, reached=p.reached, note=p.note
        ),
        form=step_forms.CallbackForm,
    ),
    Step(
        "inform_reporter",
        InformReporterIn,
        "反馈反映人：记录告知办理结果的方式，或反映人谢绝联系（指挥室）",
        lambda a, e, p, f: S.event_inform_reporter(actor=a, event=e, declined=p.declined, note=p.note),
        labels={"declined": _("反映人谢绝联系"), "note": _("反馈方式和告知的办理结果")},
        help=_("双反馈：办理结果须反馈指挥室和反映人后才能结案。"),
    ),
    Step(
        "close",
        NoteIn,
        "结案（值班长、区指挥中心）",
        lambda a, e, p, f: S.event_close(actor=a, event=e, note=p.note),
        help=_("结案后结果反馈给指挥室和反映人。"),
    ),
    Step(
        "archive",
        NoteIn,
        "归档（值班长、区指挥中心）",
        lambda a, e, p, f: S.event_archive(actor=a, event=e, note=p.note),
    ),
    Step(
        "reopen",
        ReasonIn,
        "重启已结案事件（值班长、区指挥中心，须填原因）",
        lambda a, e, p, f: S.event_reopen(actor=a, event=e, reason=p.reason),
        labels={"reason": _("重启原因")},
        folded=True,
    ),
    Step(
        "escalate",
        EscalateIn,
        "升级（处置单位、指挥室、网格员）或下派（区指挥中心）",
        lambda a, e, p, f: S.event_escalate(actor=a, event=e, reason=p.reason, direction=p.direction),
        form=step_forms.EscalateForm,
    ),
    Step(
        "supervise",
        SuperviseIn,
        "督办/催办（指挥室、领导）",
        lambda a, e, p, f: S.event_supervise(
            actor=a, event=e, kind=p.kind, reason=p.reason, days=p.days, note=p.note
        ),
        form=step_forms.SuperviseForm,
    ),
]

EVENT_LOOP = replace(LOOP, steps=STEPS, generic=services.event_generic_step)

# The page's form of each step: its own class, or one made from its schema.
ACTION_FORMS: dict[str, type[step_forms.ActionForm]] = {
    step.action: step.form or step_form(step, step_forms.ActionForm) for step in STEPS
}


def take(action: str, actor: Person, event: Event, form: step_forms.ActionForm) -> Any:
    """Take `action` from the page's valid form: its values in the step's schema (the API's), then the step's call."""
    payload = EVENT_LOOP.step(action).schema.model_validate(form.payload_data())
    files = list(form.cleaned_data.get("photos") or [])
    return EVENT_LOOP.perform(action, actor, event, payload, files)
