"""From 立案 to the decision: evidence, the proposal (拟处罚意见), the case's extension, 法制审核, 告知, 听证 and
集体讨论. One service per step; the table is `rules.TABLE`."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from grassroots.core.errors import InvalidInput
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import PauseKind
from grassroots.workflow.clocks import clock_extend, clock_pause, clock_resume

from ..choices import CaseStatus, DocumentKind
from ..models import EnforcementCase, Evidence
from .cases import guard_place
from .common import (
    Clocks,
    authorize,
    commit,
    live_clock,
    need_clock,
    now_of,
    record_clocks,
    start_clock,
    stop_clock,
)
from .discretion import check_penalty, guard_not_heavier_than_notified
from .documents import document_generate
from .evidence import NOTE_MAX, check_evidence_file, save_evidence
from .limits import earliest_hearing_day, limit

# -- guards shared with the decision ------------------------------------------------------------------------


def guard_proposal(case: EnforcementCase) -> None:
    if not case.penalty_kind or not case.discretion_level:
        raise InvalidInput("请先拟定处罚意见（处罚种类、裁量阶次和金额）", code="proposal_required")


def guard_reviewed(case: EnforcementCase) -> None:
    """法制审核 before the decision of a major case, and after any hearing (第五十八条)."""
    if case.hearing_held_at is not None and (
        case.reviewed_at is None or case.reviewed_at < case.hearing_held_at
    ):
        raise InvalidInput("经过听证的案件，听证后须经法制审核", code="case_review_required")
    if case.major and case.reviewed_at is None:
        raise InvalidInput("重大案件须经法制审核", code="case_review_required")


def guard_hearing_window(case: EnforcementCase, *, waived: bool, now: dt.datetime) -> None:
    """Leaving 已告知 while the party may still ask for a hearing takes their right away, unless they waived it
    in writing (放弃陈述、申辩和听证)."""
    if case.status != CaseStatus.NOTIFIED or waived:
        return
    clock = live_clock(case, Clocks.HEARING_REQUEST)
    due = clock.due_at if clock is not None else None
    if due is not None and due > now:
        raise InvalidInput(
            "当事人申请听证的期限尚未届满（告知后 5 个工作日）；当事人书面放弃的，请勾选“当事人已放弃”",
            code="hearing_window_open",
            details={"until": due.isoformat()},
        )


def end_hearing_window(case: EnforcementCase, *, waived: bool, actor: Any, now: dt.datetime) -> list[Any]:
    change = stop_clock(
        case, Clocks.HEARING_REQUEST, result="waived" if waived else "expired", actor=actor, now=now
    )
    return [change] if change else []


# -- evidence, proposal, extension --------------------------------------------------------------------------


@transaction.atomic
def case_add_evidence(
    *,
    actor: Any,
    case: EnforcementCase,
    kind: str,
    file: UploadedFile | None = None,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    taken_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Evidence:
    """登记证据 (全过程记录, 第四十七条): a file checked by its bytes, or a note; where and when it was taken."""
    now = now_of(now)
    authorize(case, actor, "add_evidence")
    checked = check_evidence_file(kind, file)
    description = description.strip()
    if checked is None and not description:
        raise InvalidInput("笔录摘要须填写内容", code="evidence_note_empty")
    if len(description) > NOTE_MAX:
        raise InvalidInput(f"说明不能超过 {NOTE_MAX} 字", code="evidence_note_too_long")
    guard_place(lon, lat)
    taken_at = taken_at or now
    if taken_at > now:
        raise InvalidInput("取证时间不能晚于现在", code="evidence_taken_in_future")
    data = {"kind": kind, "sha256": checked.sha256 if checked else None}
    commit(case, actor=actor, action="add_evidence", to=None, now=now, note=description[:200], data=data)
    return save_evidence(
        case,
        kind=kind,
        checked=checked,
        description=description,
        lon=lon,
        lat=lat,
        taken_at=taken_at,
        actor=actor,
        now=now,
    )


@transaction.atomic
def case_propose(
    *,
    actor: Any,
    case: EnforcementCase,
    penalty_kind: str,
    level: str,
    amount: Any = None,
    reason: str = "",
    approver: Person | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """拟定处罚意见 at the level of the power's table the officers select: outside its range with a written reason
    and a head's approval; after 告知, nothing heavier than what the party was told."""
    now = now_of(now)
    authorize(case, actor, "propose")
    checked = check_penalty(
        case=case, level=level, kind=penalty_kind, amount=amount, reason=reason, approver=approver
    )
    guard_not_heavier_than_notified(case, kind=penalty_kind, amount=checked.amount)
    commit(
        case,
        actor=actor,
        action="propose",
        to=None,
        now=now,
        note=note,
        data={
            "kind": penalty_kind,
            "level": level,
            "amount": str(checked.amount),
            "within_range": checked.within,
            "approver": getattr(checked.approver, "pk", None) if not checked.within else None,
        },
        penalty_kind=penalty_kind,
        discretion_level=level,
        proposed_amount=checked.amount,
        proposal_reason=checked.reason,
        proposal_approved_by=None if checked.within else checked.approver,
    )
    return case


@transaction.atomic
def case_extend(
    *,
    actor: Any,
    case: EnforcementCase,
    reason: str,
    requested_by: Person | None = None,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """The 90 日 extended once by 30 日, approved by the head (the actor), with a reason. Longer needs the heads'
    collective decision, which this version does not record."""
    now = now_of(now)
    authorize(case, actor, "extend_case")
    if not reason.strip():
        raise InvalidInput("延长办案期限须说明理由", code="extension_reason_required")
    clock = need_clock(case, Clocks.CASE)
    if clock.extended_seconds:
        raise InvalidInput("办案期限已延长过一次，再延长须经负责人集体讨论", code="case_already_extended")
    days = limit("CASE_EXTENSION_DAYS")
    _, row = commit(
        case, actor=actor, action="extend_case", to=None, now=now, note=reason.strip(), data={"days": days}
    )
    change = clock_extend(
        clock=clock,
        amount=days,
        unit=LimitUnit.NATURAL_DAYS,
        reason=reason.strip(),
        requested_by=requested_by,
        approved_by=actor,
        now=now,
    )
    record_clocks(row, change)
    return case


# -- 法制审核 -------------------------------------------------------------------------------------------------


@transaction.atomic
def case_submit_review(
    *, actor: Any, case: EnforcementCase, note: str = "", now: dt.datetime | None = None
) -> EnforcementCase:
    now = now_of(now)
    authorize(case, actor, "submit_review")
    guard_proposal(case)
    commit(case, actor=actor, action="submit_review", to=CaseStatus.REVIEWING, now=now, note=note)
    return case


@transaction.atomic
def case_review(
    *, actor: Any, case: EnforcementCase, passed: bool, opinion: str, now: dt.datetime | None = None
) -> EnforcementCase:
    """法制审核: passed (on to 告知, or to 集体讨论/决定 after a hearing), or sent back for more investigation."""
    now = now_of(now)
    action = "review_pass" if passed else "review_return"
    authorize(case, actor, action)
    opinion = opinion.strip()
    if not opinion:
        raise InvalidInput("请填写法制审核意见", code="review_opinion_required")
    if passed:
        commit(
            case,
            actor=actor,
            action=action,
            to=CaseStatus.REVIEWED,
            now=now,
            note=opinion,
            reviewed_at=now,
            reviewed_by=actor,
            review_opinion=opinion,
        )
    else:
        commit(
            case,
            actor=actor,
            action=action,
            to=CaseStatus.INVESTIGATING,
            now=now,
            note=opinion,
            review_opinion=opinion,
        )
    return case


# -- 告知 and 听证 ---------------------------------------------------------------------------------------------


@transaction.atomic
def case_notify(
    *, actor: Any, case: EnforcementCase, note: str = "", now: dt.datetime | None = None
) -> EnforcementCase:
    """行政处罚告知: the proposed penalty, its facts, reasons and basis, and the rights to state, defend and ask
    for a hearing within 5 工作日 (第四十四条, 第六十四条); the notice is generated."""
    now = now_of(now)
    authorize(case, actor, "notify")
    guard_proposal(case)
    if case.notified_at is not None:
        raise InvalidInput("已经告知，不能重复告知", code="case_already_notified")
    if case.major and case.reviewed_at is None:
        raise InvalidInput("重大案件告知前须经法制审核", code="case_review_required")
    _, row = commit(
        case,
        actor=actor,
        action="notify",
        to=CaseStatus.NOTIFIED,
        now=now,
        note=note,
        data={"kind": case.penalty_kind, "amount": str(case.proposed_amount or 0)},
        notified_at=now,
        notified_kind=case.penalty_kind,
        notified_amount=case.proposed_amount or 0,
    )
    record_clocks(row, start_clock(case, Clocks.HEARING_REQUEST, now=now))
    document_generate(case, DocumentKind.NOTICE, actor=actor, now=now)
    return case


@transaction.atomic
def case_request_hearing(
    *, actor: Any, case: EnforcementCase, note: str = "", now: dt.datetime | None = None
) -> EnforcementCase:
    """The party asked for a hearing within the 5 工作日: the case's 90 日 stop running until it is held."""
    now = now_of(now)
    authorize(case, actor, "request_hearing")
    window = need_clock(case, Clocks.HEARING_REQUEST)
    if window.due_at is not None and window.due_at <= now:
        raise InvalidInput("已超过申请听证的期限（告知后 5 个工作日）", code="hearing_request_late")
    _, row = commit(
        case,
        actor=actor,
        action="request_hearing",
        to=CaseStatus.HEARING,
        now=now,
        note=note,
        hearing_requested_at=now,
    )
    stopped = stop_clock(case, Clocks.HEARING_REQUEST, result="requested", actor=actor, now=now)
    paused = clock_pause(
        clock=need_clock(case, Clocks.CASE),
        kind=PauseKind.HEARING,
        reason="当事人申请听证",
        actor=actor,
        now=now,
    )
    record_clocks(row, *[c for c in (stopped, paused) if c])
    return case


@transaction.atomic
def case_schedule_hearing(
    *,
    actor: Any,
    case: EnforcementCase,
    notice_on: dt.date,
    hearing_on: dt.date,
    place: str,
    chair: Person,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """安排听证: the chair (who did not investigate: no officer on the case), the place and the day, which must be
    7 工作日 after the notice to the party."""
    now = now_of(now)
    authorize(case, actor, "schedule_hearing")
    if case.officers.filter(pk=chair.pk).exists():
        raise InvalidInput("听证主持人不得由本案调查人员担任", code="hearing_chair_is_officer")
    if not chair.is_active:
        raise InvalidInput("听证主持人账号已停用", code="hearing_chair_inactive")
    if notice_on > now.astimezone(SHANGHAI).date():
        raise InvalidInput("听证通知日期不能晚于今天", code="hearing_notice_in_future")
    earliest = earliest_hearing_day(notice_on)
    if hearing_on < earliest:
        raise InvalidInput(
            f"应当在举行听证的 {limit('HEARING_NOTICE_WORKING_DAYS')} 个工作日前通知当事人；"
            f"{notice_on:%Y年%m月%d日}通知的，听证最早于{earliest:%Y年%m月%d日}举行",
            code="hearing_notice_too_late",
            details={"earliest": earliest.isoformat()},
        )
    if not place.strip():
        raise InvalidInput("请填写听证地点", code="hearing_place_required")
    commit(
        case,
        actor=actor,
        action="schedule_hearing",
        to=None,
        now=now,
        data={"notice_on": notice_on.isoformat(), "hearing_on": hearing_on.isoformat(), "chair": chair.pk},
        hearing_notice_on=notice_on,
        hearing_on=hearing_on,
        hearing_place=place.strip(),
        hearing_chair=chair,
    )
    return case


@transaction.atomic
def case_hold_hearing(
    *,
    actor: Any,
    case: EnforcementCase,
    record: str,
    party_absent: bool = False,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """听证 held (or the party did not come without good reason: a waiver, 第六十四条): the 90 日 run again."""
    now = now_of(now)
    authorize(case, actor, "hold_hearing")
    if case.hearing_on is None:
        raise InvalidInput("尚未安排听证", code="hearing_not_scheduled")
    if now.astimezone(SHANGHAI).date() < case.hearing_on:
        raise InvalidInput("尚未到听证日期", code="hearing_before_its_day")
    record = record.strip()
    if not record and not party_absent:
        raise InvalidInput("请填写听证笔录摘要", code="hearing_record_required")
    _, row = commit(
        case,
        actor=actor,
        action="hold_hearing",
        to=CaseStatus.HEARD,
        now=now,
        note=record[:200],
        data={"party_absent": party_absent},
        hearing_held_at=now,
        hearing_record=record,
        hearing_party_absent=party_absent,
    )
    record_clocks(row, clock_resume(clock=need_clock(case, Clocks.CASE), actor=actor, now=now))
    return case


@transaction.atomic
def case_discuss(
    *,
    actor: Any,
    case: EnforcementCase,
    discussion: str,
    waived: bool = False,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """集体讨论 by the unit's heads (第五十七条), recorded: who took part and what they concluded."""
    now = now_of(now)
    authorize(case, actor, "discuss")
    if case.notified_at is None:
        raise InvalidInput("集体讨论前须先告知当事人", code="case_not_notified")
    guard_hearing_window(case, waived=waived, now=now)
    guard_reviewed(case)
    discussion = discussion.strip()
    if not discussion:
        raise InvalidInput("请填写集体讨论记录（参加人员和结论）", code="discussion_required")
    _, row = commit(
        case,
        actor=actor,
        action="discuss",
        to=CaseStatus.DISCUSSED,
        now=now,
        note=discussion[:200],
        data={"waived": waived},
        discussed_at=now,
        discussion=discussion,
    )
    record_clocks(row, *end_hearing_window(case, waived=waived, actor=actor, now=now))
    return case
