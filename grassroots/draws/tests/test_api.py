"""The 双随机 API as a client speaks it (bearer tokens): creating a plan, each step by its endpoint over the
registry's own target pool (the plan page's), the seed kept back until the draw, and the refusals with their codes
(403 `not_permitted`, 404 out of scope, 409 `stale_draw_plan` / `draw_plan_bad_state`, 422)."""

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.market.choices import Conclusion
from grassroots.market.models import Inspection
from grassroots.market.services.inspection_steps import inspection_record
from grassroots.market.tests.support import make_entity
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.people.services import api_token_create

from ..models import DrawPlan
from .support import Office, build_office

pytestmark = pytest.mark.django_db


class Caller:
    """One person's API client, signed in with a bearer token as an app would be."""

    def __init__(self, person: Person) -> None:
        _, key = api_token_create(actor=None, person=person, name="测试")
        self.person = person
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1/inspection-draws{path}", params)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.post(f"/api/v1/inspection-draws{path}", data, content_type="application/json")

    def step(self, plan_id: int, action: str, **body: Any) -> Any:
        return self.post(f"/{plan_id}/{action}", body)

    def ok(self, plan_id: int, action: str, **body: Any) -> dict[str, Any]:
        response = self.step(plan_id, action, **body)
        assert response.status_code == 200, (action, response.json())
        return dict(response.json())


@pytest.fixture
def office(world: World) -> Office:
    """The office of draws/tests/support.py over a registry of six operating entities of 西塘镇 (the target pool the
    market app's provider gives) and one deregistered one."""
    for n in range(1, 7):
        make_entity(world, n, in_grid_b=bool(n % 2))
    make_entity(world, 7, status="deregistered")
    return build_office(world)


@pytest.fixture
def dora(office: Office) -> Caller:
    return Caller(office.dora)


def create(caller: Caller, office: Office, world: World, **fields: Any) -> Any:
    body = {
        "name": "2026年度食品经营者双随机抽查",
        "unit_ids": [world.agency.pk],
        "item_ids": [office.item.pk],
        "target_filter": "西塘镇在营市场主体",
        "rates": {"A": "1", "B": "0.5", "C": 0.2, "D": "1"},
        **fields,
    }
    return caller.post("", body)


def created(caller: Caller, office: Office, world: World, **fields: Any) -> dict[str, Any]:
    response = create(caller, office, world, **fields)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def unchanged(plan_id: int, status: str, version: int) -> bool:
    plan = DrawPlan.objects.get(pk=plan_id)
    return (plan.status, plan.version) == (status, version)


# -- the life of a plan -------------------------------------------------------------------------------------


def test_dora_creates_freezes_draws_and_publishes_a_plan_over_http(world, office, dora):
    plan = created(dora, office, world)
    assert (plan["status"], plan["version"], plan["manages"]) == ("draft", 1, True)
    assert plan["rates"] == {"A": "1", "B": "0.5", "C": "0.2", "D": "1"}
    assert plan["units"] == [{"id": world.agency.pk, "name": "西塘市场监管所"}]
    assert [i["code"] for i in plan["items"]] == ["SCJG-001"] and plan["allowed_actions"] == ["freeze"]
    pid = plan["id"]
    for action in ("freeze", "draw", "redraw", "publish"):
        path = reverse(f"api:draw_plan_{action}", kwargs={"plan_id": pid})
        assert path == f"/api/v1/inspection-draws/{pid}/{action}"

    frozen = dora.ok(pid, "freeze", version=1)
    (snapshot,) = frozen["snapshots"]
    assert (frozen["status"], frozen["version"], frozen["allowed_actions"]) == ("frozen", 2, ["draw"])
    assert snapshot["targets"] == 6 and snapshot["inspectors"] == 6  # the expired certificate is in the pool
    assert snapshot["seed"] is None and len(snapshot["seed_hash"]) == 64 and frozen["draws"] == []

    drawn = dora.ok(pid, "draw")  # no version: no check
    (snapshot,) = drawn["snapshots"]
    (draw,) = drawn["draws"]
    assert drawn["status"] == "drawn" and drawn["allowed_actions"] == ["redraw", "publish"]
    assert snapshot["seed"] == draw["seed"] and snapshot["drawn"] is True
    assert (draw["algorithm"], draw["current"], draw["sequence"]) == ("draw-v1", True, 1)
    assert draw["inputs"]["per_target"] == 2 and draw["results_due_at"]
    assigned = draw["result"]["targets"]
    assert len(assigned) == 6 and {t["kind"] for t in assigned} == {"market.entity"}
    named = {i["id"] for i in draw["inspectors"]}
    assert named == {i for t in assigned for i in t["inspectors"]}
    assert str(office.expired.pk) not in named
    assert Client().get(draw["data_url"]).json()["seed"] == draw["seed"]  # the public re-run data

    assert set(draw["target_results"]) == {f"market.entity:{t['id']}" for t in assigned}
    assert set(draw["target_results"].values()) == {None}
    waiting = dora.step(pid, "publish", summary="检查 6 户，均未发现问题。")
    assert waiting.status_code == 422 and waiting.json()["code"] == "draw_results_incomplete"
    for inspection in Inspection.objects.filter(draw_id=draw["id"]):  # the inspectors record on site
        inspection_record(
            actor=inspection.inspectors.first(), inspection=inspection, conclusion=Conclusion.COMPLIANT
        )
    recorded = dora.get(f"/{pid}").json()["draws"][0]["target_results"]
    assert None not in recorded.values() and len(recorded) == 6

    published = dora.ok(pid, "publish", summary="检查 6 户，均未发现问题。", version=drawn["version"])
    assert published["status"] == "published" and published["allowed_actions"] == []
    (draw,) = published["draws"]
    assert draw["results_summary"] == "检查 6 户，均未发现问题。" and draw["results_published_by"] == "赵敏"
    actions = AuditEntry.objects.filter(object_id=str(pid), action__startswith="drawplan.")
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "drawplan.create",
        "drawplan.freeze",
        "drawplan.draw",
        "drawplan.publish",
    ]


def test_a_redraw_needs_a_reason_and_another_manager_and_keeps_the_first_draw(world, office, dora):
    pid = created(dora, office, world)["id"]
    dora.ok(pid, "freeze")
    first = dora.ok(pid, "draw")["draws"][0]

    for body, code in (
        ({"reason": "人员病假", "approver_id": world.carol.pk}, "redraw_bad_approver"),
        ({"reason": "人员病假", "approver_id": 999999}, "redraw_bad_approver"),
        ({"reason": "人员病假", "approver_id": office.dora.pk}, "redraw_self_approval"),
        ({"reason": "   ", "approver_id": office.lena.pk}, "redraw_reason_required"),
        ({"approver_id": office.lena.pk}, "invalid_input"),
    ):
        refused = dora.step(pid, "redraw", **body)
        assert refused.status_code == 422 and refused.json()["code"] == code, body
    assert unchanged(pid, "drawn", 3)

    again = dora.ok(pid, "redraw", reason="人员病假", approver_id=office.lena.pk, version=3)
    assert (again["status"], len(again["snapshots"])) == ("frozen", 2)
    assert again["snapshots"][1]["seed"] is None and again["snapshots"][1]["redraw_approved_by"] == "陆丽娜"
    assert again["draws"][0]["id"] == first["id"] and again["draws"][0]["current"] is False
    second = dora.ok(pid, "draw")["draws"][1]
    assert (second["sequence"], second["reason"], second["approved_by"]) == (2, "人员病假", "陆丽娜")
    assert second["seed"] != first["seed"]


# -- refusals -----------------------------------------------------------------------------------------------


def test_a_stale_version_or_a_step_in_the_wrong_state_is_409_and_changes_nothing(world, office, dora):
    pid = created(dora, office, world)["id"]
    lena = Caller(office.lena)

    stale = dora.step(pid, "freeze", version=7)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_draw_plan"
    assert stale.json()["details"] == {"version": 1, "given": 7}
    early = dora.step(pid, "draw")
    assert early.status_code == 409 and early.json()["code"] == "draw_plan_bad_state"
    assert dora.step(pid, "publish", summary="无").json()["code"] == "draw_plan_bad_state"
    assert unchanged(pid, "draft", 1) and not DrawPlan.objects.get(pk=pid).snapshots.exists()

    # Two clients saw version 1: the first wins, the second is told so.
    assert dora.step(pid, "freeze", version=1).status_code == 200
    second = lena.step(pid, "freeze", version=1)
    assert second.status_code == 409 and second.json()["code"] == "stale_draw_plan"
    again = lena.step(pid, "freeze")
    assert again.status_code == 409 and again.json()["code"] == "draw_plan_bad_state"
    assert unchanged(pid, "frozen", 2) and DrawPlan.objects.get(pk=pid).snapshots.count() == 1


def test_an_inspector_reads_the_plan_but_a_step_is_403_and_others_get_404(world, office, dora):
    pid = created(dora, office, world)["id"]
    inspector = Caller(office.inspectors[0].person)
    carol = Caller(world.carol)
    olga = Caller(make_person("olga", "欧阳", Role.DEPARTMENT_STAFF, unit=world.command_room))

    seen = inspector.get(f"/{pid}").json()
    assert (seen["manages"], seen["allowed_actions"]) == (False, [])
    refused = inspector.step(pid, "freeze")
    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    assert inspector.step(pid, "publish", summary="无").json()["code"] == "not_permitted"
    assert create(inspector, office, world).json()["code"] == "not_permitted"

    for caller in (carol, olga):
        assert caller.get(f"/{pid}").status_code == 404
        assert caller.step(pid, "freeze").json()["code"] == "not_found"
        assert caller.get("").json() == {"items": [], "next": None}
    assert create(carol, office, world).json()["code"] == "not_permitted"
    outside = create(olga, office, world)  # a manager's role, but the units are not hers
    assert outside.status_code == 403 and outside.json()["code"] == "draw_not_manager"
    assert unchanged(pid, "draft", 1) and DrawPlan.objects.count() == 1


def test_a_bad_plan_is_422_with_a_code(world, office, dora):
    for fields, code in (
        ({"unit_ids": [world.agency.pk, 999999]}, "draw_unknown_unit"),
        ({"item_ids": [999999]}, "draw_unknown_item"),
        ({"rates": {"A": "2"}}, "draw_bad_rate"),
        ({"rates": {"E": "0.1"}}, "invalid_input"),
        ({"inspectors_per_target": 1}, "invalid_input"),
        ({"unit_ids": []}, "invalid_input"),
        ({"name": "  "}, "invalid_input"),
    ):
        refused = create(dora, office, world, **fields)
        assert refused.status_code == 422 and refused.json()["code"] == code, fields
    assert not DrawPlan.objects.exists()

    bare = created(dora, office, world, rates=None, item_ids=[])
    assert bare["rates"] == {"A": "0.01", "B": "0.04", "C": "0.2", "D": "1"}  # the default
    no_item = dora.step(bare["id"], "freeze")
    assert no_item.status_code == 422 and no_item.json()["code"] == "draw_no_item"
    empty = dora.post(f"/{bare['id']}/publish")
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_input"


# -- the list -----------------------------------------------------------------------------------------------


def test_the_list_shows_the_callers_plans_newest_first_by_status_and_in_pages(world, office, dora):
    ids = [created(dora, office, world, name=f"计划{n}")["id"] for n in range(5)]
    dora.ok(ids[1], "freeze")
    lena = Caller(office.lena)

    listed = [p["id"] for p in lena.get("").json()["items"]]
    assert listed == ids[::-1]
    assert [p["id"] for p in lena.get("", status="frozen").json()["items"]] == [ids[1]]
    seen, cursor = [], None
    while True:
        page = lena.get("", limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [p["id"] for p in page["items"]]
        if not (cursor := page["next"]):
            break
    assert seen == ids[::-1]
    assert lena.get("", status="gone").status_code == 422
