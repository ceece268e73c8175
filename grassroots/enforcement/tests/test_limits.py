"""Every statutory limit of a case on the working calendar, hand-computed. 行政处罚法 第八十五条 reads its 五日 and
七日 as working days; 十五日 and 九十日 are natural days. The start day is not counted; a natural period ending on a
rest day ends on the next working day. Working days: weekends and the 2026 National Day holiday (1–7 October) are
left out and its make-up Saturday, 10 October, is worked. Working hours 08:30–12:00, 13:30–17:30."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from grassroots.core.errors import DomainError
from grassroots.workflow.clocks import clock_remaining
from grassroots.workflow.models import Clock, ClockPause

from ..choices import CaseStatus
from ..services import decisions as d
from ..services import investigation as i
from ..services.cases import case_extend_lead
from ..services.limits import add_working_days, earliest_hearing_day, late_fee
from .support import Team, filed_case, open_case

Z = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=Z)


def clock(case, name: str) -> Clock:
    return Clock.objects.exclude(state="stopped").get(workflow="case", object_id=case.pk, name=name)


def notified(t: Team, now: dt.datetime, **kw):
    case = filed_case(t, now=now - dt.timedelta(days=10), **kw)
    i.case_propose(
        actor=t.olga,
        case=case,
        penalty_kind="fine",
        level="general",
        amount="2000",
        now=now - dt.timedelta(days=1),
    )
    return i.case_notify(actor=t.olga, case=case, now=now)


def test_working_days_skip_the_holiday_and_count_its_make_up_saturday(db):
    assert add_working_days(dt.date(2026, 9, 29), 5) == dt.date(2026, 10, 12)
    assert add_working_days(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)  # 调休 Saturday
    assert add_working_days(dt.date(2026, 10, 16), 1) == dt.date(2026, 10, 19)  # over a weekend


def test_the_lead_has_15_working_days_and_one_extension_of_15(team: Team):
    case = open_case(team, now=at(9, 29, 9, 30))  # Tuesday
    # 30 Sep; (1–7 Oct); 8, 9, 10 (调休), 12–16, 19–23, 26 October: the 15th working day.
    assert clock(case, "lead").due_at == at(10, 26, 17, 30)
    with pytest.raises(DomainError) as exc:
        case_extend_lead(actor=team.lena, case=case, reason="", now=at(10, 20, 9))
    assert exc.value.code == "extension_reason_required"
    case_extend_lead(
        actor=team.lena, case=case, reason="需检测鉴定", requested_by=team.olga, now=at(10, 20, 9)
    )
    # 27–30 October, 2–6, 9–13, 16 November: fifteen more working days.
    assert clock(case, "lead").due_at == at(11, 16, 17, 30)
    with pytest.raises(DomainError) as exc:
        case_extend_lead(actor=team.lena, case=case, reason="再次延长", now=at(10, 21, 9))
    assert exc.value.code == "lead_already_extended"


def test_the_case_has_90_natural_days_from_filing_ending_on_a_working_day(team: Team):
    case = filed_case(team, now=at(3, 2, 10))  # Monday
    # 3 March – 31 May is 90 days; 31 May is a Sunday, so the period ends with Monday 1 June.
    assert clock(case, "case").due_at == at(6, 2)
    later = filed_case(team, now=at(3, 4, 10))  # Wednesday: 5 March – 2 June, a Tuesday
    assert clock(later, "case").due_at == at(6, 3)


def test_a_hearing_pauses_the_90_days_exactly_and_the_extension_adds_30(team: Team):
    case = filed_case(team, now=at(3, 4, 10))  # due 3 June 00:00, as above
    i.case_propose(
        actor=team.olga, case=case, penalty_kind="fine", level="general", amount="2000", now=at(3, 31, 9)
    )
    i.case_notify(actor=team.olga, case=case, now=at(3, 31, 10))
    before = clock(case, "case")
    i.case_request_hearing(actor=team.olga, case=case, now=at(4, 1, 10))
    paused = clock(case, "case")
    assert paused.state == "paused" and paused.due_at is None
    assert clock_remaining(paused, at(4, 10)) == clock_remaining(
        before, at(4, 1, 10)
    )  # nothing runs meanwhile
    # Notice on 2 April: 3, (4–6 清明), 7–10, 13, 14 April are the 7 working days; the 15th is the first day.
    assert earliest_hearing_day(dt.date(2026, 4, 2)) == dt.date(2026, 4, 15)
    with pytest.raises(DomainError) as exc:
        i.case_schedule_hearing(
            actor=team.olga,
            case=case,
            notice_on=dt.date(2026, 4, 2),
            hearing_on=dt.date(2026, 4, 14),
            place="执法队会议室",
            chair=team.hank,
            now=at(4, 2, 11),
        )
    assert exc.value.code == "hearing_notice_too_late"
    i.case_schedule_hearing(
        actor=team.olga,
        case=case,
        notice_on=dt.date(2026, 4, 2),
        hearing_on=dt.date(2026, 4, 21),
        place="执法队会议室",
        chair=team.hank,
        now=at(4, 2, 11),
    )
    with pytest.raises(DomainError) as exc:
        i.case_hold_hearing(actor=team.hank, case=case, record="提前举行", now=at(4, 20, 15))
    assert exc.value.code == "hearing_before_its_day"
    i.case_hold_hearing(actor=team.hank, case=case, record="当事人到场陈述", now=at(4, 21, 15))
    resumed = clock(case, "case")
    # Paused from 1 April 10:00 to 21 April 15:00: 20 days 5 hours, added to the due time to the second.
    assert resumed.due_at == at(6, 3) + dt.timedelta(days=20, hours=5) == at(6, 23, 5)
    assert clock_remaining(resumed, at(4, 21, 15)) == clock_remaining(before, at(4, 1, 10))
    pause = ClockPause.objects.get(clock=resumed)
    assert (pause.kind, pause.started_at, pause.ended_at) == ("hearing", at(4, 1, 10), at(4, 21, 15))
    i.case_extend(actor=team.lena, case=case, reason="案情复杂", requested_by=team.olga, now=at(5, 6, 9))
    assert clock(case, "case").due_at == at(7, 23, 5)
    with pytest.raises(DomainError) as exc:
        i.case_extend(actor=team.lena, case=case, reason="再延长", now=at(5, 7, 9))
    assert exc.value.code == "case_already_extended"


def test_the_party_has_5_working_days_to_ask_for_a_hearing(team: Team):
    case = notified(team, at(9, 29, 10))  # Tuesday
    # 30 September; (1–7 October); 8, 9, 10 (调休 Saturday), 12 October: the 5th working day.
    assert clock(case, "hearing_request").due_at == at(10, 12, 17, 30)
    late = notified(team, at(9, 29, 10))
    with pytest.raises(DomainError) as exc:
        i.case_request_hearing(actor=team.olga, case=late, now=at(10, 12, 17, 31))
    assert exc.value.code == "hearing_request_late"
    with pytest.raises(DomainError) as exc:
        d.case_decide(actor=team.lena, case=case, outcome="penalty", amount="2000", now=at(10, 12, 17))
    assert exc.value.code == "hearing_window_open"
    i.case_request_hearing(actor=team.olga, case=case, now=at(10, 12, 17))
    case.refresh_from_db()
    assert case.status == CaseStatus.HEARING
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="hearing_request").result == "requested"
    d.case_decide(actor=team.lena, case=late, outcome="penalty", amount="2000", now=at(10, 12, 17, 31))
    assert Clock.objects.get(workflow="case", object_id=late.pk, name="hearing_request").result == "expired"


def test_the_decision_is_served_within_7_working_days(team: Team):
    case = notified(team, at(9, 10, 10))
    d.case_decide(actor=team.lena, case=case, outcome="penalty", amount="2000", now=at(9, 24, 15))  # Thursday
    # (25 September 中秋, 26–27 weekend) 28, 29, 30 September, (1–7 October) 8, 9, 10, 12 October.
    assert clock(case, "service").due_at == at(10, 12, 17, 30)


def test_a_fine_is_due_15_days_after_service_and_then_costs_3_percent_a_day(team: Team):
    case = notified(team, at(9, 1, 10))
    d.case_decide(actor=team.lena, case=case, outcome="penalty", amount="2000", now=at(9, 15, 10))
    d.case_serve(actor=team.olga, case=case, method="direct", recipient="沈国强", now=at(9, 16, 10))
    case.refresh_from_db()
    # 17 September – 1 October is 15 days; 1 October is a holiday, so the period runs to 8 October.
    assert case.payment_due_on == dt.date(2026, 10, 8)
    assert clock(case, "payment").due_at == at(10, 9)
    with pytest.raises(DomainError) as exc:
        d.case_execute(
            actor=team.olga,
            case=case,
            manner="paid",
            paid_amount="2000",
            paid_on=dt.date(2026, 10, 10),
            now=at(10, 10, 9),
        )
    assert exc.value.code == "payment_short"
    d.case_execute(
        actor=team.olga,
        case=case,
        manner="paid",
        paid_amount="2120",
        paid_on=dt.date(2026, 10, 10),
        now=at(10, 10, 9),
    )
    case.refresh_from_db()
    assert case.late_fee == Decimal("120.00") and case.status == CaseStatus.EXECUTED
    assert Clock.objects.get(workflow="case", object_id=case.pk, name="payment").overdue


def test_the_late_fee_is_3_percent_a_day_capped_at_the_fine():
    due = dt.date(2026, 10, 8)
    assert late_fee(Decimal("2000"), due_on=due, paid_on=due) == 0
    assert late_fee(Decimal("2000"), due_on=due, paid_on=dt.date(2026, 10, 7)) == 0
    assert late_fee(Decimal("2000"), due_on=due, paid_on=dt.date(2026, 10, 9)) == Decimal("60.00")
    assert late_fee(Decimal("333.33"), due_on=due, paid_on=dt.date(2026, 10, 11)) == Decimal("30.00")
    assert late_fee(Decimal("2000"), due_on=due, paid_on=dt.date(2026, 11, 10)) == Decimal(
        "1980.00"
    )  # 33 days
    assert late_fee(Decimal("2000"), due_on=due, paid_on=dt.date(2026, 11, 11)) == Decimal(
        "2000.00"
    )  # capped
    assert late_fee(Decimal("2000"), due_on=due, paid_on=dt.date(2027, 10, 8)) == Decimal("2000.00")


def test_limits_are_settings_with_the_laws_defaults(team: Team, settings):
    settings.ENFORCEMENT_HEARING_REQUEST_WORKING_DAYS = 3
    case = notified(team, at(9, 29, 10))
    # 30 September, 8 and 9 October.
    assert clock(case, "hearing_request").due_at == at(10, 9, 17, 30)
