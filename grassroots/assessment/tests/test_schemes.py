"""Joint scoring of dispatched agencies as configuration: Zhenhai 60% township / 40% department, Shangyu class B
50% township / 40% department / 10% conduct, with the manual parts entered by their raters."""

from decimal import Decimal as D

import pytest

from grassroots.assessment import figures as fig
from grassroots.assessment.models import ManualRating, Scheme
from grassroots.assessment.periods import period_parse
from grassroots.assessment.selectors import assessment_live
from grassroots.assessment.services import manual_rating_record
from grassroots.assessment.tests.scenario import AS_OF
from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.people.choices import Role

pytestmark = pytest.mark.django_db
TOWNSHIP = fig.Area("330421102", "西塘镇")
MARCH = period_parse("2026-03")


def results(scenario, code):
    scheme = Scheme.objects.get(code=code)
    rows = assessment_live(viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP, as_of=AS_OF)
    return {row.subject.key: row for row in rows}


def test_zhenhai_weights_the_township_part_60_and_the_department_40(scenario):
    scheme = Scheme.objects.get(code="zhenhai-agency")
    _, department = scheme.parts.all()
    agency, squad = str(scenario.world.agency.pk), str(scenario.squad.pk)
    second = make_person("ruth", "沈蓉", Role.DEPARTMENT_STAFF, unit=scenario.squad_dept)
    manual_rating_record(actor=scenario.rita, part=department, subject_key=agency, period=MARCH, score="80")
    manual_rating_record(actor=scenario.ray, part=department, subject_key=squad, period=MARCH, score="70")
    manual_rating_record(actor=second, part=department, subject_key=squad, period=MARCH, score="90")
    rows = results(scenario, "zhenhai-agency")
    assert set(rows) == {agency, squad}  # dispatched agencies only
    # Agency: on-time handling 4/4 × 30 + on-time completion 3/4 × 20 + (1 − rework 0/3) × 15
    # + accurate dispatch 5/6 × 15 + satisfaction 1/1 × 20 = 92.5; nothing to deduct.
    a = rows[agency]
    assert a.parts[0].score == D("92.50") and a.parts[1].score == D("80.00")
    assert a.score == D("87.50") and a.grade == "B"  # 0.6 × 92.5 + 0.4 × 80
    # Squad: 4/6 × 30 + 1/4 × 20 + (1 − 1/5) × 15 + 6/7 × 15 + 0/1 × 20 = 49.857… → 49.86;
    # less 2 overdue tasks × 1 and 1 supervision order × 2 → 45.86. Department: mean of 70 and 90.
    s = rows[squad]
    assert s.parts[0].base == D("49.86") and s.parts[0].deductions == D(4)
    assert s.parts[0].score == D("45.86") and s.parts[1].score == D("80.00")
    assert s.score == D("59.52") and s.grade == "D"  # 0.6 × 45.86 + 0.4 × 80 = 59.516
    assert (a.rank, s.rank) == (1, 2)


def test_shangyu_scores_class_b_agencies_50_40_10_and_waits_for_every_rater(scenario):
    scheme = Scheme.objects.get(code="shangyu-agency-b")
    township_part, department, conduct = scheme.parts.all()
    assert [p.weight for p in (township_part, department, conduct)] == [D(50), D(40), D(10)]
    agency = str(scenario.world.agency.pk)
    manual_rating_record(actor=scenario.rita, part=department, subject_key=agency, period=MARCH, score="80")
    rows = results(scenario, "shangyu-agency-b")
    assert set(rows) == {agency}  # the squad is class A
    assert rows[agency].score is None and rows[agency].grade == ""  # conduct not rated yet: 待评
    manual_rating_record(actor=scenario.cora, part=conduct, subject_key=agency, period=MARCH, score="95")
    row = results(scenario, "shangyu-agency-b")[agency]
    # 4/4 × 35 + 3/4 × 25 + 1 × 10 + 5/6 × 10 + 1/1 × 20 = 92.083 → 92.08
    assert row.parts[0].score == D("92.08")
    assert row.score == D("87.54") and row.grade == "B"  # 0.5 × 92.08 + 0.4 × 80 + 0.1 × 95


def test_only_the_named_raters_may_rate(scenario):
    scheme = Scheme.objects.get(code="shangyu-agency-b")
    _, department, conduct = scheme.parts.all()
    agency, squad = str(scenario.world.agency.pk), str(scenario.squad.pk)
    with pytest.raises(Forbidden):  # the squad's department does not rate the market office
        manual_rating_record(
            actor=scenario.ray, part=department, subject_key=agency, period=MARCH, score="80"
        )
    with pytest.raises(Forbidden):  # a township leader is not the department
        manual_rating_record(
            actor=scenario.leo, part=department, subject_key=agency, period=MARCH, score="80"
        )
    with pytest.raises(Forbidden):  # conduct is rated at the district
        manual_rating_record(actor=scenario.leo, part=conduct, subject_key=agency, period=MARCH, score="80")
    manual_rating_record(actor=scenario.ray, part=department, subject_key=squad, period=MARCH, score="80")


@pytest.mark.parametrize("score", ["101", "-1", "abc", "80.123", ""])
def test_a_score_must_be_a_number_from_0_to_100(scenario, score):
    department = Scheme.objects.get(code="zhenhai-agency").parts.get(method="manual")
    with pytest.raises(InvalidInput) as refused:
        manual_rating_record(
            actor=scenario.rita,
            part=department,
            subject_key=str(scenario.world.agency.pk),
            period=MARCH,
            score=score,
        )
    assert "score" in refused.value.details


def test_every_rating_and_change_is_audited(scenario):
    department = Scheme.objects.get(code="zhenhai-agency").parts.get(method="manual")
    agency = str(scenario.world.agency.pk)
    manual_rating_record(actor=scenario.rita, part=department, subject_key=agency, period=MARCH, score="80")
    manual_rating_record(
        actor=scenario.rita, part=department, subject_key=agency, period=MARCH, score="85", note="改"
    )
    assert ManualRating.objects.get().score == D(85)
    rows = AuditEntry.objects.filter(action="assessment.rate").order_by("id")
    assert [(r.detail["old"], r.detail["new"]) for r in rows] == [(None, "80"), ("80.00", "85")]


def test_the_raters_page_lists_only_what_the_person_may_rate_and_keeps_bad_input(scenario):
    department = Scheme.objects.get(code="zhenhai-agency").parts.get(method="manual")
    agency, squad = scenario.world.agency, scenario.squad
    client = scenario.world.client_for(scenario.rita)
    url = f"/assessment/ratings/{department.pk}/?period=2026-03"
    page = client.get(url).content.decode()
    assert agency.name in page and squad.name not in page
    response = client.post(url, {f"score-{agency.pk}": "abc", f"note-{agency.pk}": "按时完成"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "得分应为数字" in body and 'value="abc"' in body and "按时完成" in body
    response = client.post(url, {f"score-{agency.pk}": "88.5", f"note-{agency.pk}": "按时完成"})
    assert response.status_code == 302
    assert ManualRating.objects.get(rater=scenario.rita).score == D("88.5")
    assert scenario.world.client_for(scenario.leo).get(url).status_code == 404
    assert scenario.world.client_for(scenario.world.alice).get(url).status_code == 404


def test_a_department_rater_is_sent_from_assessment_to_their_rating_tasks(scenario):
    client = scenario.world.client_for(scenario.rita)
    response = client.get("/assessment/?period=2026-03")
    assert response.status_code == 302 and response["Location"] == "/assessment/ratings/"
    page = client.get("/assessment/ratings/?period=2026-03").content.decode()
    assert "部门考核" in page and "主管部门考核" in page  # Zhenhai's and Shangyu's department parts
    assert scenario.world.client_for(scenario.world.alice).get("/assessment/ratings/").status_code == 404


def test_a_department_rater_finds_assessment_in_the_navigation(scenario):
    from grassroots.core.navigation import nav_items

    assert "assessment:index" in {item["name"] for item in nav_items(scenario.rita)}
    assert "assessment:index" not in {item["name"] for item in nav_items(scenario.world.alice)}
    assert "assessment:index" not in {item["name"] for item in nav_items(scenario.world.dora)}  # an agency
    page = scenario.world.client_for(scenario.rita).get("/assessment/ratings/").content.decode()
    assert 'href="/assessment/"' in page
