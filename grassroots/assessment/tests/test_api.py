"""Indicators and assessment results through the API: the same figures as the pages (the same selectors, asserted
against the hand tally of the scenario), for the same viewers (others 404), over an area in scope (404 outside),
persons named as the people API names them (masked by role, unmasked reads audited)."""

from decimal import Decimal

import pytest

from grassroots.assessment.areas import area_resolve
from grassroots.assessment.models import Scheme
from grassroots.assessment.periods import period_parse
from grassroots.assessment.selectors import assessment_table, indicator_table
from grassroots.audit.models import AuditEntry

from .scenario import AS_OF

pytestmark = pytest.mark.django_db


def test_a_subjects_figures_for_a_period_equal_the_assessment_pages(scenario):
    leo = scenario.world.client_for(scenario.leo)
    grid = scenario.world.grid_a.pk
    body = leo.get(f"/api/v1/indicators?subject=grid&period=2026-03&key={grid}").json()
    assert body["period"]["key"] == "2026-03" and body["subject_kind"] == "grid"
    (row,) = body["items"]
    assert row["rates"]["on_time_completion"] == {"numerator": 2, "denominator": 3, "percent": "66.67"}
    expected = indicator_table(
        viewer=scenario.leo,
        kind="grid",
        period=period_parse("2026-03"),
        area=area_resolve(scenario.leo, ""),
        sort="on_time_completion",
        as_of=AS_OF,
    )
    mine = next(r for r in expected if r.figures.key == str(grid))
    assert row["rank"] == mine.rank
    assert row["counts"] == {k: v for k, v in mine.figures.counts.items() if not k.startswith("prev_")}
    for code, rate in row["rates"].items():
        figure = mine.figures.rate(code)
        assert (rate["numerator"], rate["denominator"]) == (figure.numerator, figure.denominator)


def test_a_scheme_result_equals_the_scheme_page(scenario):
    leo = scenario.world.client_for(scenario.leo)
    body = leo.get("/api/v1/assessment-results?scheme=village&period=2026-03").json()
    scheme = Scheme.objects.get(code="village")
    table = assessment_table(
        viewer=scenario.leo,
        scheme=scheme,
        period=period_parse("2026-03"),
        area=area_resolve(scenario.leo, ""),
    )
    assert body["published"] is False and body["scheme"]["subject_kind"] == "village"
    got = {r["subject"]["key"]: (r["score"], r["grade"], r["rank"]) for r in body["items"]}
    want = {r.subject.key: (None if r.score is None else str(r.score), r.grade, r.rank) for r in table.rows}
    assert got == want and len(got) == 2
    assert all(Decimal(s) >= 0 for s, _, _ in got.values() if s is not None)


def test_roles_without_assessment_pages_get_404(scenario):
    for person in (scenario.world.alice, scenario.world.dora, scenario.world.bob):
        client = scenario.world.client_for(person)
        assert client.get("/api/v1/indicators").status_code == 404
        assert client.get("/api/v1/assessment-results?scheme=village").status_code == 404


def test_an_area_outside_the_scope_answers_404(scenario):
    leo = scenario.world.client_for(scenario.leo)
    assert leo.get("/api/v1/indicators?area=330421").status_code == 404
    assert leo.get("/api/v1/assessment-results?scheme=village&area=330421").status_code == 404
    assert leo.get("/api/v1/indicators?area=330421102201").status_code == 200


def test_unknown_subjects_and_schemes_are_refused(scenario):
    leo = scenario.world.client_for(scenario.leo)
    assert leo.get("/api/v1/indicators?subject=planet").json()["code"] == "unknown_subject"
    assert (
        leo.get("/api/v1/indicators?subject=person&sort=platform_share").json()["code"] == "unknown_indicator"
    )
    assert leo.get("/api/v1/indicators?period=2026-13").json()["code"] == "invalid_input"
    assert leo.get("/api/v1/assessment-results?scheme=nope").status_code == 404


def test_persons_are_masked_for_a_leader_and_shown_to_the_command_room_with_an_audit_row(scenario):
    leo = scenario.world.client_for(scenario.leo)
    names = {
        r["subject"]["code"]: r["subject"]["name"]
        for r in leo.get("/api/v1/indicators?subject=person&period=2026-03").json()["items"]
    }
    assert names["alice"] == "王*丽"
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()
    oscar = scenario.world.client_for(scenario.world.oscar)
    body = oscar.get("/api/v1/indicators?subject=person&period=2026-03").json()
    assert {r["subject"]["code"]: r["subject"]["name"] for r in body["items"]}["alice"] == "王丽丽"
    logged = AuditEntry.objects.filter(action="personal_data.read", actor=scenario.world.oscar)
    assert str(scenario.world.alice.pk) in set(logged.values_list("object_id", flat=True))
    assert {e.detail["purpose"] for e in logged} == {"api.indicators"}
