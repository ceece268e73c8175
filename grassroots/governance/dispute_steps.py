"""Each step of a dispute as people and programs take it: its input schema, its words and its one service call.
With `rules.TABLE` this is the whole declaration; the API (`api/disputes.py`) and the dispute page are made from
it."""

from collections.abc import Sequence
from dataclasses import replace

from grassroots.core.errors import InvalidInput
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step
from grassroots.workflow.declaration import Workflow

from .dispute_schemas import (
    DisputeAcceptIn,
    DisputeAgreeIn,
    DisputeApplyConfirmationIn,
    DisputeExtendIn,
    DisputeFailIn,
    DisputeFollowUpIn,
    DisputeNoteIn,
    DisputeReasonIn,
    DisputeRecordConfirmationIn,
    DisputeRiskIn,
    DisputeSessionIn,
)
from .rules import DISPUTE
from .services import dispute_documents as docs
from .services import disputes as reg
from .services import disputes_after as after
from .services import disputes_mediation as med


def people(ids: Sequence[int]) -> list[Person]:
    """The active people a step names by id, in the order named; an unknown id is refused."""
    found = {p.pk: p for p in Person.objects.filter(pk__in=ids, is_active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput("所选人员不存在或已停用", code="person_not_found", details={"person": missing[0]})
    return [found[i] for i in ids]


def unit(pk: int | None) -> Unit | None:
    if pk is None:
        return None
    found = Unit.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput("所选单位不存在", code="unit_not_found", details={"unit": pk})
    return found


STEPS = [
    Step(
        "accept",
        DisputeAcceptIn,
        "受理纠纷并指定调解员，调解期限（30 日）开始计算（调委会）",
        lambda a, d, p, f: reg.dispute_accept(
            actor=a, dispute=d, mediators=people(p.mediator_ids), note=p.note
        ),
    ),
    Step(
        "refuse",
        DisputeReasonIn,
        "不予调解：当事人明确拒绝调解（调委会、调解员）",
        lambda a, d, p, f: reg.dispute_refuse(actor=a, dispute=d, reason=p.reason),
        folded=True,
    ),
    Step(
        "assess_risk",
        DisputeRiskIn,
        "评估激化风险；高风险报告派出所（调委会、调解员）",
        lambda a, d, p, f: reg.dispute_assess_risk(
            actor=a, dispute=d, level=p.level, police_unit=unit(p.police_unit_id), note=p.note
        ),
        folded=True,
    ),
    Step(
        "record_session",
        DisputeSessionIn,
        "登记调解记录：时间、地点、参加人员、调解情况（调解员）",
        lambda a, d, p, f: med.dispute_record_session(
            actor=a,
            dispute=d,
            held_at=p.held_at,
            place=p.place,
            minutes=p.minutes,
            attendees=p.attendees,
            mediators=people(p.mediator_ids),
        ),
    ),
    Step(
        "extend",
        DisputeExtendIn,
        "经各方当事人同意延长调解期限，仅一次（调解员、调委会）",
        lambda a, d, p, f: med.dispute_extend(
            actor=a, dispute=d, days=p.days, parties_agreed=p.parties_agreed, reason=p.reason
        ),
        folded=True,
    ),
    Step(
        "agree",
        DisputeAgreeIn,
        "达成调解协议：书面协议写明履行方式和期限，开始计算申请司法确认的 30 日（调解员）",
        lambda a, d, p, f: med.dispute_agree(
            actor=a,
            dispute=d,
            outcome=p.outcome,
            terms=p.terms,
            responsibilities=p.responsibilities,
            performance_manner=p.performance_manner,
            performance_place=p.performance_place,
            performance_due_on=p.performance_due_on,
        ),
    ),
    Step(
        "fail",
        DisputeFailIn,
        "调解终止，告知当事人其他途径（调解员）",
        lambda a, d, p, f: med.dispute_fail(
            actor=a, dispute=d, reason=p.reason, route=p.route, route_note=p.route_note
        ),
        folded=True,
    ),
    Step(
        "generate_agreement",
        DisputeNoteIn,
        "生成调解协议书（Word），保存其 SHA-256 摘要（调解员）",
        lambda a, d, p, f: docs.dispute_generate_agreement(actor=a, dispute=d),
    ),
    Step(
        "apply_confirmation",
        DisputeApplyConfirmationIn,
        "申请司法确认：协议生效之日起 30 日内（调解员）",
        lambda a, d, p, f: after.dispute_apply_confirmation(
            actor=a, dispute=d, applied_on=p.applied_on, court=p.court
        ),
    ),
    Step(
        "record_confirmation",
        DisputeRecordConfirmationIn,
        "登记人民法院的司法确认结果（调解员）",
        lambda a, d, p, f: after.dispute_record_confirmation(
            actor=a, dispute=d, result=p.result, decided_on=p.decided_on, number=p.number
        ),
    ),
    Step(
        "follow_up",
        DisputeFollowUpIn,
        "履行回访：回访日期和协议履行情况（调解员）",
        lambda a, d, p, f: after.dispute_follow_up(
            actor=a, dispute=d, visited_on=p.visited_on, performance=p.performance, note=p.note
        ),
    ),
    Step(
        "close",
        DisputeNoteIn,
        "结案：协议经回访确认已履行，或不予调解、调解终止的纠纷归档（调解员、调委会）",
        lambda a, d, p, f: after.dispute_close(actor=a, dispute=d, note=p.note),
    ),
]


DISPUTE_FLOW: Workflow = replace(DISPUTE, steps=STEPS)
_declared = {s.action for s in STEPS}
assert _declared == set(DISPUTE.actions), f"steps and the table differ: {_declared ^ set(DISPUTE.actions)}"
