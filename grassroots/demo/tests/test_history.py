"""The demo's event history: every status, source, platform, level and detour, complete histories, repeatable.

A ten-day history of the size-1 district is built once for the module (inside a transaction rolled back at the
end), up to a fixed moment so that the assertions do not depend on the day the tests run.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.demo.casework import TINY_PNG
from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.history import HistoryResult, build_demo_history
from grassroots.demo.history_rows import demo_events
from grassroots.demo.simclock import SimulatedClock, simulated_time
from grassroots.events.choices import AssignmentRole, ExtensionStatus, Level, Mode, Source, Status
from grassroots.events.clock import extend, handling_clock, limit_for, start_clock
from grassroots.events.models import (
    Assignment,
    Attachment,
    Event,
    ExtensionRequest,
    SupervisionOrder,
    Suspension,
    Transition,
)
from grassroots.events.services.routing import supervised_ratio
from grassroots.events.tests.media_support import as_stored
from grassroots.notifications.models import Notification
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A Friday afternoon with no public holiday in the ten days before it.
UNTIL = dt.datetime(2026, 6, 12, 16, 0, tzinfo=SHANGHAI)
DAYS, PER_DAY, SEED = 10, 20, 7


@dataclass
class Built:
    result: HistoryResult
    media: Path


def _fingerprint() -> list[tuple[str, str, int, str]]:
    """Each event's number (its database id made relative to the first), status, version and last action."""
    rows = list(demo_events().order_by("pk").values_list("pk", "number", "status", "version"))
    first = rows[0][0]
    last_actions = dict(
        Transition.objects.filter(event__in=demo_events())
        .order_by("event_id", "seq")
        .values_list("event_id", "action")
    )
    return [
        (re.sub(r"\d{6}$", f"{pk - first:06d}", number or ""), status, version, last_actions[pk])
        for pk, number, status, version in rows
    ]


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Built]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        build_demo_district(seed=SEED)
        result = build_demo_history(seed=SEED, days=DAYS, per_day=PER_DAY, until=UNTIL)
        yield Built(result, media)
        transaction.set_rollback(True)


# -- the command ------------------------------------------------------------------------------------------


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_reset_twice_rebuilds_the_district_and_its_history(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = _demo("--reset", "--days", "3", "--per-day", "6")
    assert "已生成事件历史" in first and "状态：" in first
    numbers = set(demo_events().values_list("number", flat=True))
    second = _demo("--reset", "--days", "3", "--per-day", "6")
    assert "已生成事件历史" in second
    again = set(demo_events().values_list("number", flat=True))
    assert again and not numbers & again  # the first history is gone, a new one took its place
    assert not Transition.objects.exclude(event__in=demo_events()).exists()
    assert Person.objects.get(username="operator").is_active


def test_no_history_builds_only_the_district_and_a_second_run_adds_nothing() -> None:
    assert "已生成事件历史" not in _demo("--reset", "--no-history")
    assert not demo_events().exists()
    assert "--reset" in _demo()
    assert not demo_events().exists()


def test_a_history_needs_the_district() -> None:
    with pytest.raises(ValueError, match="not loaded"):
        build_demo_history(days=1, per_day=1)


def test_the_simulated_clock_is_what_timezone_now_reads_and_is_put_back() -> None:
    real = timezone.now
    moment = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    with simulated_time(SimulatedClock(moment)) as clock:
        assert timezone.now() == moment and timezone.now().tzinfo == dt.UTC
        clock.set(moment + dt.timedelta(hours=1))
        assert timezone.localtime().hour == 10
    assert timezone.now is real


# -- what the history contains ------------------------------------------------------------------------------


def test_every_status_of_the_loop_is_present(built: Built) -> None:
    assert set(demo_events().values_list("status", flat=True)) == set(Status.values)


def test_every_source_platform_and_level_is_present(built: Built) -> None:
    events = demo_events()
    assert set(events.values_list("source", flat=True)) == set(Source.values)
    assert set(events.values_list("platform", flat=True)) == set(PlatformKind.values)
    assert set(events.values_list("level", flat=True)) == set(Level.values)


def test_the_volume_and_the_platform_split_follow_the_seed(built: Built) -> None:
    counts = built.result.counts
    total = sum(counts["status"].values())
    assert total == built.result.reports == demo_events().count()
    assert 8 * PER_DAY <= total <= 12 * PER_DAY
    assert counts["platform"].most_common(1)[0][0] == PlatformKind.SERVICE
    assert counts["source"].most_common(1)[0][0] == Source.PATROL


def test_every_detour_of_the_loop_is_taken(built: Built) -> None:
    events = demo_events()
    assert events.filter(return_count__gt=0).exists()
    assert events.filter(rework_count__gt=0).exists()
    assert events.filter(rework_count__gte=2, escalation_count__gt=0).exists()  # second rework goes up
    assert events.filter(reopen_count__gt=0).exists()
    assert events.filter(merged_into__isnull=False).exists()
    assert events.filter(joint=True).exists()
    assert Assignment.objects.filter(event__in=events, role=AssignmentRole.ASSIST).exists()
    requests = ExtensionRequest.objects.filter(event__in=events)
    assert {ExtensionStatus.APPROVED, ExtensionStatus.REJECTED} <= set(
        requests.values_list("status", flat=True)
    )
    assert events.filter(extended=True).exists()
    transitions = Transition.objects.filter(event__in=events)
    assert transitions.filter(action="escalate", data__direction="down").exists()  # district sends it back
    assert transitions.filter(action="escalate", actor__isnull=True).exists()  # timeout escalation
    assert transitions.filter(action="self_handle").exists()
    county = Assignment.objects.filter(event__in=events, unit__kind=UnitKind.COUNTY_DEPARTMENT, level=4)
    assert county.exists()
    kinds = set(SupervisionOrder.objects.filter(event__in=events).values_list("kind", "reason"))
    assert {("supervise", "leader"), ("supervise", "repeat_complaint"), ("urge", "overdue")} <= kinds
    assert not built.result.failures


def test_open_events_show_green_yellow_and_red_lights_at_the_end(built: Built) -> None:
    open_events = demo_events().exclude(
        status__in=[Status.CLOSED, Status.ARCHIVED, Status.VOID, Status.INVALID, Status.MERGED]
    )
    assert open_events.filter(overdue=True, status=Status.HANDLING).exists()  # urged, not escalated
    assert open_events.filter(overdue=True, status=Status.FED_BACK).exists()  # nobody checked in time
    assert open_events.filter(warned=True, overdue=False, deadline__gt=UNTIL).exists()
    assert open_events.filter(warned=False, overdue=False, deadline__gt=UNTIL).exists()


def test_self_handled_events_carry_the_on_the_spot_photo(built: Built) -> None:
    photos = Attachment.objects.filter(event__transitions__action="self_handle")
    assert photos.exists()
    for photo in photos:
        # Stored as uploads store every photo: decoded and re-encoded.
        assert photo.content_type == "image/png" and photo.size == len(as_stored(TINY_PNG))
        assert (built.media / str(photo.file.name)).read_bytes() == as_stored(TINY_PNG)


# -- consistency --------------------------------------------------------------------------------------------


def test_every_history_is_gap_free_in_time_order_and_audited(built: Built) -> None:
    audited: dict[str, int] = {}
    for object_id in (
        AuditEntry.objects.filter(object_type="events.event", action__startswith="event.")
        .exclude(action="event.attach")
        .values_list("object_id", flat=True)
    ):
        audited[object_id] = audited.get(object_id, 0) + 1
    start = dt.datetime.combine(UNTIL.date() - dt.timedelta(days=DAYS), dt.time(), tzinfo=SHANGHAI)
    for event in demo_events().prefetch_related("transitions"):
        steps = list(event.transitions.all())
        assert [t.seq for t in steps] == list(range(1, event.version + 1)), event.number
        assert steps[0].action == "report" and steps[-1].to_status == event.status
        moments = [t.at for t in steps]
        assert moments == sorted(moments) and start <= moments[0] and moments[-1] <= UNTIL
        assert audited.get(str(event.pk)) == event.version, event.number
        assert str(event.number).endswith(f"-{timezone.localtime(event.reported_at):%Y%m%d}-{event.pk:06d}")


def test_deadlines_are_the_calendars(built: Built) -> None:
    approved = dict(
        ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED).values_list("assignment_id", "days")
    )
    assignments = Assignment.objects.filter(event__in=demo_events()).select_related("event__event_type")
    assert assignments.exists()
    for assignment in assignments:
        clock = handling_clock(assignment.event.event_type, assignment.level, assignment.dispatched_at)
        if assignment.mode == Mode.SUPERVISED:  # 督办's stricter limit
            amount, unit = limit_for(assignment.event.event_type, assignment.level)
            clock = start_clock(assignment.dispatched_at, amount * supervised_ratio(), unit)
        expected = extend(clock.deadline, approved[assignment.pk]) if assignment.extended else clock.deadline
        # A suspension (挂起) resumed while the assignment was in hand moves it out by the paused working time.
        paused = sum(
            x.paused_seconds
            for x in Suspension.objects.filter(event_id=assignment.event_id, ended_at__isnull=False)
            if x.started_at is not None
            and x.started_at >= assignment.dispatched_at
            and (assignment.fed_back_at is None or x.started_at < assignment.fed_back_at)
        )
        if paused:
            expected = get_calendar().add_working_seconds(expected, paused)
        assert assignment.deadline == expected


def test_notifications_carry_the_moment_of_the_step_that_sent_them(built: Built) -> None:
    notifications = Notification.objects.filter(event__in=demo_events())
    assert notifications.exists()
    moments = set(Transition.objects.filter(event__in=demo_events()).values_list("event_id", "at"))
    assert all((n.event_id, n.created_at) in moments for n in notifications)


def test_the_same_seed_gives_the_same_history(built: Built) -> None:
    first = _fingerprint()
    with transaction.atomic():
        reset_demo_district()
        assert not Event.objects.exists()
        build_demo_district(seed=SEED)
        build_demo_history(seed=SEED, days=DAYS, per_day=PER_DAY, until=UNTIL)
        second = _fingerprint()
        transaction.set_rollback(True)
    assert second == first
