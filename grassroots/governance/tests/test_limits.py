"""Each limit of a dispute on the calendar, hand-computed (natural days: the start day not counted, a period ending
on a rest day ends at 24:00 of the next working day; 2025's National Day holiday is 1–8 October, Labour Day 1–5
May): the month from acceptance, its one extension, a setting in place of the rule's default, the 30 日 to apply
for 司法确认, and the timer telling the mediators."""

import datetime as dt

import pytest

from grassroots.core.errors import DomainError
from grassroots.notifications.models import Notification
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock
from grassroots.workflow.timers import clocks_scan

from ..choices import DisputeOutcome
from ..services import disputes, disputes_after, disputes_mediation
from .support import at, build_committee, report

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def c(world):
    return build_committee(world)


def clock(d, name):
    return Clock.objects.get(workflow="dispute", object_id=d.pk, name=name)


def accept(c, when):
    d = report(c, now=when)
    return disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia], now=when)


def test_the_month_runs_thirty_days_from_the_day_after_acceptance(c):
    d = accept(c, at(2025, 6, 10, 10))  # Tuesday; counts from 11 June; the 30th day is Thursday 10 July
    assert clock(d, "mediation").due_at == at(2025, 7, 11)


def test_a_month_ending_in_the_national_day_holiday_ends_on_the_next_working_day(c):
    d = accept(c, at(2025, 9, 1, 10))  # counts from 2 September; the 30th day is 1 October, a holiday
    assert clock(d, "mediation").due_at == at(2025, 10, 10)  # 9 October is the first working day after
    disputes_mediation.dispute_record_session(
        actor=c.mia,
        dispute=d,
        held_at=at(2025, 9, 3, 9),
        place="调解室",
        minutes="首次调解",
        now=at(2025, 9, 3, 10),
    )
    disputes_mediation.dispute_extend(
        actor=c.mia, dispute=d, days=15, parties_agreed=True, reason="双方同意延长", now=at(2025, 9, 25)
    )
    # 45 days from 2 September: 16 October, a Thursday
    assert clock(d, "mediation").due_at == at(2025, 10, 17)
    assert d.history.get(action="extend").data["clocks"][0]["seconds"] == 15 * 86400


def test_the_month_is_a_setting(c, settings):
    settings.GOVERNANCE_MEDIATION_DAYS = 15
    d = accept(c, at(2025, 6, 10, 10))  # 15 days from 11 June: Wednesday 25 June
    assert clock(d, "mediation").due_at == at(2025, 6, 26)


def agreed(c, when):
    d = accept(c, when.replace(hour=9))
    disputes_mediation.dispute_record_session(
        actor=c.mia,
        dispute=d,
        held_at=when.replace(hour=10),
        place="调解室",
        minutes="调解",
        now=when.replace(hour=11),
    )
    return disputes_mediation.dispute_agree(
        actor=c.mia,
        dispute=d,
        outcome=DisputeOutcome.WRITTEN,
        terms="赔偿二百元",
        performance_manner="现金",
        performance_due_on=when.date(),
        now=when,
    )


@pytest.mark.parametrize(
    ("agreed_on", "last_day"),
    [
        ((2025, 3, 3), (2025, 4, 2)),  # 30 days from 4 March: Wednesday 2 April
        ((2025, 4, 1), (2025, 5, 6)),  # the 30th day, 1 May, is Labour Day: the holiday runs to 5 May
    ],
)
def test_judicial_confirmation_is_applied_for_within_thirty_days(c, agreed_on, last_day):
    d = agreed(c, at(*agreed_on) + dt.timedelta(hours=15))
    window = clock(d, "confirmation")
    assert window.due_at == at(*last_day) + ONE_DAY
    late = at(*last_day) + ONE_DAY
    with pytest.raises(DomainError) as exc:
        disputes_after.dispute_apply_confirmation(
            actor=c.mia, dispute=d, applied_on=late.date(), court="嘉善县人民法院", now=late.replace(hour=9)
        )
    assert exc.value.code == "confirmation_out_of_time"
    assert exc.value.details["last_day"] == at(*last_day).date().isoformat()
    disputes_after.dispute_apply_confirmation(
        actor=c.mia,
        dispute=d,
        applied_on=at(*last_day).date(),
        court="嘉善县人民法院",
        now=late.replace(hour=10),
    )
    window.refresh_from_db()
    # recorded the next morning, the application on the last day was in time
    assert window.state == ClockState.STOPPED and window.result == "applied" and not window.overdue


def test_an_application_before_the_agreement_is_refused(c):
    d = agreed(c, at(2025, 3, 3, 15))
    with pytest.raises(DomainError) as exc:
        disputes_after.dispute_apply_confirmation(
            actor=c.mia,
            dispute=d,
            applied_on=at(2025, 3, 2).date(),
            court="嘉善县人民法院",
            now=at(2025, 3, 4),
        )
    assert exc.value.code == "applied_before_agreement"


def test_the_timer_tells_the_mediators_before_and_after_the_month(c, django_capture_on_commit_callbacks):
    d = accept(c, at(2025, 6, 10, 10))  # due 11 July 00:00; 80% of 30 days is 24 days: 5 July 00:00
    with django_capture_on_commit_callbacks(execute=True):
        clocks_scan(now=at(2025, 7, 4, 23))
    assert not Notification.objects.filter(recipient=c.mia).exists()
    with django_capture_on_commit_callbacks(execute=True):
        clocks_scan(now=at(2025, 7, 5, 1))
    assert list(Notification.objects.filter(recipient=c.mia).values_list("verb", flat=True)) == [
        "dispute_due_soon"
    ]
    with django_capture_on_commit_callbacks(execute=True):
        clocks_scan(now=at(2025, 7, 11, 1))
    verbs = set(Notification.objects.filter(recipient=c.mia).values_list("verb", flat=True))
    assert verbs == {"dispute_due_soon", "dispute_overdue"}
    assert str(d.pk) in Notification.objects.get(recipient=c.mia, verb="dispute_overdue").text
