"""A new step is one row: declared with its schema, summary and service call, it answers over HTTP and appears in the
OpenAPI document, with its body read as JSON or as a form and the record loaded the resource's way."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.http import Http404, HttpRequest
from django.test import Client, RequestFactory
from django.urls import path
from ninja import NinjaAPI, Router, Schema

from grassroots.core.errors import Conflict
from grassroots.workflow.declaration import StepDecl, Workflow, move
from grassroots.workflow.endpoints import Resource, add_step_endpoints


@dataclass
class Parcel:
    """A toy record: what a workflow's model would be."""

    pk: int
    version: int = 1
    status: str = "waiting"
    notes: list[str] = field(default_factory=list)


class NoteIn(Schema):
    note: str = ""


class WeighIn(Schema):
    grams: int


PARCELS: dict[int, Parcel] = {}


def load(request: HttpRequest, parcel_id: int, if_match: str | None) -> Parcel:
    parcel = PARCELS.get(parcel_id)
    if parcel is None:
        raise Http404
    if if_match is not None and int(if_match) != parcel.version:
        raise Conflict("版本已变化", code="stale_parcel")
    return parcel


def answer(request: HttpRequest, parcel: Parcel, action: str) -> dict[str, Any]:
    return {"id": parcel.pk, "status": parcel.status, "notes": parcel.notes, "action": action}


def deliver(actor: Any, parcel: Parcel, payload: NoteIn, files: list[Any]) -> None:
    parcel.status = "delivered"
    parcel.version += 1
    parcel.notes.append(payload.note)


def build_api() -> NinjaAPI:
    router = Router()
    resource = Resource(
        id_name="parcel_id",
        prefix="parcel",
        actor=lambda request: None,
        load=load,
        answer=answer,
        response={200: dict[str, Any]},
    )
    workflow = Workflow(
        name="parcel",
        state_label=str,
        action_labels={"deliver": "投递", "weigh": "称重"},
        moves=[
            move("deliver", {"waiting"}, "delivered", "courier"),
            move("weigh", {"waiting"}, None, "courier"),
        ],
        steps=[
            StepDecl("deliver", NoteIn, "投递（投递员）", deliver),
            StepDecl(
                "weigh",
                WeighIn,
                "称重",
                lambda a, p, body, f: p.notes.append(f"{body.grams} g"),
                multipart=True,
            ),
        ],
    )
    add_step_endpoints(router, resource, workflow)
    api = NinjaAPI(urls_namespace="parcels")
    api.add_router("/parcels", router)
    return api


API = build_api()
urlpatterns = [path("api/", API.urls)]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def api() -> NinjaAPI:
    PARCELS.clear()
    PARCELS[7] = Parcel(pk=7)
    return API


def call(api: NinjaAPI, path: str, *, json: Any = None, data: Any = None) -> Any:
    client = Client()
    if json is not None:
        return client.post(f"/api{path}", json, content_type="application/json")
    return client.post(f"/api{path}", data)


def test_each_declared_step_is_an_endpoint_in_the_openapi_document(api):
    paths = api.get_openapi_schema()["paths"]
    assert set(paths) == {"/api/parcels/{parcel_id}/deliver", "/api/parcels/{parcel_id}/weigh"}
    deliver_doc = paths["/api/parcels/{parcel_id}/deliver"]["post"]
    assert deliver_doc["operationId"] == "parcel_deliver"
    assert deliver_doc["summary"] == "投递（投递员）"
    assert deliver_doc["requestBody"]["required"] is False  # every field has a default
    header = next(p for p in deliver_doc["parameters"] if p["in"] == "header")
    assert header["name"] == "If-Match"
    weigh_doc = paths["/api/parcels/{parcel_id}/weigh"]["post"]
    assert weigh_doc["requestBody"]["required"] is True
    assert "multipart/form-data" in weigh_doc["requestBody"]["content"]


def test_a_step_runs_its_call_and_answers_the_resource_s_way(api):
    response = call(api, "/parcels/7/deliver", json={"note": "放在门卫室"})
    assert response.status_code == 200
    assert response.json() == {"id": 7, "status": "delivered", "notes": ["放在门卫室"], "action": "deliver"}


def test_a_form_body_reaches_the_step_as_the_same_fields(api):
    response = call(api, "/parcels/7/weigh", data={"grams": "350"})
    assert response.status_code == 200
    assert PARCELS[7].notes == ["350 g"]


def test_a_missing_field_is_refused_before_the_step_runs(api):
    response = call(api, "/parcels/7/weigh", json={})
    assert response.status_code == 422
    assert PARCELS[7].notes == []


def test_a_stale_if_match_is_refused_by_the_resource_s_loader(api):
    with pytest.raises(Conflict):
        load(RequestFactory().post("/"), 7, "3")
    assert PARCELS[7].status == "waiting"
