"""Overdue decisions of joint meetings (超期督办事项数) in the assessment, against a hand-counted set: the count per
unit, the agencies' deduction (−1 each, up to 10) in the scheme's score, the unit table's column and the list of
the very decisions it counted, each linking to its page."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from grassroots.assessment import figures as fig
from grassroots.assessment.models import Scheme
from grassroots.assessment.periods import period_parse
from grassroots.assessment.selectors import assessment_live
from grassroots.assessment.tests.scenario import AS_OF, CHINA
from grassroots.meetings.choices import Forum, MeetingKind
from grassroots.meetings.services import meetings, tasks

pytestmark = pytest.mark.django_db
TOWNSHIP = fig.Area("330421102", "西塘镇")
MARCH = period_parse("2026-03")
NAMES = ["overdue_meeting_task"]


def at(day: int, hour: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=CHINA)


def decisions(scenario):
    """Agency: due 03-05 17:30 still open (overdue), done 03-06 (late: overdue), done 03-04 (on time), withdrawn.
    Squad: due 03-31 17:30 still open (overdue); ten days from 03-30, due in April (another period)."""
    w = scenario.world
    meeting = meetings.meeting_create(
        actor=w.oscar,
        kind=MeetingKind.MEDIATION,
        forum=Forum.GOVERNANCE,
        township=w.township,
        title="第10周矛盾联调会",
        starts_at=at(2, 9),
        invite_group=False,
        attendees=[w.dora],
        now=at(1, 9),
    )
    meetings.meeting_hold(actor=w.oscar, meeting=meeting, attendance=[], now=at(2, 9))

    def decide(unit, days, now):
        return tasks.meeting_decide(
            actor=w.oscar, meeting=meeting, text=f"{unit.name}督办", owner_unit=unit, limit_days=days, now=now
        )

    made = {name: decide(w.agency, 3, at(2, 10)) for name in ("open", "late", "on_time", "withdrawn")}
    tasks.task_complete(actor=w.oscar, task=made["late"], done_note="已办", now=at(6, 9))
    tasks.task_complete(actor=w.oscar, task=made["on_time"], done_note="已办", now=at(4, 9))
    tasks.task_withdraw(actor=w.oscar, task=made["withdrawn"], reason="已和解", now=at(3, 9))
    made["squad"] = decide(scenario.squad, 1, at(30, 10))
    made["april"] = decide(scenario.squad, 10, at(30, 10))
    return made


def test_overdue_decisions_count_per_unit_and_deduct_in_the_agencies_scheme(scenario):
    made = decisions(scenario)
    agency, squad = str(scenario.world.agency.pk), str(scenario.squad.pk)
    figures = fig.figures_by_subject(
        viewer=scenario.leo, kind="unit", period=MARCH, area=TOWNSHIP, as_of=AS_OF
    )
    counted = {f.key: f.counts["overdue_meeting_task"] for f in figures if f.counts["overdue_meeting_task"]}
    assert counted == {agency: 2, squad: 1}
    total = fig.figures_total(viewer=scenario.leo, period=MARCH, area=TOWNSHIP, as_of=AS_OF, names=NAMES)
    assert total["overdue_meeting_task"] == 3
    # The district sees them; another township's area counts none of them.
    district = fig.Area("330421", "嘉善县")
    assert (
        fig.figures_total(viewer=scenario.cora, period=MARCH, area=district, as_of=AS_OF, names=NAMES)[
            "overdue_meeting_task"
        ]
        == 3
    )
    other = fig.Area("330421101", "魏塘街道")
    assert (
        fig.figures_total(viewer=scenario.cora, period=MARCH, area=other, as_of=AS_OF, names=NAMES)[
            "overdue_meeting_task"
        ]
        == 0
    )

    scheme = Scheme.objects.get(code="zhenhai-agency")
    rows = {
        r.subject.key: r
        for r in assessment_live(viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP, as_of=AS_OF)
    }
    # test_schemes: the agency's township part is 92.50 with nothing to deduct; the squad's 49.86 less 4.
    a, s = rows[agency].parts[0], rows[squad].parts[0]
    meeting_deduction = {x.basis: (x.count, x.points) for x in a.adjustments}["overdue_meeting_task"]
    assert meeting_deduction == (2, D(2)) and a.base == D("92.50") and a.score == D("90.50")
    assert s.deductions == D(5) and s.score == D("44.86")  # 2 overdue tasks, 1 supervision, 1 decision
    assert made["april"].due_at > MARCH.end


def test_the_unit_table_shows_the_count_and_it_opens_the_decisions_it_counted(scenario):
    made = decisions(scenario)
    client = scenario.world.client_for(scenario.leo)
    query = f"?period=2026-03&area=330421102&subject=unit&key={scenario.world.agency.pk}"
    index = client.get(reverse("assessment:index") + "?period=2026-03&area=330421102&subject=unit")
    assert "超期督办事项数" in index.content.decode()
    assert reverse("assessment:count", args=["overdue_meeting_task"]) in index.content.decode()
    page = client.get(reverse("assessment:count", args=["overdue_meeting_task"]) + query)
    assert page.status_code == 200
    html = page.content.decode()
    linked = {t.pk for t in made.values() if reverse("meetings:task", args=[t.pk]) in html}
    assert linked == {made["open"].pk, made["late"].pk}
    whole = client.get(
        reverse("assessment:count", args=["overdue_meeting_task"]) + "?period=2026-03&area=330421102"
    ).content.decode()
    assert {t.pk for t in made.values() if reverse("meetings:task", args=[t.pk]) in whole} == {
        made["open"].pk,
        made["late"].pk,
        made["squad"].pk,
    }
    export = client.get(
        reverse("assessment:count", args=["overdue_meeting_task"])
        + query
        + "&export=xlsx&reason=周例会通报&table=rows"
    )
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
