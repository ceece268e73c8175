"""Every indicator against a tally made by hand from the scenario (scenario.py lists the fifteen events).

March 2026, computed as of 15 April 2026 12:00, for the township 西塘镇. E7 is merged into E6 and counts nowhere.
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.assessment import figures as fig
from grassroots.assessment import indicators as ind
from grassroots.assessment.choices import SubjectKind
from grassroots.assessment.count_filters import earliest_start
from grassroots.assessment.periods import CHINA, period_parse
from grassroots.assessment.tests.scenario import AS_OF

pytestmark = pytest.mark.django_db
TOWNSHIP = fig.Area("330421102", "西塘镇")
MARCH = period_parse("2026-03")


def total(scenario, period=MARCH, as_of=AS_OF):
    return fig.figures_total(
        viewer=scenario.leo, period=period, area=TOWNSHIP, as_of=as_of, names=list(fig.COUNTS)
    )


def by(scenario, kind, period=MARCH):
    rows = fig.figures_by_subject(viewer=scenario.leo, kind=kind, period=period, area=TOWNSHIP, as_of=AS_OF)
    return {f.key: f for f in rows}


def test_the_counts_of_march(scenario):
    t = total(scenario)
    # Reported in March: E1–E6, E9–E15 (E8 was reported in February, E7 is merged away).
    assert t["reported"] == 13
    # Registered in March: E1, E2, E6, E9, E10, E11, E12, E13, E14 (E3 invalid, E4 void, E5 self-handled,
    # E15 untouched; E6's reopening does not register it again).
    assert t["registered"] == 9
    # Dispatch tasks in March: E1, E2, E6 ×4 (agency, squad, its rework, after the reopening), E9, E10, E11,
    # E12 ×2 (lead and assist), E13 ×2 (agency, then the squad at level 4).
    assert t["dispatched"] == 13
    # Closed in March: E1, E2, E5, E6 (its latest closing), E8, E11, E12, E13.
    assert t["closed"] == 8
    # Due to close in March: E1, E2, E6 (due again after the reopening), E8, E10, E11, E12, E13 (E9 is due
    # in April, E14 was never dispatched). Not closed or closed late: E2, E8, E10.
    assert t["due_close"] == 8
    assert t["overdue_close"] == 3


def test_completion_and_on_time_completion_with_a_reopened_event(scenario):
    t = total(scenario)
    # Closed of the eight due: all but E10.
    assert ind.rate_of("completion", t) == ind.Rate(7, 8)
    # On time: E1, E11 (by its extended due date), E12, E13. E6 was closed before its due date, but it had
    # been reopened: the reopening counts against on-time closing, whichever period it falls due in.
    assert ind.rate_of("on_time_completion", t) == ind.Rate(4, 8)


def test_on_time_handling_excuses_returns_and_escalations_before_the_deadline(scenario):
    t = total(scenario)
    # Due to handle in March: E1, E2, E6's squad rounds ×3, E8 (deadline 2 March), E10, E11 (extended),
    # E12's lead, E13's level-4 task = 10. Left out: E6's and E12's returned tasks, E13's agency task
    # (cancelled by its escalation the day after dispatch), E9 (deadline in April).
    assert t["due_handle"] == 10
    # Late: E2 (fed back 12 March, deadline 9 March) and E10 (never fed back).
    assert ind.rate_of("on_time_handling", t) == ind.Rate(8, 10)
    assert t["overdue_handle"] == 2


def test_rework_accurate_dispatch_and_extension(scenario):
    t = total(scenario)
    # Fed back in March: E1, E2, E6 ×3, E11, E12's lead, E13's level-4 task; E6's first squad round failed.
    assert ind.rate_of("rework", t) == ind.Rate(1, 8)
    # Of thirteen dispatch tasks, two were returned (E6 by the agency, E12's assisting squad).
    assert ind.rate_of("accurate_dispatch", t) == ind.Rate(11, 13)
    # Of nine registered in March, E11 got an extension.
    assert ind.rate_of("extension", t) == ind.Rate(1, 9)


def test_valid_reports_verification_satisfaction_and_solved_in_village(scenario):
    t = total(scenario)
    # Decided of the thirteen reported: all but E15; valid: all but E3 (invalid) and E4 (void).
    assert ind.rate_of("valid_reports", t) == ind.Rate(10, 12)
    # Verifications due in March: E2 (verified in 55 minutes) and E3 (verified the next afternoon).
    assert ind.rate_of("on_time_verification", t) == ind.Rate(1, 2)
    # Rated on closing: E1 (5, very satisfied) and E2 (2, dissatisfied).
    assert ind.rate_of("satisfaction", t) == ind.Rate(1, 2)
    # Closed at level 1 or 2: only E5 (self-handled at the grid); E13 closed at level 4.
    assert ind.rate_of("solved_in_village", t) == ind.Rate(1, 8)
    assert (t["closed_l1"], t["closed_l2"], t["closed_l3"], t["closed_l4"]) == (1, 0, 6, 1)


def test_supervision_and_reopening_counts(scenario):
    t = total(scenario)
    assert (t["supervised"], t["urged"], t["reopened"]) == (1, 0, 1)


def test_grids_split_the_township(scenario):
    grids = by(scenario, SubjectKind.GRID)
    a, b = grids[str(scenario.world.grid_a.pk)], grids[str(scenario.world.grid_b.pk)]
    # Grid A: E1, E3, E4, E5, E6, E9, E11, E15. Grid B: E2, E10, E12, E13, E14 (and E8, reported in February).
    assert (a.counts["reported"], b.counts["reported"]) == (8, 5)
    # Due to close: grid A E1, E6, E11 (on time E1, E11); grid B E2, E8, E10, E12, E13 (on time E12, E13).
    assert a.rate("on_time_completion") == ind.Rate(2, 3)
    assert b.rate("on_time_completion") == ind.Rate(2, 5)
    assert a.rate("on_time_verification") == ind.Rate(0, 1)
    assert b.rate("on_time_verification") == ind.Rate(1, 1)


def test_units_are_judged_on_their_own_tasks_and_the_events_they_answer_for(scenario):
    units = by(scenario, SubjectKind.UNIT)
    agency, squad = units[str(scenario.world.agency.pk)], units[str(scenario.squad.pk)]
    # The agency's tasks: E1, E6 (returned), E9, E11, E12's lead, E13 (escalated away) dispatched in March;
    # due: E1, E8, E11, E12, all fed back in time.
    assert agency.rate("accurate_dispatch") == ind.Rate(5, 6)
    assert agency.rate("on_time_handling") == ind.Rate(4, 4)
    assert agency.rate("rework") == ind.Rate(0, 3)
    # The squad: E2, E6 ×3, E10, E12's assist (returned), E13 at level 4; due: E2 (late), E6 ×3, E10
    # (never fed back), E13; one rework (E6's first round).
    assert squad.rate("accurate_dispatch") == ind.Rate(6, 7)
    assert squad.rate("on_time_handling") == ind.Rate(4, 6)
    assert squad.rate("rework") == ind.Rate(1, 5)
    # Events answered for (the latest lead task not returned or cancelled): agency E1, E8, E11, E12 due,
    # E8 late; squad E2 (late), E6 (reopened), E10 (open), E13.
    assert agency.rate("on_time_completion") == ind.Rate(3, 4)
    assert squad.rate("on_time_completion") == ind.Rate(1, 4)
    assert agency.rate("satisfaction") == ind.Rate(1, 1)
    assert squad.rate("satisfaction") == ind.Rate(0, 1)


def test_people_are_judged_on_what_they_reported_and_verified(scenario):
    people = by(scenario, SubjectKind.PERSON)
    alice, gina = people[str(scenario.world.alice.pk)], people[str(scenario.gina.pk)]
    # Alice reported E1, E4, E5, E6, E9, E11, E15: E15 not yet decided, E4 voided.
    assert alice.counts["reported"] == 7
    assert alice.rate("valid_reports") == ind.Rate(5, 6)
    assert alice.rate("on_time_verification") == ind.Rate(0, 1)
    assert gina.rate("valid_reports") == ind.Rate(4, 4)
    assert gina.rate("on_time_verification") == ind.Rate(1, 1)


def test_platform_share_is_computed_from_the_records(scenario):
    platforms = by(scenario, SubjectKind.PLATFORM)
    assert platforms["market"].rate("platform_share") == ind.Rate(1, 13)
    assert platforms["enforcement"].rate("platform_share") == ind.Rate(12, 13)
    assert platforms["service"].rate("platform_share") == ind.Rate(0, 13)


def test_a_period_that_cuts_through_an_event_counts_each_stage_where_it_fell(scenario):
    feb = total(scenario, period_parse("2026-02"))
    # E8: reported, registered, dispatched and fed back in February; its deadlines fall in March.
    assert (feb["reported"], feb["registered"], feb["dispatched"], feb["handled"]) == (1, 1, 1, 1)
    assert (feb["due_handle"], feb["due_close"], feb["closed"]) == (0, 0, 0)
    april = total(scenario, period_parse("2026-04"))
    # E9: dispatched 25 March, deadline 1 April, due 2 April, still with the agency on 15 April.
    assert (april["reported"], april["due_handle"], april["due_close"]) == (0, 1, 1)
    assert ind.rate_of("on_time_handling", april) == ind.Rate(0, 1)
    assert april["overdue_close"] == 1


def test_a_rate_with_nothing_due_is_shown_as_a_dash_not_zero_or_hundred(scenario):
    feb = total(scenario, period_parse("2026-02"))
    for code in (
        "completion",
        "on_time_completion",
        "on_time_handling",
        "satisfaction",
        "on_time_verification",
    ):
        rate = ind.rate_of(code, feb)
        assert rate.value is None and str(rate) == "—"


def test_the_current_period_counts_only_what_has_fallen_due_so_far(scenario):
    # As of 20 March only what had fallen due by then counts: E8 (3 March), E1 and E2 (10 March), E12
    # (18 March), E6 and E11 (19 March); E10 (24 March) and E13 (27 March) are not due yet.
    as_of = dt.datetime(2026, 3, 20, 12, 0, tzinfo=CHINA)
    t = total(scenario, as_of=as_of)
    assert t["due_close"] == 6  # E1, E2, E6, E8, E11, E12
    assert t["closed_of_due"] <= t["due_close"]


def test_one_day_verification_window_follows_the_deadline_not_the_start(scenario):
    # E3's verification started 3 March 09:00 with a four-working-hour limit: due 3 March 14:30.
    day2 = total(scenario, period_parse("2026-03-02"))
    day3 = total(scenario, period_parse("2026-03-03"))
    assert (day2["due_verify"], day2["verified_on_time"]) == (1, 1)  # E2
    assert (day3["due_verify"], day3["verified_on_time"]) == (1, 0)  # E3


def test_no_rate_exceeds_100_percent_for_any_subject_or_period(scenario):
    for key in ("2026-02", "2026-03", "2026-04", "2026-W11", "2026-Q1", "2026-03-12"):
        period = period_parse(key)
        for kind in SubjectKind:
            if kind == SubjectKind.DISTRICT:
                continue
            for f in fig.figures_by_subject(
                viewer=scenario.leo, kind=kind, period=period, area=TOWNSHIP, as_of=AS_OF
            ):
                for indicator in ind.indicators_for(kind):
                    value = f.rate(indicator.code).value
                    assert value is None or Decimal(0) <= value <= Decimal(1), (
                        key,
                        kind,
                        f.subject,
                        indicator.code,
                    )


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=dt.datetime(2026, 1, 2), max_value=dt.datetime(2026, 12, 20)),
    hours=st.sampled_from([1, 2, 4, 8, 16]),
    boundary=st.datetimes(min_value=dt.datetime(2026, 1, 5), max_value=dt.datetime(2026, 12, 25)),
)
def test_the_verification_window_is_exactly_the_starts_whose_deadline_falls_in_it(start, hours, boundary):
    """S(T) (the earliest start whose deadline is not before T) must agree with the calendar's own deadline."""
    from grassroots.workcal.calendar import get_calendar
    from grassroots.workcal.choices import LimitUnit

    calendar = get_calendar()
    start = start.replace(tzinfo=CHINA, microsecond=0)
    boundary = boundary.replace(tzinfo=CHINA, microsecond=0)
    deadline = calendar.add(start, hours, unit=LimitUnit.WORKING_HOURS)
    assert (deadline >= boundary) == (start >= earliest_start(boundary, hours))


def test_the_dashboard_trend_adds_up_to_the_totals_day_by_day(scenario):
    from grassroots.assessment.selectors import dashboard

    data = dashboard(viewer=scenario.leo, period=MARCH, area=TOWNSHIP, as_of=AS_OF)
    t = total(scenario)
    assert sum(data.trend["reported"]) == t["reported"] == data.totals["reported"]
    assert sum(data.trend["closed"]) == t["closed"]
    assert sum(data.trend["due_close"]) == t["due_close"]
    assert sum(data.trend["closed_on_time"]) == t["closed_on_time"]
    assert data.trend["reported"][1] == 2  # 2 March: E1, E2
    assert data.trend["closed"][12] == 3  # 13 March: E2, E6, E12
    assert (data.trend["due_close"][9], data.trend["closed_on_time"][9]) == (
        2,
        1,
    )  # 10 March: E1 on time, E2 late
    assert data.rate("on_time_handling") == ind.Rate(8, 10)
    assert [(s.name, c["overdue_handle"]) for s, c in data.overdue_units] == [("西塘综合执法中队", 2)]


def test_events_and_tasks_outside_the_area_are_not_counted(scenario):
    """Another township's event, dispatched to the same agency: the township's figures must not see it (the
    task scan then joins the events to filter by place), the district's must."""
    from grassroots.events.models import Assignment, Event, EventType
    from grassroots.geo.models import Division

    w = scenario.world
    other = Division.objects.create(
        code="330421103", name="姚庄镇", level="township", kind="town", parent=w.district
    )
    at = dt.datetime(2026, 3, 10, 9, 0, tzinfo=CHINA)
    event = Event.objects.create(
        source="patrol",
        event_type=EventType.objects.get(code="ZF0103"),
        platform="enforcement",
        status="dispatched",
        level=3,
        title="外镇",
        region_code="330421103",
        township=other,
        reported_at=at,
        registered_at=at,
        dispatched_at=at,
        due_at=at + dt.timedelta(days=8),
        version=3,
    )
    Assignment.objects.create(
        event=event,
        unit=w.agency,
        level=3,
        mode="assigned",
        dispatched_by=w.oscar,
        dispatched_at=at,
        warn_at=at + dt.timedelta(days=5),
        deadline=at + dt.timedelta(days=7),
    )
    t = total(scenario)
    assert (t["reported"], t["dispatched"], t["due_handle"]) == (13, 13, 10)
    district = fig.figures_total(
        viewer=scenario.cora,
        period=MARCH,
        area=fig.Area("330421", "嘉善县"),
        as_of=AS_OF,
        names=list(fig.COUNTS),
    )
    assert (district["reported"], district["dispatched"], district["due_handle"]) == (14, 14, 11)
