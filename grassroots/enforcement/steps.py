"""Each step of an enforcement case as people and programs take it: its input schema, its words and its one service
call. With `rules.TABLE` this is the whole declaration; the API and the case page are made from it."""

from dataclasses import replace
from typing import Any

from grassroots.core.errors import InvalidInput
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step

from .rules import CASE
from .schemas import (
    ApproveFilingIn,
    CloseIn,
    DecideIn,
    DiscussIn,
    EvidenceIn,
    ExecuteIn,
    ExtendIn,
    HoldHearingIn,
    NoteIn,
    OnSpotIn,
    ProposeIn,
    RefuseFilingIn,
    ReviewIn,
    ScheduleHearingIn,
    ServeIn,
)
from .services import cases as c
from .services import decisions as d
from .services import investigation as i


def person(pk: int | None) -> Person | None:
    """The person a step names by id (an approver, a chair), or None when it names nobody."""
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise InvalidInput("所选人员不存在或已停用", code="person_not_found", details={"person": pk})
    return found


def _chair(pk: int) -> Person:
    found = person(pk)
    assert found is not None
    return found


def _one(files: list[Any]) -> Any:
    if len(files) > 1:
        raise InvalidInput("每条证据只能上传一个文件", code="too_many_files")
    return files[0] if files else None


STEPS = [
    Step(
        "request_filing",
        NoteIn,
        "申请立案（承办执法人员）",
        lambda actor, k, p, f: c.case_request_filing(actor=actor, case=k, note=p.note),
    ),
    Step(
        "approve_filing",
        ApproveFilingIn,
        "批准立案：确认立案四项条件，编立案号，办案期限开始计算（负责人）",
        lambda actor, k, p, f: c.case_approve_filing(
            actor=actor, case=k, conditions=p.conditions, note=p.note
        ),
    ),
    Step(
        "refuse_filing",
        RefuseFilingIn,
        "不予立案，选择理由（负责人）",
        lambda actor, k, p, f: c.case_refuse_filing(actor=actor, case=k, ground=p.ground, reason=p.reason),
        folded=True,
    ),
    Step(
        "extend_lead",
        ExtendIn,
        "批准延长线索核查期限 15 个工作日，仅一次（负责人）",
        lambda actor, k, p, f: c.case_extend_lead(
            actor=actor, case=k, reason=p.reason, requested_by=person(p.requested_by_id)
        ),
        folded=True,
    ),
    Step(
        "decide_on_spot",
        OnSpotIn,
        "当场处罚（简易程序）：警告或小额罚款，填写当场处罚决定书编号（承办执法人员）",
        lambda actor, k, p, f: d.case_decide_on_spot(
            actor=actor,
            case=k,
            penalty_kind=p.penalty_kind,
            amount=p.amount,
            level=p.level or "",
            form_number=p.form_number,
            recipient=p.recipient,
            note=p.note,
        ),
        folded=True,
    ),
    Step(
        "add_evidence",
        EvidenceIn,
        "登记证据：照片、书证（PDF）、录音或笔录摘要，附取证时间和位置（承办执法人员）",
        lambda actor, k, p, f: i.case_add_evidence(
            actor=actor,
            case=k,
            kind=p.kind,
            file=_one(f),
            description=p.description,
            lon=p.lon,
            lat=p.lat,
            taken_at=p.taken_at,
        ),
        multipart=True,
    ),
    Step(
        "propose",
        ProposeIn,
        "拟定处罚意见：处罚种类、裁量阶次和金额；超出裁量幅度须说明理由并经负责人批准（承办执法人员）",
        lambda actor, k, p, f: i.case_propose(
            actor=actor,
            case=k,
            penalty_kind=p.penalty_kind,
            level=p.level,
            amount=p.amount,
            reason=p.reason,
            approver=person(p.approver_id),
            note=p.note,
        ),
    ),
    Step(
        "extend_case",
        ExtendIn,
        "批准延长办案期限 30 日，仅一次（负责人）",
        lambda actor, k, p, f: i.case_extend(
            actor=actor, case=k, reason=p.reason, requested_by=person(p.requested_by_id)
        ),
        folded=True,
    ),
    Step(
        "submit_review",
        NoteIn,
        "提交法制审核（承办执法人员）",
        lambda actor, k, p, f: i.case_submit_review(actor=actor, case=k, note=p.note),
    ),
    Step(
        "review_pass",
        ReviewIn,
        "法制审核通过（法制审核人员）",
        lambda actor, k, p, f: i.case_review(actor=actor, case=k, passed=True, opinion=p.opinion),
    ),
    Step(
        "review_return",
        ReviewIn,
        "法制审核退回补充调查（法制审核人员）",
        lambda actor, k, p, f: i.case_review(actor=actor, case=k, passed=False, opinion=p.opinion),
        folded=True,
    ),
    Step(
        "notify",
        NoteIn,
        "行政处罚告知：生成告知书，当事人 5 个工作日内可申请听证（承办执法人员）",
        lambda actor, k, p, f: i.case_notify(actor=actor, case=k, note=p.note),
    ),
    Step(
        "request_hearing",
        NoteIn,
        "登记当事人的听证申请：办案期限暂停计算（承办执法人员）",
        lambda actor, k, p, f: i.case_request_hearing(actor=actor, case=k, note=p.note),
    ),
    Step(
        "schedule_hearing",
        ScheduleHearingIn,
        "安排听证：主持人（非本案调查人员）、地点和日期，听证 7 个工作日前通知当事人（承办执法人员、负责人）",
        lambda actor, k, p, f: i.case_schedule_hearing(
            actor=actor,
            case=k,
            notice_on=p.notice_on,
            hearing_on=p.hearing_on,
            place=p.place,
            chair=_chair(p.chair_id),
        ),
    ),
    Step(
        "hold_hearing",
        HoldHearingIn,
        "举行听证，记录笔录摘要；办案期限恢复计算（听证主持人）",
        lambda actor, k, p, f: i.case_hold_hearing(
            actor=actor, case=k, record=p.record, party_absent=p.party_absent
        ),
    ),
    Step(
        "discuss",
        DiscussIn,
        "集体讨论：参加人员和结论（负责人）",
        lambda actor, k, p, f: i.case_discuss(actor=actor, case=k, discussion=p.discussion, waived=p.waived),
    ),
    Step(
        "decide",
        DecideIn,
        "作出决定：给予处罚、不予处罚或移送司法机关，生成决定书（负责人）",
        lambda actor, k, p, f: d.case_decide(
            actor=actor,
            case=k,
            outcome=p.outcome,
            penalty_kind=p.penalty_kind or "",
            level=p.level or "",
            amount=p.amount,
            reason=p.reason,
            waived=p.waived,
            note=p.note,
        ),
    ),
    Step(
        "serve",
        ServeIn,
        "送达决定书，生成送达回证（承办执法人员）",
        lambda actor, k, p, f: d.case_serve(
            actor=actor, case=k, method=p.method, recipient=p.recipient, served_at=p.served_at
        ),
    ),
    Step(
        "execute",
        ExecuteIn,
        "登记执行：缴纳罚款（含加处罚款）、已履行或申请强制执行（承办执法人员）",
        lambda actor, k, p, f: d.case_execute(
            actor=actor,
            case=k,
            manner=p.manner,
            paid_amount=p.paid_amount,
            paid_on=p.paid_on,
            note=p.note,
        ),
    ),
    Step(
        "close",
        CloseIn,
        "结案，填写结案报告（承办执法人员、负责人）",
        lambda actor, k, p, f: d.case_close(actor=actor, case=k, report=p.report),
    ),
    Step(
        "archive",
        NoteIn,
        "归档（承办执法人员、负责人）",
        lambda actor, k, p, f: d.case_archive(actor=actor, case=k, note=p.note),
    ),
]

CASE_FLOW = replace(CASE, steps=STEPS)
