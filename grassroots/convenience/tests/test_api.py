"""The convenience-service API as a client speaks it (bearer tokens): the catalogue, taking an application in at a
window and through a village agent, each step by its endpoint, scope and masking, and the refusals with their
codes (401, 403, 404, 409 invalid_transition / stale_application, 422 with the fields)."""

import json
from collections import defaultdict
from typing import Any, get_args

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pydantic import BaseModel

from grassroots.audit.models import AuditEntry
from grassroots.conftest import World, make_person
from grassroots.core.management.commands.export_openapi import DEFAULT_PATH
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.people.services import api_token_create
from grassroots.workflow.publishing import new_draft, publish

from ..choices import MaterialNeed, Status, TownshipType
from ..models import Application, ApplicationHistory, ServiceCentre
from ..rules import APPLICATION, RECTIFICATION
from ..steps import APPLICATION_FLOW, RECTIFICATION_FLOW
from .support import Centre, build_centre

pytestmark = pytest.mark.django_db


class Caller:
    """One person's API client, signed in with a bearer token as an app would be."""

    def __init__(self, person: Person) -> None:
        _, key = api_token_create(actor=None, person=person, name="测试")
        self.person = person
        self.client = Client(headers={"Authorization": f"Bearer {key}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: dict[str, Any] | None = None, *, if_match: str | None = None) -> Any:
        headers = {"If-Match": if_match} if if_match is not None else None
        return self.client.post(
            f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", headers=headers
        )

    def act(self, application_id: int, action: str, **body: Any) -> Any:
        return self.post(f"/applications/{application_id}/{action}", body)

    def ok(self, application_id: int, action: str, **body: Any) -> dict[str, Any]:
        response = self.act(application_id, action, **body)
        assert response.status_code == 200, (action, response.json())
        return dict(response.json())


@pytest.fixture
def c(world: World) -> Centre:
    return build_centre(world)


@pytest.fixture
def wendy(c: Centre) -> Caller:
    return Caller(c.wendy)


def material(c: Centre, order: int) -> int:
    return int(c.permit.materials.get(order=order).pk)


def apply(caller: Caller, c: Centre, **fields: Any) -> Any:
    body = {
        "item": c.permit.code,
        "applicant_name": "沈国强",
        "applicant_phone": "13900001111",
        "applicant_id_number": "11010519491231002X",
        "window_id": c.window_1.pk,
        "materials_received": [material(c, 1), material(c, 2)],
        **fields,
    }
    return caller.post("/applications", body)


def applied(caller: Caller, c: Centre, **fields: Any) -> dict[str, Any]:
    response = apply(caller, c, **fields)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def unchanged(application_id: int, version: int) -> bool:
    application = Application.objects.get(pk=application_id)
    rows = ApplicationHistory.objects.filter(application=application).count()
    return application.version == version and rows == version


def other_township_clerk(world: World) -> Person:
    township = Division.objects.create(
        code="330421103",
        name="姚庄镇",
        level=DivisionLevel.TOWNSHIP,
        kind=DivisionKind.TOWN,
        parent=world.district,
    )
    unit = Unit.objects.create(
        code="330421103-BMFW", name="姚庄镇便民服务中心", kind=UnitKind.TOWNSHIP_OFFICE, division=township
    )
    ServiceCentre.objects.create(
        township=township, unit=unit, name="姚庄镇便民服务中心", township_type=TownshipType.CENTRAL
    )
    return make_person("yvonne", "俞晓芳", Role.WINDOW_CLERK, unit=unit, division=township)


# -- the catalogue ------------------------------------------------------------------------------------------


def test_the_catalogue_lists_the_items_in_force_filtered_and_a_page_at_a_time(wendy, c):
    codes = lambda response: [i["code"] for i in response.json()["items"]]  # noqa: E731

    assert codes(wendy.get("/service-items")) == ["GG330421001", "XK330421001"]
    assert codes(wendy.get("/service-items", township_type="central")) == ["GG330421001", "XK330421001"]
    assert codes(wendy.get("/service-items", township_type="ecological")) == []
    assert codes(wendy.get("/service-items", village="true")) == ["GG330421001"]
    assert codes(wendy.get("/service-items", q="宅基地")) == ["XK330421001"]
    assert codes(wendy.get("/service-items", zero_visit="true")) == ["GG330421001"]
    assert codes(wendy.get("/service-items", zero_visit="false", at_most_once="true")) == ["XK330421001"]

    first = wendy.get("/service-items", limit=1).json()
    assert [i["code"] for i in first["items"]] == ["GG330421001"] and first["next"]
    second = wendy.get("/service-items", limit=1, cursor=first["next"]).json()
    assert [i["code"] for i in second["items"]] == ["XK330421001"] and second["next"] is None


def test_an_item_s_guide_has_its_materials_and_an_earlier_version_stays_readable(wendy, c):
    guide = wendy.get(f"/service-items/{c.permit.code}").json()
    assert guide["version"] == 1 and guide["promised_limit"] == 5.0 and guide["statutory_limit"] == 20.0
    assert [(m["name"], m["need"]) for m in guide["materials"]] == [
        ("农村宅基地和建房（规划许可）申请表", MaterialNeed.REQUIRED),
        ("申请人身份证", MaterialNeed.TOLERATED),
        ("四邻意见书", MaterialNeed.CONDITIONAL),
    ]

    draft = new_draft(c.permit, actor=None)
    draft.name = "农村村民宅基地建房审批"
    draft.save()
    draft_read = wendy.get(f"/service-items/{c.permit.code}", version=2)
    assert draft_read.status_code == 404  # a draft is not published
    publish(draft, actor=None)

    assert wendy.get(f"/service-items/{c.permit.code}").json()["name"] == "农村村民宅基地建房审批"
    earlier = wendy.get(f"/service-items/{c.permit.code}", version=1).json()
    assert (
        earlier["version"] == 1 and earlier["name"] == "农村宅基地建房审批" and len(earlier["materials"]) == 3
    )
    missing = wendy.get("/service-items/XK999")
    assert missing.status_code == 404 and missing.json()["code"] == "item_not_found"


# -- taking it in, and every step by its endpoint -----------------------------------------------------------


def test_a_missing_material_gives_the_one_time_notice_and_the_application_runs_to_its_rectification(wendy, c):
    body = applied(wendy, c, materials_received=[material(c, 1)])
    assert body["status"] == Status.CORRECTING
    (notice,) = body["notices"]
    assert [i["name"] for i in notice["items"]] == ["申请人身份证"]  # the conditional one is not asked for
    assert body["due_at"] is None  # the clock waits for the applicant
    assert body["applicant"] == {
        "kind": "person",
        "name": "沈国强",
        "phone": "13900001111",
        "id_number": "11010519491231002X",
        "masked": False,
    }
    assert "supply" in body["allowed_actions"] and "decide" not in body["allowed_actions"]
    app_id = body["id"]

    supplied = wendy.ok(app_id, "supply", in_person=True)
    assert supplied["status"] == Status.PROCESSING and supplied["due_at"] is not None
    assert wendy.ok(app_id, "decide", result="granted")["status"] == Status.DECIDED
    delivered = wendy.ok(app_id, "deliver", method="window")
    assert delivered["status"] == Status.DELIVERED
    assert [v["kind"] for v in delivered["visit_log"]] == ["apply", "supply", "collect"]
    assert delivered["visits"] == 3  # collecting the result at the window is a run too
    assert [h["action"] for h in delivered["history"]] == [
        "apply",
        "request_correction",
        "supply",
        "decide",
        "deliver",
    ]

    rated = wendy.ok(app_id, "rate", grade=2, channel="phone", comment="等了很久")
    assert rated["rating"]["grade"] == 2 and "rate" not in rated["allowed_actions"]
    rectification = rated["rectification"]
    assert rectification["status"] == "open" and rectification["allowed_actions"] == ["contact"]
    path = f"/rectifications/{rectification['id']}"
    assert wendy.post(f"{path}/contact", {"note": "已电话回访"}).status_code == 200
    assert wendy.post(f"{path}/rectify", {"measures": "增设叫号提醒"}).status_code == 200
    closed = wendy.post(f"{path}/review", {"review": "satisfied"}, if_match="3").json()
    assert closed["rectification"]["status"] == "closed"
    assert closed["history"][-1]["action"] == "rectification.review"


def test_a_village_agent_forwards_and_the_window_receives_through_the_api(world, wendy, c):
    bob = Caller(world.bob)
    response = bob.post(
        "/applications/forward",
        {
            "item": c.service.code,
            "applicant_name": "陆阿婆",
            "entrustment": "委托书 2026-017",
            "materials_received": [c.service.materials.get().pk],
        },
    )
    assert response.status_code == 201, response.json()
    forwarded = response.json()
    assert forwarded["status"] == Status.FORWARDED and forwarded["agent"] == "李建国"
    assert forwarded["applicant"]["masked"] is True  # the agent is not the window

    received = wendy.ok(forwarded["id"], "receive", window_id=c.window_1.pk)
    assert received["status"] == Status.RECEIVED and received["first_clerk"] == "吴文婷"
    assert wendy.ok(forwarded["id"], "accept")["status"] == Status.PROCESSING


def test_every_step_of_the_table_is_an_endpoint_in_the_committed_document():
    assert {s.action for s in APPLICATION_FLOW.steps} == set(APPLICATION.actions)
    assert {s.action for s in RECTIFICATION_FLOW.steps} == set(RECTIFICATION.actions)
    document = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    for action in APPLICATION.actions:
        path = reverse(f"api:application_{action}", kwargs={"application_id": 7})
        assert path == f"/api/v1/applications/7/{action}"
        assert document["paths"][f"/api/v1/applications/{{application_id}}/{action}"]["post"][
            "operationId"
        ] == (f"application_{action}")
    for action in RECTIFICATION.actions:
        assert f"/api/v1/rectifications/{{rectification_id}}/{action}" in document["paths"]


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in get_args(annotation) for m in _models(arg)]


def test_no_two_schemas_of_the_api_share_a_name_in_the_document():
    """The document keys schemas by class name: a second `NoteIn` would silently replace the first."""
    from config.api import api

    seen: dict[str, set[str]] = defaultdict(set)
    todo: list[type[BaseModel]] = []
    for _, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                models = [*operation.models, *operation.response_models.values()]
                for model in filter(None, models):  # a response without a body has no model
                    for field in model.model_fields.values():
                        todo += _models(field.annotation)
    done: set[type[BaseModel]] = set()
    while todo:
        model = todo.pop()
        if model in done:
            continue
        done.add(model)
        seen[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
        for field in model.model_fields.values():
            todo += _models(field.annotation)
    assert {name: paths for name, paths in seen.items() if len(paths) > 1} == {}


# -- scope and personal data --------------------------------------------------------------------------------


def test_a_clerk_of_another_township_sees_nothing_of_ours(world, wendy, c):
    app_id = applied(wendy, c)["id"]
    yvonne = Caller(other_township_clerk(world))

    assert yvonne.get("/applications").json() == {"items": [], "next": None}
    assert yvonne.get(f"/applications/{app_id}").status_code == 404
    refused = yvonne.act(app_id, "decide", result="granted")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert unchanged(app_id, 2)
    assert [i["id"] for i in wendy.get("/applications").json()["items"]] == [app_id]


def test_a_leader_sees_the_applicant_masked_and_the_clerk_s_full_read_is_audited(world, wendy, c):
    app_id = applied(wendy, c)["id"]
    leo = Caller(make_person("leo", "郑国强", Role.LEADER, division=world.township))
    reads = AuditEntry.objects.filter(action="personal_data.read")
    before = reads.count()

    masked = leo.get(f"/applications/{app_id}").json()["applicant"]
    assert masked == {
        "kind": "person",
        "name": "沈*强",
        "phone": "139****1111",
        "id_number": "110***********002X",
        "masked": True,
    }
    (listed,) = leo.get("/applications").json()["items"]
    assert listed["applicant"]["masked"] is True and listed["applicant"]["name"] == "沈*强"
    assert reads.count() == before  # a masked read is not a read of personal data

    assert wendy.get(f"/applications/{app_id}").json()["applicant"]["name"] == "沈国强"
    entry = reads.latest("id")
    assert entry.actor_id == c.wendy.pk and entry.object_id == str(app_id)
    assert entry.detail["purpose"] == "api.applications.detail"
    assert wendy.get("/applications").json()["items"][0]["applicant"]["phone"] == "13900001111"
    assert reads.latest("id").detail["purpose"] == "api.applications.list"


def test_a_unit_that_transfers_it_away_sees_the_state_it_left_then_loses_it(world, wendy, c):
    app_id = wendy.ok(applied(wendy, c)["id"], "transfer", unit_id=world.agency.pk)["id"]
    dora = Caller(world.dora)  # staff of the agency now handling it
    assert dora.get(f"/applications/{app_id}").json()["applicant"]["masked"] is True

    left = dora.ok(app_id, "transfer", unit_id=world.command_room.pk)

    assert left["handling_unit"] == {"id": world.command_room.pk, "name": "西塘镇综合信息指挥室"}
    assert left["applicant"]["masked"] is True and left["allowed_actions"] == []
    assert dora.get(f"/applications/{app_id}").status_code == 404


def test_the_list_filters_and_pages_in_a_fixed_number_of_queries(wendy, c):
    def list_queries(**params: Any) -> tuple[int, dict[str, Any]]:
        with CaptureQueriesContext(connection) as captured:
            response = wendy.get("/applications", **params)
        assert response.status_code == 200, response.json()
        return len(captured), response.json()

    first = applied(wendy, c)["id"]
    one, _ = list_queries()
    ids = [first] + [applied(wendy, c, applicant_name=f"申请人{n}")["id"] for n in range(4)]
    five, page = list_queries()
    assert five == one and [i["id"] for i in page["items"]] == ids[::-1]

    _, correcting = list_queries(status="correcting")
    assert correcting["items"] == []
    _, processing = list_queries(status="processing,correcting", item=c.permit.code, region="330421102")
    assert len(processing["items"]) == 5
    assert list_queries(region="330421103")[1]["items"] == []
    assert list_queries(late="true")[1]["items"] == []

    _, head = list_queries(limit=2)
    _, rest = list_queries(limit=2, cursor=head["next"])
    assert [i["id"] for i in head["items"] + rest["items"]] == ids[::-1][:4]
    bad = wendy.get("/applications", cursor="nonsense")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    unknown = wendy.get("/applications", status="approved")
    assert unknown.status_code == 422 and "status" in unknown.json()["details"]


# -- refusals -----------------------------------------------------------------------------------------------


def test_a_step_in_the_wrong_state_is_409_invalid_transition_and_changes_nothing(wendy, c):
    app_id = applied(wendy, c)["id"]

    refused = wendy.act(app_id, "deliver", method="window")

    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert refused.json()["message"] == "办件当前状态为“办理中”，不能执行“送达”"
    assert unchanged(app_id, 2)


def test_a_step_against_an_old_version_is_409_stale_and_of_two_the_first_wins(wendy, c):
    app_id = applied(wendy, c)["id"]  # version 2: applied and accepted
    will = Caller(c.will)

    stale = wendy.post(f"/applications/{app_id}/suspend", {"kind": "hearing", "reason": "听证"}, if_match="1")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_application" and stale.json()["details"]["version"] == 2
    assert unchanged(app_id, 2)

    first = wendy.post(f"/applications/{app_id}/decide", {"result": "granted"}, if_match='"2"')
    second = will.post(f"/applications/{app_id}/decide", {"result": "refused"}, if_match='"2"')
    assert first.status_code == 200 and first.json()["version"] == 3
    assert second.status_code == 409 and second.json()["code"] == "stale_application"
    assert Application.objects.get(pk=app_id).result == "granted" and unchanged(app_id, 3)


def test_a_bad_body_is_422_with_the_fields_named(wendy, c):
    app_id = applied(wendy, c)["id"]

    wrong = wendy.act(app_id, "decide", result="maybe")
    assert wrong.status_code == 422 and wrong.json()["code"] == "invalid_input"
    assert [e["loc"][-1] for e in wrong.json()["details"]] == ["result"]
    empty = wendy.act(app_id, "request_correction", items=[])
    assert empty.status_code == 422 and empty.json()["details"][0]["loc"][-1] == "items"
    assert unchanged(app_id, 2)

    invalid_id = apply(wendy, c, applicant_id_number="110105194912310021")
    assert invalid_id.status_code == 422 and invalid_id.json()["code"] == "invalid_applicant"
    assert invalid_id.json()["details"] == {"applicant_id_number": "身份证号码校验不通过"}
    not_tolerated = apply(wendy, c, materials_received=[], materials_pending=[material(c, 1)])
    assert not_tolerated.status_code == 422 and not_tolerated.json()["code"] == "material_not_tolerated"
    assert Application.objects.count() == 1


def test_someone_the_table_does_not_name_is_refused_with_403(world, wendy, c):
    app_id = applied(wendy, c)["id"]
    leo = Caller(make_person("leo", "郑国强", Role.LEADER, division=world.township))

    refused = leo.act(app_id, "decide", result="granted")

    assert refused.status_code == 403 and refused.json()["code"] == "not_permitted"
    assert leo.post("/applications", {"item": c.permit.code, "applicant_name": "某"}).status_code == 403
    assert unchanged(app_id, 2)


def test_without_a_token_or_session_everything_is_401(wendy, c):
    app_id = applied(wendy, c)["id"]
    anonymous = Client()
    for response in (
        anonymous.get("/api/v1/service-items"),
        anonymous.get("/api/v1/applications"),
        anonymous.get(f"/api/v1/applications/{app_id}"),
        anonymous.post(f"/api/v1/applications/{app_id}/decide", {"result": "granted"}, "application/json"),
        Client(headers={"Authorization": "Bearer not-a-token"}).get("/api/v1/applications"),
    ):
        assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    assert unchanged(app_id, 2)
