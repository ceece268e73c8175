"""Joint operations (联合执法 / 专项整治): planned by the lead unit, run, each unit's results recorded by that unit and
totalled (the totals below computed by hand), finished only when every unit has reported; who sees and who may do
what; a change made meanwhile refused (409 stale_operation); links to events and cases; the API; the figures."""

import datetime as dt
import json
from typing import Any

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.errors import Conflict, DomainError, InvalidInput
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workflow.links import links_of

from ..models import JointOperation, OperationHistory
from ..models.operations import OperationKind, OperationStatus
from ..operations_registry import register_operations
from ..services.operation_access import access_operation, operations_visible_to
from ..services.operation_figures import Period, operations_by_month, operations_count, results_totals
from ..services.operations import (
    Results,
    operation_add_task,
    operation_cancel,
    operation_complete_task,
    operation_create,
    operation_finish,
    operation_link,
    operation_record_results,
    operation_start,
    totals_of,
)
from .support import Team, open_case

NOW = dt.datetime(2026, 7, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _registered():
    register_operations()  # wired into registry.REGISTRATIONS at merge; repeated registration replaces itself


@pytest.fixture
def police(world) -> Unit:
    return Unit.objects.create(
        code="330421102-PCS",
        name="西塘派出所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class="B",
        division=world.township,
    )


@pytest.fixture
def percy(police):
    return make_person("percy", "潘警官", Role.DEPARTMENT_STAFF, unit=police)


def plan(team: Team, police: Unit, **kw) -> JointOperation:
    values: dict[str, Any] = {
        "kind": OperationKind.JOINT,
        "title": "酒吧街夜间噪音和拉客联合整治",
        "lead_unit": team.unit,
        "units": [team.world.agency, police],
        "starts_on": dt.date(2026, 7, 6),
        "ends_on": dt.date(2026, 7, 10),
        "plan": "综合执法队牵头，市场监管所查明码标价，派出所维护秩序",
        "places": [{"name": "西街酒吧一条街", "lon": 120.885, "lat": 30.945}],
        "grids": [team.world.grid_a],
        "tasks": [(police, "夜间巡逻，劝离拉客人员")],
        "now": NOW,
    }
    values.update(kw)
    return operation_create(actor=team.olga, **values)


def ran(team: Team, police: Unit) -> JointOperation:
    operation = plan(team, police)
    return operation_start(actor=team.olga, operation=operation, now=NOW)


def code_of(call) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code


# -- the run -----------------------------------------------------------------------------------------------------


def test_each_unit_records_its_results_and_the_operation_totals_them(team, police, percy):
    dora = team.world.dora
    operation = plan(team, police)
    task = operation_add_task(
        actor=team.olga, operation=operation, unit=team.world.agency, text="检查酒吧明码标价", now=NOW
    )
    operation_start(actor=team.olga, operation=operation, now=NOW)
    operation_complete_task(actor=dora, operation=operation, task_id=task.pk, notes="查 9 家", now=NOW)
    operation_record_results(
        actor=team.olga, operation=operation, unit=team.unit, results=Results(12, 5, 2, 4), now=NOW
    )
    operation_record_results(
        actor=dora, operation=operation, unit=team.world.agency, results=Results(9, 3, 1, 3), now=NOW
    )
    # The police station first reports too many, then corrects: the second report replaces the first.
    operation_record_results(
        actor=percy, operation=operation, unit=police, results=Results(6, 2, 0, 1), now=NOW
    )
    operation_record_results(
        actor=percy, operation=operation, unit=police, results=Results(4, 1, 0, 1), now=NOW
    )
    # 12+9+4 places, 5+3+1 problems, 2+1+0 cases, 4+3+1 rectified
    expected = {"places_inspected": 25, "problems_found": 9, "cases_opened": 3, "rectified": 8}
    assert totals_of(operation) == expected
    operation_finish(actor=team.lena, operation=operation, summary="拉客现象明显减少", now=NOW)

    operation.refresh_from_db()
    assert (operation.status, operation.summary, operation.version) == (
        OperationStatus.FINISHED,
        "拉客现象明显减少",
        9,  # created at 1, then eight steps
    )
    actions = list(operation.history.values_list("action", flat=True))
    assert actions == [
        "create",
        "add_task",
        "start",
        "complete_task",
        "record_results",
        "record_results",
        "record_results",
        "record_results",
        "finish",
    ]
    correction = operation.history.filter(action="record_results").last()
    assert correction is not None
    assert correction.data["before"] == {
        "places_inspected": 6,
        "problems_found": 2,
        "cases_opened": 0,
        "rectified": 1,
    }
    assert operation.history.get(action="finish").data["totals"] == expected
    codes = set(AuditEntry.objects.filter(object_id=str(operation.pk)).values_list("action", flat=True))
    assert {"joint_operation.create", "joint_operation.record_results", "joint_operation.finish"} <= codes
    task.refresh_from_db()
    assert (task.done, task.notes, task.done_by) == (True, "查 9 家", dora)


def test_an_operation_finishes_only_when_every_unit_has_reported(team, police, percy):
    operation = ran(team, police)
    operation_record_results(
        actor=team.olga, operation=operation, unit=team.unit, results=Results(3, 1, 0, 1), now=NOW
    )
    with pytest.raises(InvalidInput) as caught:
        operation_finish(actor=team.olga, operation=operation, now=NOW)
    assert caught.value.code == "operation_results_missing"
    assert caught.value.details == {"units": ["西塘派出所", "西塘市场监管所"]}  # by unit code
    operation.refresh_from_db()
    assert operation.status == OperationStatus.ONGOING


def test_a_unit_records_only_its_own_results(team, police, percy, world):
    operation = ran(team, police)
    dora = world.dora
    assert (
        code_of(
            lambda: operation_record_results(
                actor=dora, operation=operation, unit=police, results=Results(1, 1, 0, 0)
            )
        )
        == "results_not_yours"
    )
    outsider = Unit.objects.create(
        code="330421102-STHJ", name="西塘生态环境站", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    assert (
        code_of(
            lambda: operation_record_results(
                actor=team.olga, operation=operation, unit=outsider, results=Results(1, 0, 0, 0)
            )
        )
        == "operation_unit_not_participating"
    )
    # A grid worker is nothing on the operation; a participating unit does not start or finish it.
    assert code_of(lambda: operation_finish(actor=world.alice, operation=operation)) == "not_permitted"
    assert code_of(lambda: operation_finish(actor=dora, operation=operation)) == "not_permitted"
    assert code_of(lambda: operation_cancel(actor=percy, operation=operation, reason="x")) == "not_permitted"
    assert not operation.participants.filter(recorded_at__isnull=False).exists()


def test_the_results_must_add_up(team, police):
    operation = ran(team, police)

    def record(*numbers):
        return lambda: operation_record_results(
            actor=team.olga, operation=operation, unit=team.unit, results=Results(*numbers)
        )

    assert code_of(record(5, 2, 0, 3)) == "results_rectified_above_found"
    assert code_of(record(5, 2, 3, 0)) == "results_cases_above_found"
    assert code_of(record(-1, 0, 0, 0)) == "results_negative"
    assert operation.history.count() == 2  # create, start: nothing written by the refusals


def test_the_plan_is_checked(team, police, world):
    assert code_of(lambda: plan(team, police, units=[])) == "operation_units_too_few"
    assert code_of(lambda: plan(team, police, ends_on=dt.date(2026, 7, 1))) == "operation_period_invalid"
    assert code_of(lambda: plan(team, police, title="  ")) == "operation_title_required"
    assert (
        code_of(lambda: plan(team, police, places=[{"name": "西街", "lon": 120.9}]))
        == "operation_place_invalid"
    )
    assert code_of(lambda: plan(team, police, units=[police], tasks=[(world.agency, "x")])) == (
        "task_unit_not_participating"
    )
    assert (
        code_of(
            lambda: operation_create(
                actor=world.dora,
                kind="joint",
                title="t",
                lead_unit=team.unit,
                units=[police],
                starts_on=dt.date(2026, 7, 1),
                ends_on=dt.date(2026, 7, 1),
            )
        )
        == "not_permitted"
    )
    # A special campaign may be one unit's alone.
    solo = plan(team, police, kind=OperationKind.CAMPAIGN, units=[], tasks=[])
    assert list(solo.participants.values_list("unit_id", "lead")) == [(team.unit.pk, True)]
    assert not JointOperation.objects.exclude(pk=solo.pk).exists()


def test_a_step_on_a_stale_copy_is_refused_and_changes_nothing(team, police, percy):
    operation = ran(team, police)
    stale = JointOperation.objects.get(pk=operation.pk)
    operation_record_results(
        actor=team.olga, operation=operation, unit=team.unit, results=Results(3, 1, 0, 1), now=NOW
    )
    with pytest.raises(Conflict) as caught:
        operation_record_results(actor=percy, operation=stale, unit=police, results=Results(7, 2, 1, 2))
    assert caught.value.code == "stale_operation"
    assert not stale.participants.filter(unit=police, recorded_at__isnull=False).exists()
    assert totals_of(operation)["places_inspected"] == 3


def test_the_table_refuses_moves_outside_it(team, police):
    operation = plan(team, police)
    assert (
        code_of(
            lambda: operation_record_results(
                actor=team.olga, operation=operation, unit=team.unit, results=Results(1, 0, 0, 0)
            )
        )
        == "invalid_transition"
    )
    operation_cancel(actor=team.olga, operation=operation, reason="天气原因推迟", now=NOW)
    assert code_of(lambda: operation_start(actor=team.olga, operation=operation)) == "invalid_transition"
    assert (
        code_of(lambda: operation_cancel(actor=team.olga, operation=operation, reason=""))
        == "invalid_transition"
    )
    operation.refresh_from_db()
    assert (operation.status, operation.cancel_reason) == (OperationStatus.CANCELLED, "天气原因推迟")


def test_who_sees_an_operation(team, police, percy, world):
    operation = plan(team, police)
    for person in (team.olga, team.lena, world.dora, percy, world.oscar):
        assert access_operation(person, operation.pk) == operation, person.username
    stranger_unit = Unit.objects.create(
        code="330421101-PCS", name="魏塘派出所", kind=UnitKind.TOWNSHIP_OFFICE, division=world.district
    )
    stranger = make_person("sam", "沈某", Role.DEPARTMENT_STAFF, unit=stranger_unit)
    assert not operations_visible_to(stranger).exists()
    assert not operations_visible_to(world.carol).filter(pk=operation.pk).exists()  # a village's staff


def test_events_and_cases_link_to_the_operation(team, police):
    operation = ran(team, police)
    case = open_case(team)
    operation_link(actor=team.olga, operation=operation, workflow="case", object_id=case.pk, note="现场立案")
    seen = links_of(viewer=team.olga, workflow="joint_operation", object_id=operation.pk)
    assert [(s.workflow, s.object_id, s.wording, s.note) for s in seen] == [
        ("case", case.pk, "转为", "现场立案")
    ]
    from_case = links_of(viewer=team.olga, workflow="case", object_id=case.pk)
    assert [(s.workflow, s.wording) for s in from_case] == [("joint_operation", "源自")]
    assert (
        code_of(
            lambda: operation_link(
                actor=team.olga, operation=operation, workflow="case", object_id=case.pk + 999
            )
        )
        == "link_record_not_found"
    )
    assert (
        code_of(lambda: operation_link(actor=team.olga, operation=operation, workflow="visit", object_id=1))
        == "operation_link_workflow"
    )


# -- the API ---------------------------------------------------------------------------------------------------


def test_the_api_creates_runs_and_totals_an_operation(team, police, percy, world):
    olga = world.client_for(team.olga)
    body = {
        "kind": "joint",
        "title": "集镇镇容镇貌联合整治",
        "lead_unit_id": team.unit.pk,
        "unit_ids": [world.agency.pk, police.pk],
        "starts_on": "2026-07-13",
        "ends_on": "2026-07-17",
        "places": [{"name": "南苑路"}],
        "grid_ids": [world.grid_a.pk],
        "tasks": [{"unit_id": police.pk, "text": "维护秩序"}],
    }
    made = olga.post("/api/v1/joint-operations", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    op = made.json()
    assert [u["unit"]["code"] for u in op["results"]["units"]] == [
        "330421102-ZFD",
        "330421102-PCS",
        "330421102-SCJGS",
    ]
    assert op["allowed_actions"] == ["edit", "add_task", "remove_task", "start", "link", "cancel"]
    url = f"/api/v1/joint-operations/{op['id']}"
    assert olga.post(f"{url}/start", "{}", content_type="application/json").status_code == 200

    percy_client = world.client_for(percy)
    record = {
        "unit_id": police.pk,
        "places_inspected": 7,
        "problems_found": 2,
        "cases_opened": 1,
        "rectified": 2,
    }
    stale = percy_client.post(
        f"{url}/record_results", json.dumps(record), content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_operation")
    wrong = percy_client.post(
        f"{url}/record_results", json.dumps({**record, "rectified": 3}), content_type="application/json"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (422, "results_rectified_above_found")
    done = percy_client.post(
        f"{url}/record_results", json.dumps(record), content_type="application/json", HTTP_IF_MATCH='"2"'
    )
    assert done.status_code == 200, done.content
    assert done.json()["allowed_actions"] == ["complete_task", "record_results", "link"]
    theirs = percy_client.post(
        f"{url}/record_results",
        json.dumps({**record, "unit_id": team.unit.pk}),
        content_type="application/json",
    )
    assert (theirs.status_code, theirs.json()["code"]) == (403, "results_not_yours")

    results = olga.get(f"{url}/results").json()
    assert results["totals"] == {
        "places_inspected": 7,
        "problems_found": 2,
        "cases_opened": 1,
        "rectified": 2,
    }
    listed = world.client_for(world.dora).get("/api/v1/joint-operations?month=2026-07").json()
    assert [o["id"] for o in listed["items"]] == [op["id"]]
    assert world.client_for(world.carol).get(url).status_code == 404
    assert world.client_for(world.dora).get("/api/v1/joint-operations?month=2026-08").json()["items"] == []
    assert olga.get("/api/v1/joint-operations?month=2026-13").json()["code"] == "month_invalid"


# -- figures ---------------------------------------------------------------------------------------------------


def test_the_figures_count_the_period_and_open_their_records(team, police, percy):
    june = plan(team, police, title="六月", starts_on=dt.date(2026, 6, 29), ends_on=dt.date(2026, 7, 2))
    july = ran(team, police)  # 6–10 July
    operation_record_results(actor=team.olga, operation=july, unit=team.unit, results=Results(10, 4, 1, 2))
    operation_record_results(actor=percy, operation=july, unit=police, results=Results(5, 0, 0, 0))
    other = plan(
        team,
        police,
        title="七月专项",
        kind="campaign",
        units=[],
        tasks=[],
        starts_on=dt.date(2026, 7, 20),
        ends_on=dt.date(2026, 7, 31),
    )
    other = operation_start(actor=team.olga, operation=other)
    operation_record_results(actor=team.olga, operation=other, unit=team.unit, results=Results(3, 3, 2, 1))
    called_off = plan(
        team, police, title="取消的", starts_on=dt.date(2026, 7, 15), ends_on=dt.date(2026, 7, 15)
    )
    operation_cancel(actor=team.olga, operation=called_off, reason="合并到专项")

    summer = Period(dt.date(2026, 6, 1), dt.date(2026, 7, 31), region="330421102")
    count = operations_count(summer)
    assert count.value == 3 and list(count.operations) == [june, july, other]
    months = operations_by_month(summer)
    assert [(m, f.value) for m, f in months] == [(dt.date(2026, 6, 1), 1), (dt.date(2026, 7, 1), 2)]
    assert list(months[1][1].operations) == [july, other]
    totals = results_totals(summer)
    # july 10+5, 4+0, 1+0, 2+0; other 3, 3, 2, 1
    assert {k: f.value for k, f in totals.items()} == {
        "places_inspected": 18,
        "problems_found": 7,
        "cases_opened": 3,
        "rectified": 3,
    }
    assert list(totals["cases_opened"].operations) == [july, other]
    by_police = results_totals(Period(dt.date(2026, 6, 1), dt.date(2026, 7, 31), unit=police))
    assert {k: f.value for k, f in by_police.items()}["places_inspected"] == 5
    assert operations_count(Period(dt.date(2026, 6, 1), dt.date(2026, 7, 31), unit=police)).value == 2
    assert operations_count(Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31), region="330421101")).value == 0
    assert operations_count(Period(dt.date(2026, 7, 1), dt.date(2026, 7, 31), kind="campaign")).value == 1


# -- pages -----------------------------------------------------------------------------------------------------


def test_the_pages_show_the_calendar_the_totals_and_refuse_a_stale_form(team, police, percy, world):
    operation = ran(team, police)
    olga = world.client_for(team.olga)
    listing = olga.get("/enforcement/operations/?month=2026-07").content.decode()
    assert 'data-day="2026-07-08"' in listing and operation.title in listing
    assert olga.get("/enforcement/operations/?month=2026-08&kind=campaign").status_code == 200
    stale = world.client_for(percy).post(
        f"/enforcement/operations/{operation.pk}/act/record_results/",
        {
            "version": 1,
            "unit": police.pk,
            "places_inspected": 2,
            "problems_found": 1,
            "cases_opened": 0,
            "rectified": 1,
        },
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    posted = world.client_for(percy).post(
        f"/enforcement/operations/{operation.pk}/act/record_results/",
        {
            "version": operation.version,
            "unit": police.pk,
            "places_inspected": 2,
            "problems_found": 1,
            "cases_opened": 0,
            "rectified": 1,
        },
    )
    assert posted.status_code == 302
    detail = olga.get(f"/enforcement/operations/{operation.pk}/").content.decode()
    assert "行动成果" in detail and "填报本单位成果" in detail
    assert world.client_for(world.carol).get(f"/enforcement/operations/{operation.pk}/").status_code == 404
    assert OperationHistory.objects.filter(operation=operation, action="record_results").count() == 1


def test_the_lead_edits_the_plan_on_its_page_and_a_unit_with_tasks_stays(team, police, percy, world):
    operation = plan(team, police)  # the police station has a task
    olga = world.client_for(team.olga)
    url = f"/enforcement/operations/{operation.pk}/edit/"
    assert olga.get(url).status_code == 200
    form = {
        "title": "酒吧街拉客联合整治（第二轮）",
        "units": [police.pk],
        "starts_on": "2026-07-07",
        "ends_on": "2026-07-09",
        "plan": "派出所维护秩序",
        "places": "西街酒吧街, 120.885, 30.945\n烟雨长廊",
        "version": operation.version,
    }
    dropped = olga.post(url, {**form, "units": [world.agency.pk]})
    assert dropped.status_code == 422 and "已有任务或成果" in dropped.content.decode()
    assert olga.post(url, form).status_code == 302
    operation.refresh_from_db()
    assert (operation.title, operation.starts_on, operation.version) == (
        form["title"],
        dt.date(2026, 7, 7),
        2,
    )
    assert operation.places == [
        {"name": "西街酒吧街", "lon": 120.885, "lat": 30.945},
        {"name": "烟雨长廊", "lon": None, "lat": None},
    ]
    assert list(operation.participants.values_list("unit__code", flat=True)) == [team.unit.code, police.code]
    assert world.client_for(percy).get(url).status_code == 403  # a participating unit does not edit the plan
    assert world.client_for(world.dora).get(url).status_code == 404  # the market office no longer takes part
