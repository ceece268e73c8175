"""A petition after acceptance: extend the 60 日 once by at most 30 日 with the petitioner told why (第三十四条), the
leader's answer in a 信访处理意见书 (支持 / 解释说明 / 不予支持, 第三十二条), 复查 asked within 30 日 of the answer and
answered within 30 日 (第三十五条), 复核 the same (第三十六条; after it the matter is closed), and closing when no
request came in time or the petitioner is satisfied. Each step gives its written notice."""

import datetime as dt
from typing import Any

from django.db import transaction

from grassroots.core.errors import InvalidInput
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.clocks import clock_extend

from ..models import Petition
from ..petition_choices import NoticeKind, PetitionOutcome, PetitionStatus
from .petition_common import (
    Clocks,
    authorize,
    commit,
    last_day,
    limit,
    live_clock,
    local_day,
    need_clock,
    now_of,
    record_clocks,
    require_text,
    start_clock,
    stop_clock,
)
from .petition_notices import issue_notice, outcome_line


def guard_outcome(outcome: str, text: str) -> str:
    if outcome not in PetitionOutcome.values:
        raise InvalidInput("处理意见须为支持、解释说明或不予支持", code="outcome_invalid")
    return require_text(text, code="opinion_required", message="请填写意见书的事实、依据和理由")


@transaction.atomic
def petition_extend(
    *, actor: Any, petition: Petition, days: int, reason: str, now: dt.datetime | None = None
) -> Petition:
    """延期: once, by at most 30 日, the petitioner told why."""
    now = now_of(now)
    authorize(petition, actor, "extend")
    most = limit("EXTENSION_DAYS")
    if petition.extended_days:
        raise InvalidInput("办理期限只能延长一次", code="already_extended")
    if days <= 0:
        raise InvalidInput("延长天数应为正数", code="extension_not_positive")
    if days > most:
        raise InvalidInput(f"延长不得超过{most}日", code="extension_too_long", details={"max": most})
    reason = require_text(reason, code="reason_required", message="请填写延期理由")
    clock = need_clock(petition, Clocks.HANDLING)
    _, row = commit(
        petition,
        actor=actor,
        action="extend",
        to=None,
        now=now,
        note=reason,
        data={"days": days},
        extended_days=days,
    )
    change = clock_extend(
        clock=clock,
        amount=days,
        unit=LimitUnit.NATURAL_DAYS,
        reason=reason,
        requested_by=actor,
        approved_by=actor,
        now=now,
    )
    record_clocks(row, change)
    due = last_day(clock)
    body = [
        f"因{reason}，你（们）的信访事项不能在{limit('HANDLING_DAYS')}日内办结，办理期限延长{days}日"
        + (f"，至{due:%Y年%m月%d日}。" if due else "。")
    ]
    issue_notice(petition, NoticeKind.EXTENSION, body, actor=actor, now=now, row=row)
    return petition


@transaction.atomic
def petition_answer(
    *, actor: Any, petition: Petition, outcome: str, text: str, now: dt.datetime | None = None
) -> Petition:
    """答复: the leader who took the case answers in writing; the 30 日 to ask for 复查 start."""
    now = now_of(now)
    authorize(petition, actor, "answer")
    text = guard_outcome(outcome, text)
    _, row = commit(
        petition,
        actor=actor,
        action="answer",
        to=PetitionStatus.ANSWERED,
        now=now,
        data={"outcome": outcome},
        outcome=outcome,
        answer_text=text,
        answered_at=now,
    )
    record_clocks(
        row,
        stop_clock(petition, Clocks.HANDLING, result="answered", actor=actor, now=now),
        start_clock(petition, Clocks.REVIEW_REQUEST, now=now),
    )
    issue_notice(petition, NoticeKind.ANSWER, outcome_line(outcome, text), actor=actor, now=now, row=row)
    return petition


def _request(
    petition: Petition,
    *,
    actor: Any,
    action: str,
    window: str,
    clock: str,
    on: dt.date | None,
    now: dt.datetime,
    note: str,
    field: str,
    to: str,
) -> Petition:
    """A request for 复查 / 复核 on `on`, within the petitioner's 30 日; the answer's 30 日 start from it."""
    authorize(petition, actor, action)
    on = on or local_day(now)
    if on > local_day(now):
        raise InvalidInput("申请日期不能晚于今天", code="date_in_future")
    last = None
    live = live_clock(petition, window)
    if live is not None:
        last = last_day(live)
    if live is None or last is None or on > last or on < local_day(live.started_at):
        raise InvalidInput(
            "请求已超过三十日的期限，不再受理" if live is not None else "请求期限未在计时",
            code="request_out_of_time",
            details={"last_day": last.isoformat() if last else None},
        )
    received = min(now, dt.datetime.combine(on, dt.time(12), tzinfo=SHANGHAI))
    _, row = commit(
        petition,
        actor=actor,
        action=action,
        to=to,
        now=now,
        note=note,
        data={"requested_on": on.isoformat()},
        **{field: on},
    )
    record_clocks(
        row,
        stop_clock(petition, window, result="requested", actor=actor, now=now),
        start_clock(petition, clock, now=received),
    )
    return petition


@transaction.atomic
def petition_request_review(
    *,
    actor: Any,
    petition: Petition,
    requested_on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Petition:
    """复查申请, recorded as the petitioner made it: within 30 日 of the answer."""
    return _request(
        petition,
        actor=actor,
        action="request_review",
        window=Clocks.REVIEW_REQUEST,
        clock=Clocks.REVIEW,
        on=requested_on,
        now=now_of(now),
        note=note,
        field="review_requested_on",
        to=PetitionStatus.REVIEWING,
    )


@transaction.atomic
def petition_request_recheck(
    *,
    actor: Any,
    petition: Petition,
    requested_on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Petition:
    """复核申请: within 30 日 of the 复查意见."""
    return _request(
        petition,
        actor=actor,
        action="request_recheck",
        window=Clocks.RECHECK_REQUEST,
        clock=Clocks.RECHECK,
        on=requested_on,
        now=now_of(now),
        note=note,
        field="recheck_requested_on",
        to=PetitionStatus.RECHECKING,
    )


@transaction.atomic
def petition_answer_review(
    *, actor: Any, petition: Petition, outcome: str, text: str, now: dt.datetime | None = None
) -> Petition:
    """复查意见: the 30 日 to ask for 复核 start."""
    now = now_of(now)
    authorize(petition, actor, "answer_review")
    text = guard_outcome(outcome, text)
    _, row = commit(
        petition,
        actor=actor,
        action="answer_review",
        to=PetitionStatus.REVIEWED,
        now=now,
        data={"outcome": outcome},
        review_outcome=outcome,
        review_text=text,
        reviewed_at=now,
    )
    record_clocks(
        row,
        stop_clock(petition, Clocks.REVIEW, result="answered", actor=actor, now=now),
        start_clock(petition, Clocks.RECHECK_REQUEST, now=now),
    )
    issue_notice(petition, NoticeKind.REVIEW, outcome_line(outcome, text), actor=actor, now=now, row=row)
    return petition


@transaction.atomic
def petition_answer_recheck(
    *, actor: Any, petition: Petition, outcome: str, text: str, now: dt.datetime | None = None
) -> Petition:
    """复核意见: final; the matter is closed (第三十六条)."""
    now = now_of(now)
    authorize(petition, actor, "answer_recheck")
    text = guard_outcome(outcome, text)
    _, row = commit(
        petition,
        actor=actor,
        action="answer_recheck",
        to=PetitionStatus.CLOSED,
        now=now,
        data={"outcome": outcome},
        recheck_outcome=outcome,
        recheck_text=text,
        closed_at=now,
    )
    record_clocks(row, stop_clock(petition, Clocks.RECHECK, result="answered", actor=actor, now=now))
    issue_notice(petition, NoticeKind.RECHECK, outcome_line(outcome, text), actor=actor, now=now, row=row)
    return petition


@transaction.atomic
def petition_close(
    *, actor: Any, petition: Petition, satisfied: bool = False, note: str = "", now: dt.datetime | None = None
) -> Petition:
    """办结: the 30 日 to ask for 复查 (or 复核) ran out with no request, or the petitioner says they are satisfied."""
    now = now_of(now)
    authorize(petition, actor, "close")
    window = Clocks.REVIEW_REQUEST if petition.status == PetitionStatus.ANSWERED else Clocks.RECHECK_REQUEST
    clock = live_clock(petition, window)
    if clock is not None and clock.due_at is not None and now < clock.due_at and not satisfied:
        last = last_day(clock)
        raise InvalidInput(
            "信访人请求复查（复核）的期限未满，且未表示满意，暂不能办结",
            code="request_window_open",
            details={"last_day": last.isoformat() if last else None},
        )
    result = "satisfied" if satisfied else "expired"
    _, row = commit(
        petition,
        actor=actor,
        action="close",
        to=PetitionStatus.CLOSED,
        now=now,
        note=note,
        data={"satisfied": satisfied},
        closed_at=now,
    )
    record_clocks(row, stop_clock(petition, window, result=result, actor=actor, now=now))
    body = [
        "信访人对处理意见表示满意，本事项办结。"
        if satisfied
        else "信访人在规定期限内未请求复查（复核），本事项办结。"
    ]
    issue_notice(petition, NoticeKind.CLOSING, body, actor=actor, now=now, row=row)
    return petition
