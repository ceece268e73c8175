"""Each step of a petition as people and programs take it: its input schema, its words and its one service call.
With `petition_rules.TABLE` this is the whole declaration; the API and the petition page are made from it."""

from dataclasses import replace
from typing import Any

from django.http import Http404

from grassroots.core.errors import InvalidInput
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step

from .petition_permissions import petitions_visible_to
from .petition_rules import PETITION
from .petition_schemas import (
    AcceptIn,
    CloseIn,
    ExtendIn,
    JoinIn,
    LeaderIn,
    OpinionIn,
    ReasonIn,
    RequestIn,
    TransferIn,
)
from .services import petition_handling as h
from .services import petitions as p


def person(pk: int | None) -> Person | None:
    if pk is None:
        return None
    found = Person.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise InvalidInput("所选人员不存在或已停用", code="person_not_found", details={"person": pk})
    return found


def _into(actor: Any, pk: int) -> Any:
    found = petitions_visible_to(actor).filter(pk=pk).first()
    if found is None:
        raise Http404("信访件不存在或不在您的管辖范围内")
    return found


STEPS = [
    Step(
        "assign_leader",
        LeaderIn,
        "领导包案（信访工作机构）",
        lambda a, x, b, f: p.petition_assign_leader(
            actor=a, petition=x, leader=person(b.leader_id), note=b.note
        ),
    ),
    Step(
        "accept",
        AcceptIn,
        "受理，出具受理告知书；办理期限（60 日）开始（信访工作机构）",
        lambda a, x, b, f: p.petition_accept(actor=a, petition=x, leader=person(b.leader_id), note=b.note),
    ),
    Step(
        "refuse",
        ReasonIn,
        "不予受理，出具不予受理告知书（信访工作机构）",
        lambda a, x, b, f: p.petition_refuse(actor=a, petition=x, reason=b.reason),
        folded=True,
    ),
    Step(
        "transfer",
        TransferIn,
        "转送有权处理的机关，出具转送告知书（信访工作机构）",
        lambda a, x, b, f: p.petition_transfer(actor=a, petition=x, to=b.to, reason=b.reason),
        folded=True,
    ),
    Step(
        "object",
        ReasonIn,
        "转送来件不属本机关职权范围的，5 个工作日内退回（信访工作机构）",
        lambda a, x, b, f: p.petition_object(actor=a, petition=x, reason=b.reason),
        folded=True,
    ),
    Step(
        "join",
        JoinIn,
        "同一事项已受理的，合并、不再重复受理（信访工作机构）",
        lambda a, x, b, f: p.petition_join(actor=a, petition=x, into=_into(a, b.into_id), note=b.note),
        folded=True,
    ),
    Step(
        "extend",
        ExtendIn,
        "延长办理期限（一次，不超过 30 日），出具延期办理告知书（信访工作机构、包案领导）",
        lambda a, x, b, f: h.petition_extend(actor=a, petition=x, days=b.days, reason=b.reason),
    ),
    Step(
        "answer",
        OpinionIn,
        "出具信访处理意见书：支持、解释说明或不予支持（包案领导）",
        lambda a, x, b, f: h.petition_answer(actor=a, petition=x, outcome=b.outcome, text=b.text),
    ),
    Step(
        "request_review",
        RequestIn,
        "登记信访人的复查请求（答复之日起 30 日内；信访工作机构）",
        lambda a, x, b, f: h.petition_request_review(
            actor=a, petition=x, requested_on=b.requested_on, note=b.note
        ),
    ),
    Step(
        "answer_review",
        OpinionIn,
        "出具复查意见书（30 日内；信访工作机构、包案领导）",
        lambda a, x, b, f: h.petition_answer_review(actor=a, petition=x, outcome=b.outcome, text=b.text),
    ),
    Step(
        "request_recheck",
        RequestIn,
        "登记信访人的复核请求（复查意见之日起 30 日内；信访工作机构）",
        lambda a, x, b, f: h.petition_request_recheck(
            actor=a, petition=x, requested_on=b.requested_on, note=b.note
        ),
    ),
    Step(
        "answer_recheck",
        OpinionIn,
        "出具复核意见书，信访事项终结（信访工作机构、包案领导）",
        lambda a, x, b, f: h.petition_answer_recheck(actor=a, petition=x, outcome=b.outcome, text=b.text),
    ),
    Step(
        "close",
        CloseIn,
        "办结：请求期限届满未请求复查（复核），或信访人表示满意（信访工作机构、包案领导）",
        lambda a, x, b, f: h.petition_close(actor=a, petition=x, satisfied=b.satisfied, note=b.note),
    ),
]

PETITION_FLOW = replace(PETITION, steps=STEPS)
