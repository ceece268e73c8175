"""The rollups against a generated history: the demo's twelve days of a size-1 district, every detour of the loop,
then random steps taken later; every count of every grouping equals the raw rows' for every period and area."""

import datetime as dt
import importlib
import random
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from grassroots.assessment import figures as fig
from grassroots.assessment.areas import Area
from grassroots.assessment.choices import PeriodKind, SubjectKind
from grassroots.assessment.indicators import Relation, window_of
from grassroots.assessment.periods import Period, period_of
from grassroots.core.errors import DomainError
from grassroots.demo.district import build_demo_district
from grassroots.demo.history import build_demo_history
from grassroots.demo.simclock import SimulatedClock, simulated_time
from grassroots.events import services as s
from grassroots.events.choices import Status
from grassroots.events.models import Event
from grassroots.events.services.timers import timers_catch_up
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.rollups import build
from grassroots.rollups.check import compare
from grassroots.rollups.grain import SYSTEM, names_of
from grassroots.rollups.models import DayCount, DaySummary, Mark, MonthCount, MonthSummary
from grassroots.rollups.read import rollup_cube

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
UNTIL = dt.datetime(2026, 6, 12, 16, 0, tzinfo=SHANGHAI)
DAYS, PER_DAY, SEED = 35, 10, 11


@pytest.fixture(scope="module")
def history(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[None]:
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), transaction.atomic():
        build_demo_district(seed=SEED)
        build_demo_history(seed=SEED, days=DAYS, per_day=PER_DAY, until=UNTIL)
        yield
        transaction.set_rollback(True)


def periods(today: dt.date) -> list[Period]:
    out = [period_of(PeriodKind.YEAR, today), period_of(PeriodKind.QUARTER, today)]
    out += [period_of(PeriodKind.MONTH, today), period_of(PeriodKind.MONTH, today - dt.timedelta(days=31))]
    out += [period_of(PeriodKind.WEEK, today - dt.timedelta(days=d)) for d in (0, 7, 21)]
    out += [period_of(PeriodKind.DAY, today - dt.timedelta(days=d)) for d in (0, 1, 9)]
    return out


def areas() -> list[Area]:
    district = Division.objects.filter(level=DivisionLevel.DISTRICT).order_by("code").first()
    township = Division.objects.filter(level=DivisionLevel.TOWNSHIP).order_by("code").first()
    assert district is not None and township is not None
    return [Area("", ""), Area(district.code, ""), Area(township.code, "")]


def differences(now: dt.datetime) -> list[Any]:
    found = []
    for period in periods(now.astimezone(SHANGHAI).date()):
        for area in areas():
            found += [(period.key, area.code, d) for d in compare(period=period, area=area, now=now)]
    return found


def random_steps(rng: random.Random, clock: SimulatedClock, count: int) -> int:
    """Steps a command room takes on old events: reopen closed ones, urge and supervise open ones, escalate,
    close what waits to be closed; each refused step (a rule says no) is skipped."""
    leader = Person.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
    lead = Person.objects.filter(role=Role.SHIFT_LEAD, is_active=True).order_by("pk").first()
    assert leader is not None and lead is not None
    taken = 0
    events = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    for _ in range(count):
        event = Event.objects.get(pk=rng.choice(events))
        clock.set(clock() + dt.timedelta(minutes=rng.randint(5, 90)))
        try:
            with transaction.atomic():
                if event.status in (Status.CLOSED, Status.ARCHIVED):
                    s.event_reopen(actor=lead, event=event, reason="回访不满意，重新办理")
                elif event.status == Status.EVALUATED:
                    s.event_close(actor=lead, event=event)
                elif rng.random() < 0.5:
                    s.event_supervise(actor=leader, event=event, note="请加快办理")
                else:
                    s.event_escalate(actor=lead, event=event, reason="需上级协调")
            taken += 1
        except DomainError:
            continue
    return taken


def test_a_generated_history_reads_the_same_from_the_rollups_as_from_the_raw_rows(history: None) -> None:
    clock = SimulatedClock(UNTIL)
    with simulated_time(clock):
        build.rebuild()
        assert build.through() == dt.date(2026, 6, 11)
        assert DayCount.objects.exists() and MonthCount.objects.filter(month=dt.date(2026, 5, 1)).exists()
        found = differences(clock())
        assert found == [], {(d.relation, d.grouping, d.count) for _, _, d in found}


def test_random_steps_and_timers_later_are_folded_in_before_a_figure_is_read(history: None) -> None:
    rng = random.Random(5)
    clock = SimulatedClock(UNTIL)
    with simulated_time(clock):
        build.rebuild()
        for _ in range(3):
            clock.set(clock() + dt.timedelta(days=1, hours=2))
            assert random_steps(rng, clock, 40) > 0
            timers_catch_up()
            assert Mark.objects.exists()
            build.advance()
            assert differences(clock()) == []
            assert not Mark.objects.exists()


def test_without_the_marks_a_changed_past_day_would_be_wrong(history: None) -> None:
    """The check can fail: drop the marks a reopening wrote, and the day it was closed on still counts it."""
    clock = SimulatedClock(UNTIL + dt.timedelta(days=3))
    lead = Person.objects.filter(role=Role.SHIFT_LEAD, is_active=True).order_by("pk").first()
    with simulated_time(clock):
        build.rebuild()
        closed = Event.objects.filter(status=Status.CLOSED).order_by("closed_at").first()
        assert closed is not None and lead is not None
        s.event_reopen(actor=lead, event=closed, reason="回访不满意")
        Mark.objects.all().delete()
        assert differences(clock()) != []


def test_the_command_rebuilds_then_checks_and_names_the_first_difference(history: None) -> None:
    clock = SimulatedClock(UNTIL)
    out = StringIO()
    with simulated_time(clock):
        with pytest.raises(CommandError, match="尚未建立"):
            call_command("rollups", "check", "--period", "2026-06", stdout=out)
        call_command("rollups", "rebuild", stdout=out)
        call_command("rollups", "check", "--period", "2026-05", "--period", "2026-06", stdout=out)
        assert "一致：4 组" in out.getvalue()
        DayCount.objects.filter(relation="event", day=dt.date(2026, 6, 3), reported__gt=0).update(
            reported=999
        )
        with pytest.raises(CommandError, match=r"reported：汇总 \d+，原始"):
            call_command("rollups", "check", "--period", "2026-06", stdout=out)


def _rows(model: Any) -> list[tuple[Any, ...]]:
    fields = [f.name for f in model._meta.fields][1:]
    return sorted(tuple(str(v) for v in row) for row in model.objects.values_list(*fields))


def test_the_summaries_are_the_detail_rows_summed_and_answer_every_grouping_but_village_and_grid(
    history: None,
) -> None:
    clock = SimulatedClock(UNTIL)
    with simulated_time(clock):
        build.rebuild()
        written = _rows(DaySummary), _rows(MonthSummary)
        assert 0 < len(written[0]) < DayCount.objects.count() and written[1]
        # The migration that added them fills them from the rows already counted: the same rows.
        DaySummary.objects.all().delete()
        MonthSummary.objects.all().delete()
        importlib.import_module("grassroots.rollups.migrations.0005_summaries").fill(apps, None)
        assert (_rows(DaySummary), _rows(MonthSummary)) == written

        quarter = period_of(PeriodKind.QUARTER, UNTIL.date())  # April and May whole, June by days
        spans = [fig.Span(window_of(quarter.start, quarter.end, clock()), names_of(Relation.EVENT))]

        def tables(kind: str) -> set[str]:
            with CaptureQueriesContext(connection) as queries:
                rows = rollup_cube(
                    Relation.EVENT, viewer=SYSTEM, area=Area("", ""), spans=spans, keys={"k": kind}
                )
            assert rows
            sql = " ".join(q["sql"] for q in queries.captured_queries)
            return {
                t for t in ("daycount", "monthcount", "daysummary", "monthsummary") if f"rollups_{t}" in sql
            }

        for kind in (SubjectKind.TOWNSHIP, SubjectKind.PLATFORM, SubjectKind.UNIT, SubjectKind.DISTRICT):
            assert tables(kind) == {"daysummary", "monthsummary"}, kind
        for kind in (SubjectKind.VILLAGE, SubjectKind.GRID):
            assert tables(kind) == {"daycount", "monthcount"}, kind
