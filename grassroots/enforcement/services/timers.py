"""What the one timer worker does with a case's clocks: tell the officers before a limit runs out and when it has
(the lead's 15 工作日, the case's 90 日, service's 7 工作日); tell them the party's hearing window has closed; and that
an unpaid fine now accrues the late fee (3% a day, `limits.late_fee`). No case moves by itself."""

import datetime as dt

from grassroots.notifications.services import notify_after_commit
from grassroots.workflow.models import Clock

from ..models import EnforcementCase
from .common import Clocks

WARN_TEXT = {
    Clocks.LEAD: "线索核查期限将到，请尽快决定是否立案",
    Clocks.CASE: "办案期限将到，请抓紧调查并作出决定（可经负责人批准延长）",
    Clocks.SERVICE: "处罚决定书送达期限将到",
    Clocks.PAYMENT: "罚款缴纳期限将到",
}
OVERDUE_TEXT = {
    Clocks.LEAD: "线索核查已超期，请立即作出立案或不予立案决定",
    Clocks.CASE: "办案已超过法定期限",
    Clocks.HEARING_REQUEST: "当事人申请听证的期限已届满，可以进入集体讨论或作出决定",
    Clocks.SERVICE: "处罚决定书已超过送达期限",
    Clocks.PAYMENT: "当事人逾期未缴纳罚款，每日按罚款数额的 3% 加处罚款；可申请强制执行",
}


def _tell(clock: Clock, texts: dict[str, str], verb: str) -> None:
    text = texts.get(clock.name)
    if text is None:
        return
    case = EnforcementCase.objects.filter(pk=clock.object_id).first()
    if case is None:
        return
    notify_after_commit(
        person_ids=list(case.officers.values_list("pk", flat=True)),
        verb=verb,
        text=f"执法案件 {case}（{case.party_name}）：{text}",
    )


def case_clock_warn(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, WARN_TEXT, "case_due_soon")


def case_clock_overdue(clock: Clock, now: dt.datetime) -> None:
    _tell(clock, OVERDUE_TEXT, "case_overdue")
