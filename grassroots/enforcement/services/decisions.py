"""The decision and what follows it: 决定 (one of the four outcomes of 第五十七条), 送达, 执行 (with the late fee),
结案 and 归档; and the simple procedure's penalty decided and served on the spot. One service per step; the table is
`rules.TABLE`."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from grassroots.core.errors import InvalidInput
from grassroots.workcal.calendar import SHANGHAI

from ..choices import (
    CaseOutcome,
    CasePenaltyKind,
    CaseProcedure,
    CaseStatus,
    DocumentKind,
    ExecutionManner,
    PartyKind,
    ServiceMethod,
)
from ..models import EnforcementCase
from .cases import guard_case_officers
from .common import Clocks, authorize, commit, due_day, now_of, record_clocks, start_clock, stop_clock
from .discretion import amount_of, check_penalty, guard_not_heavier_than_notified, guard_outcome
from .documents import document_generate
from .investigation import end_hearing_window, guard_hearing_window, guard_reviewed
from .limits import late_fee, money
from .numbering import document_number


def _owes_money(case: EnforcementCase) -> bool:
    return (
        case.outcome == CaseOutcome.PENALTY
        and case.penalty_kind == CasePenaltyKind.FINE
        and bool(case.decided_amount)
    )


@transaction.atomic
def case_decide(
    *,
    actor: Any,
    case: EnforcementCase,
    outcome: str,
    penalty_kind: str = "",
    level: str = "",
    amount: Any = None,
    reason: str = "",
    waived: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """作出决定 by the head: a penalty (after 告知; within the table's range or with a written reason, the head
    deciding being the sign-off; no heavier than notified), no penalty (minor, or facts not established), or
    transfer to the judiciary. Legal review and collective discussion first where the law requires them. The
    case's 90 日 stop; the decision is to be served within 7 工作日."""
    now = now_of(now)
    authorize(case, actor, "decide")
    result = guard_outcome(outcome)
    guard_hearing_window(case, waived=waived, now=now)
    guard_reviewed(case)
    if case.major and case.discussed_at is None:
        raise InvalidInput("重大案件须经负责人集体讨论决定", code="case_discussion_required")
    fields: dict[str, Any] = {"outcome": result, "decided_at": now, "decided_by": actor}
    if result == CaseOutcome.PENALTY:
        if case.notified_at is None:
            raise InvalidInput(
                "作出行政处罚决定前须告知当事人（行政处罚法第四十四条）", code="case_not_notified"
            )
        kind, level = penalty_kind or case.penalty_kind, level or case.discretion_level
        checked = check_penalty(
            case=case, level=level, kind=kind, amount=amount, reason=reason, approver=actor
        )
        guard_not_heavier_than_notified(case, kind=kind, amount=checked.amount)
        fields.update(
            penalty_kind=kind,
            discretion_level=level,
            decided_amount=checked.amount,
            discretion_reason=checked.reason,
            discretion_approved_by=None if checked.within else actor,
        )
    else:
        fields.update(decided_amount=None)
    fields["decision_number"] = document_number(case, DocumentKind.DECISION)
    _, row = commit(
        case,
        actor=actor,
        action="decide",
        to=CaseStatus.DECIDED,
        now=now,
        note=note,
        data={
            "outcome": result,
            "kind": fields.get("penalty_kind"),
            "amount": str(fields["decided_amount"]) if fields.get("decided_amount") is not None else None,
            "within_range": fields.get("discretion_reason") == "" if result == CaseOutcome.PENALTY else None,
            "decision_number": fields["decision_number"],
        },
        **fields,
    )
    changes = end_hearing_window(case, waived=waived, actor=actor, now=now)
    changes += [c for c in (stop_clock(case, Clocks.CASE, result=result, actor=actor, now=now),) if c]
    if result != CaseOutcome.TRANSFER:
        changes.append(start_clock(case, Clocks.SERVICE, now=now))
    record_clocks(row, *changes)
    document_generate(case, DocumentKind.DECISION, actor=actor, now=now)
    return case


@transaction.atomic
def case_serve(
    *,
    actor: Any,
    case: EnforcementCase,
    method: str,
    recipient: str,
    served_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """送达 the decision (within 7 工作日 if not handed over on the spot); a fine is due 15 日 after."""
    now = now_of(now)
    authorize(case, actor, "serve")
    if method not in ServiceMethod.values:
        raise InvalidInput("请选择送达方式", code="service_method_required")
    if not recipient.strip():
        raise InvalidInput("请填写受送达人", code="service_recipient_required")
    served_at = now_of(served_at or now)
    if served_at > now or (case.decided_at is not None and served_at < case.decided_at):
        raise InvalidInput("送达时间应在决定之后、现在之前", code="service_bad_time")
    _, row = commit(
        case,
        actor=actor,
        action="serve",
        to=CaseStatus.SERVED,
        now=now,
        data={"method": method, "served_at": served_at.isoformat()},
        served_at=served_at,
        service_method=method,
        service_recipient=recipient.strip(),
    )
    changes = [
        c for c in (stop_clock(case, Clocks.SERVICE, result="served", actor=actor, now=served_at),) if c
    ]
    if _owes_money(case):
        payment = start_clock(case, Clocks.PAYMENT, now=served_at)
        changes.append(payment)
        case.payment_due_on = due_day(payment)
        EnforcementCase.objects.filter(pk=case.pk).update(payment_due_on=case.payment_due_on)
    record_clocks(row, *changes)
    document_generate(case, DocumentKind.SERVICE_RECEIPT, actor=actor, now=now)
    return case


@transaction.atomic
def case_execute(
    *,
    actor: Any,
    case: EnforcementCase,
    manner: str,
    paid_amount: Any = None,
    paid_on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """执行: the fine paid (with the late fee of 3% a day after the due day, capped at the fine), the penalty
    performed, or enforcement applied for at the court."""
    now = now_of(now)
    authorize(case, actor, "execute")
    if manner not in ExecutionManner.values:
        raise InvalidInput("请选择执行方式", code="execution_manner_required")
    fields: dict[str, Any] = {"executed_at": now, "execution_manner": manner}
    owes = _owes_money(case)
    if manner == ExecutionManner.PAID:
        if not owes or case.decided_amount is None or case.payment_due_on is None:
            raise InvalidInput("本案没有需要缴纳的罚款", code="execution_nothing_to_pay")
        if paid_on is None or paid_on > now.astimezone(SHANGHAI).date():
            raise InvalidInput("请填写缴款日期（不晚于今天）", code="payment_date_required")
        fee = late_fee(case.decided_amount, due_on=case.payment_due_on, paid_on=paid_on)
        paid = amount_of(paid_amount)
        if paid < case.decided_amount + fee:
            raise InvalidInput(
                f"应缴罚款 {case.decided_amount:.2f} 元、加处罚款 {fee:.2f} 元，实缴 {paid:.2f} 元不足",
                code="payment_short",
                details={"fine": str(case.decided_amount), "late_fee": str(fee)},
            )
        fields.update(paid_amount=paid, late_fee=fee)
    elif manner == ExecutionManner.PERFORMED and owes:
        raise InvalidInput("罚款须登记缴款或申请强制执行", code="execution_fine_unpaid")
    elif manner == ExecutionManner.ENFORCED and not note.strip():
        raise InvalidInput("申请强制执行须写明申请情况", code="execution_note_required")
    _, row = commit(
        case,
        actor=actor,
        action="execute",
        to=CaseStatus.EXECUTED,
        now=now,
        note=note.strip(),
        data={
            "manner": manner,
            "paid": str(fields.get("paid_amount") or ""),
            "late_fee": str(fields.get("late_fee") or ""),
        },
        **fields,
    )
    change = stop_clock(case, Clocks.PAYMENT, result=manner, actor=actor, now=now)
    record_clocks(row, *([change] if change else []))
    return case


@transaction.atomic
def case_close(
    *, actor: Any, case: EnforcementCase, report: str, now: dt.datetime | None = None
) -> EnforcementCase:
    """结案 with the closing report: after execution; after service for a warning or a decision without penalty;
    after the decision for a transfer to the judiciary."""
    now = now_of(now)
    authorize(case, actor, "close")
    if case.status == CaseStatus.DECIDED and case.outcome != CaseOutcome.TRANSFER:
        raise InvalidInput("决定尚未送达", code="case_not_served")
    if (
        case.status == CaseStatus.SERVED
        and case.outcome == CaseOutcome.PENALTY
        and case.penalty_kind != CasePenaltyKind.WARNING
    ):
        raise InvalidInput("处罚决定尚未执行完毕", code="case_not_executed")
    if not report.strip():
        raise InvalidInput("请填写结案报告", code="close_report_required")
    commit(
        case,
        actor=actor,
        action="close",
        to=CaseStatus.CLOSED,
        now=now,
        note=report.strip()[:200],
        closed_at=now,
        close_report=report.strip(),
    )
    return case


@transaction.atomic
def case_archive(
    *, actor: Any, case: EnforcementCase, note: str = "", now: dt.datetime | None = None
) -> EnforcementCase:
    now = now_of(now)
    authorize(case, actor, "archive")
    commit(case, actor=actor, action="archive", to=CaseStatus.ARCHIVED, now=now, note=note, archived_at=now)
    return case


# -- 简易程序 ---------------------------------------------------------------------------------------------------


def simple_limit(party_kind: str) -> Decimal:
    """第五十一条: a fine on the spot of at most ¥200 for a citizen, ¥3,000 for an organisation."""
    name = "SIMPLE_LIMIT_PERSON" if party_kind == PartyKind.PERSON else "SIMPLE_LIMIT_ORGANISATION"
    return money(name)


@transaction.atomic
def case_decide_on_spot(
    *,
    actor: Any,
    case: EnforcementCase,
    penalty_kind: str,
    form_number: str,
    recipient: str,
    amount: Any = None,
    level: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """当场处罚 (简易程序, 第五十一条–第五十二条): a warning or a fine up to the cap, on a pre-printed numbered form
    handed to the party at once. Facts certain and basis clear; no 立案, no 告知 period."""
    now = now_of(now)
    authorize(case, actor, "decide_on_spot")
    if penalty_kind not in (CasePenaltyKind.WARNING, CasePenaltyKind.FINE):
        raise InvalidInput("简易程序只能当场给予警告或罚款", code="simple_kind_not_allowed")
    cap = simple_limit(case.party_kind)
    fine = amount_of(amount)
    if fine > cap:
        raise InvalidInput(
            f"简易程序对{PartyKind(case.party_kind).label}只能处 {cap:.0f} 元以下罚款（行政处罚法第五十一条），请按普通程序办理",
            code="simple_amount_over_limit",
            details={"limit": str(cap)},
        )
    form_number = form_number.strip()
    if not form_number:
        raise InvalidInput("请填写当场处罚决定书编号", code="simple_number_required")
    if EnforcementCase.objects.filter(unit=case.unit, decision_number=form_number).exists():
        raise InvalidInput("该当场处罚决定书编号已使用", code="simple_number_duplicate")
    if not recipient.strip():
        raise InvalidInput("请填写受送达人", code="service_recipient_required")
    guard_case_officers(case, now)
    fields: dict[str, Any] = {}
    if level:
        checked = check_penalty(case=case, level=level, kind=penalty_kind, amount=fine)
        fields["discretion_level"] = level
        fine = checked.amount
    elif penalty_kind == CasePenaltyKind.FINE and fine <= 0:
        raise InvalidInput("罚款须填写金额", code="penalty_amount_required")
    elif penalty_kind == CasePenaltyKind.WARNING and fine != 0:
        raise InvalidInput("只有罚款填写金额", code="penalty_amount_not_fine")
    _, row = commit(
        case,
        actor=actor,
        action="decide_on_spot",
        to=CaseStatus.SERVED,
        now=now,
        note=note,
        data={"kind": penalty_kind, "amount": str(fine), "form_number": form_number},
        procedure=CaseProcedure.SIMPLE,
        outcome=CaseOutcome.PENALTY,
        penalty_kind=penalty_kind,
        decided_amount=fine,
        decided_at=now,
        decided_by=actor,
        decision_number=form_number,
        served_at=now,
        service_method=ServiceMethod.ON_SPOT,
        service_recipient=recipient.strip(),
        **fields,
    )
    changes = [c for c in (stop_clock(case, Clocks.LEAD, result="simple", actor=actor, now=now),) if c]
    if _owes_money(case):
        payment = start_clock(case, Clocks.PAYMENT, now=now)
        changes.append(payment)
        case.payment_due_on = due_day(payment)
        EnforcementCase.objects.filter(pk=case.pk).update(payment_due_on=case.payment_due_on)
    record_clocks(row, *changes)
    return case
