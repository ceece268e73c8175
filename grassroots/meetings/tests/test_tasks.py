"""Decisions as tasks: limits counted on the official calendar (hand-computed, across National Day and a 调休
Saturday), the timer's warning and overdue flag, the owner's inbox, and the count of overdue decisions per unit."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.urls import reverse

from grassroots.core.errors import InvalidInput
from grassroots.notifications.models import Notification
from grassroots.workcal.calendar import clear_calendar_cache
from grassroots.workflow.models import Clock
from grassroots.workflow.timers import clocks_scan

from ..models import MeetingTask
from ..selectors import overdue_tasks_by_unit, task_lights
from ..services import meetings, tasks
from .support import at, build_township, make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    clear_calendar_cache()
    yield
    clear_calendar_cache()


@pytest.fixture
def town(world):
    return build_township(world)


def held(town, **kwargs):
    meeting = make_meeting(town, **kwargs)
    meetings.meeting_hold(actor=town.world.oscar, meeting=meeting, attendance=[])
    return meeting


def decide(town, meeting, *, days, now, **owner):
    owner = owner or {"owner_person": town.world.dora}
    return tasks.meeting_decide(
        actor=town.world.oscar,
        meeting=meeting,
        text="督促双方签订调解协议",
        limit_days=days,
        now=now,
        **owner,
    )


def test_three_working_days_decided_before_national_day_end_on_the_close_of_october_8th(town):
    # Decided Monday 09-28 at 10:00; counted from the next day: Tue 09-29 (1), Wed 09-30 (2), then the holiday
    # 10-01…10-07, Thu 10-08 (3): due at the close of 10-08, 17:30.
    task = decide(town, held(town), days=3, now=at(9, 28, 10))
    assert task.due_at == at(10, 8, 17, 30)
    clock = Clock.objects.get(workflow="meeting_task", object_id=task.pk)
    # 80% of 3 × 7.5 h = 18 h: two whole days (15 h) and 3 h of 10-08 from 08:30.
    assert clock.warn_at == at(10, 8, 11, 30)
    assert task.number == f"{task.meeting.number}-01"


def test_one_working_day_decided_on_a_friday_ends_on_the_make_up_saturday(town):
    task = decide(town, held(town, starts_at=at(10, 9, 9)), days=1, now=at(10, 9, 10))
    assert task.due_at == at(10, 10, 17, 30)  # Saturday 10-10 is a 调休 working day


def test_a_limit_outside_one_to_ninety_days_or_no_owner_is_refused(town):
    meeting = held(town)
    with pytest.raises(InvalidInput) as exc:
        decide(town, meeting, days=91, now=at(9, 28, 10))
    assert exc.value.code == "task_limit_out_of_range"
    with pytest.raises(InvalidInput) as exc:
        tasks.meeting_decide(actor=town.world.oscar, meeting=meeting, text="无人负责", limit_days=3)
    assert exc.value.code == "task_owner_required"
    assert not MeetingTask.objects.exists()


def test_the_timer_warns_then_flags_overdue_and_the_inbox_shows_it_red(
    town, django_capture_on_commit_callbacks
):
    dora = town.world.dora
    with django_capture_on_commit_callbacks(execute=True):
        task = decide(town, held(town), days=3, now=at(9, 28, 10))
    assert task_lights([task], at(9, 29, 9))[task.pk].light == "green"
    with django_capture_on_commit_callbacks(execute=True):
        assert clocks_scan(now=at(10, 8, 11, 31)).warned == 1
    assert task_lights([task], at(10, 8, 11, 31))[task.pk].light == "yellow"
    assert Notification.objects.filter(recipient=dora, verb="meeting_task_due_soon").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert clocks_scan(now=at(10, 8, 17, 31)).overdue == 1
    task.refresh_from_db()
    assert task.late
    assert task_lights([task], at(10, 8, 17, 31))[task.pk].light == "red"
    assert Notification.objects.filter(recipient=dora, verb="meeting_task_overdue").count() == 1
    assert (
        Notification.objects.filter(recipient=town.lena, verb="meeting_task_overdue").count() == 1
    )  # convenor

    page = town.world.client_for(dora).get(reverse("inbox:list")).content.decode()
    url = reverse("meetings:task", args=[task.pk])
    assert 'data-light="red"' in page and f'href="{url}"' in page and "督促双方签订调解协议" in page
    # Nobody else owns it: Pete's inbox has no work item.
    other = town.world.client_for(town.pete).get(reverse("inbox:list")).content.decode()
    assert 'data-testid="work-item"' not in other


def test_done_late_stays_late_and_done_on_time_is_not(town):
    meeting = held(town)
    late = decide(town, meeting, days=1, now=at(9, 28, 10))  # due 09-29 17:30
    tasks.task_complete(actor=town.world.dora, task=late, done_note="已调解", now=at(9, 30, 9))
    early = decide(town, meeting, days=1, now=at(9, 28, 10), owner_unit=town.police)
    tasks.task_complete(actor=town.pete, task=early, done_note="已出警处置", now=at(9, 29, 16))
    late.refresh_from_db()
    early.refresh_from_db()
    assert (late.status, late.late, early.status, early.late) == ("done", True, "done", False)
    assert task_lights([late, early])[late.pk].label == "超期办结"


def test_overdue_decisions_are_counted_per_owning_unit_like_overdue_tasks(town):
    meeting = held(town)
    police, agency = town.police, town.world.agency
    decide(town, meeting, days=3, now=at(9, 28, 10))  # Dora's (the agency): due 10-08, still open → overdue
    on_time = decide(town, meeting, days=3, now=at(9, 28, 10), owner_unit=police)
    tasks.task_complete(actor=town.pete, task=on_time, done_note="完成", now=at(10, 8, 9))
    late = decide(town, meeting, days=3, now=at(9, 28, 10), owner_unit=police)
    tasks.task_complete(actor=town.pete, task=late, done_note="完成", now=at(10, 9, 9))
    withdrawn = decide(town, meeting, days=3, now=at(9, 28, 10), owner_unit=police)
    tasks.task_withdraw(actor=town.world.oscar, task=withdrawn, reason="已和解")
    decide(town, meeting, days=30, now=at(9, 28, 10), owner_unit=police)  # due in November: not in October
    start, end = at(10, 1), at(11, 1)
    assert overdue_tasks_by_unit(start=start, end=end, as_of=at(12, 1)) == {
        str(agency.pk): 1,
        str(police.pk): 1,
    }
    # As of 10-08 noon nothing has fallen due yet; another township's prefix sees none.
    assert overdue_tasks_by_unit(start=start, end=end, as_of=at(10, 8, 12)) == {}
    assert overdue_tasks_by_unit(start=start, end=end, as_of=at(12, 1), region_prefix="330421101") == {}
    assert overdue_tasks_by_unit(start=at(9, 1), end=at(10, 1), as_of=at(12, 1)) == {}
    assert dt.timedelta(0) < late.due_at - at(10, 8) < dt.timedelta(days=1)
