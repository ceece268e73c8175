"""A new step of the loop is one row of the table and one declaration, with no service of its own (the generic
write): it appears in the OpenAPI document and answers over HTTP, leaves its history and audit rows, and shows on
the event page as a form for exactly the people its row names."""

import dataclasses
import json
from typing import Any

import pytest
from django.urls import include, path
from ninja import NinjaAPI, Router

from grassroots.audit.models import AuditEntry
from grassroots.core.api_auth import API_AUTH
from grassroots.core.errors import Forbidden
from grassroots.events import rules, step_forms, steps
from grassroots.events.api.steps import RESOURCE
from grassroots.events.choices import OPEN_STATUSES, Status
from grassroots.events.models import Event, Transition
from grassroots.events.schemas import NoteIn
from grassroots.workflow.declaration import StepDecl, move
from grassroots.workflow.endpoints import add_step_endpoints
from grassroots.workflow.forms import step_form

from .views_support import report

# The whole of the new step: a row of the table and its declaration.
ROW = move("annotate", OPEN_STATUSES, None, rules.Actor.COMMAND)
DECL = StepDecl("annotate", NoteIn, "批注（指挥室）")


def _api() -> NinjaAPI:
    """The step's endpoint on an API of its own (the product's is built once, at start)."""
    router = Router()
    workflow = dataclasses.replace(steps.EVENT_LOOP, moves=[*steps.EVENT_LOOP.moves, ROW], steps=[DECL])
    add_step_endpoints(router, RESOURCE, workflow)
    api = NinjaAPI(urls_namespace="annotate_api", auth=API_AUTH)
    api.add_router("/events", router)
    return api


API = _api()
urlpatterns = [path("api/v1/", API.urls), path("", include("config.urls"))]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def annotate(monkeypatch: Any) -> None:
    monkeypatch.setitem(rules.ACTION_LABELS, "annotate", "批注")
    loop = dataclasses.replace(rules.LOOP, moves=[*rules.LOOP.moves, ROW])
    monkeypatch.setattr(rules, "LOOP", loop)
    monkeypatch.setattr(
        steps,
        "EVENT_LOOP",
        dataclasses.replace(steps.EVENT_LOOP, moves=loop.moves, steps=[*steps.STEPS, DECL]),
    )
    monkeypatch.setitem(steps.ACTION_FORMS, "annotate", step_form(DECL, step_forms.ActionForm))


def test_the_step_is_in_the_openapi_document_with_its_schema_and_summary():
    paths = API.get_openapi_schema()["paths"]
    doc = paths["/api/v1/events/{event_id}/annotate"]["post"]
    assert doc["operationId"] == "event_annotate"
    assert doc["summary"] == "批注（指挥室）"
    body = doc["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/NoteIn"}


def test_the_step_answers_over_http_and_leaves_history_and_audit(world, annotate):
    event = report(world.alice)
    client = world.client_for(world.oscar)
    response = client.post(
        f"/api/v1/events/{event.pk}/annotate",
        json.dumps({"note": "已电话联系反映人"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.REPORTED  # a row without a target keeps the state
    row = Transition.objects.get(event=event, action="annotate")
    assert (row.actor, row.note, row.from_status, row.to_status) == (
        world.oscar,
        "已电话联系反映人",
        "reported",
        "reported",
    )
    assert AuditEntry.objects.filter(action="event.annotate", object_id=str(event.pk)).count() == 1
    assert Event.objects.get(pk=event.pk).version == event.version + 1


def test_the_table_decides_who_may_take_it(world, annotate):
    event = report(world.alice)
    with pytest.raises(Forbidden) as refused:
        steps.EVENT_LOOP.perform("annotate", world.alice, event, NoteIn(note="x"), [])
    assert refused.value.code == "not_permitted"
    assert not Transition.objects.filter(event=event, action="annotate").exists()


def test_the_page_offers_it_to_the_command_room_only_and_takes_it(world, annotate):
    event = report(world.alice)
    page = world.client_for(world.oscar).get(f"/command/events/{event.pk}/")
    assert "annotate" in [form.action for form in page.context["forms"]]
    assert 'id="action-annotate"' in page.content.decode()
    grid_page = world.client_for(world.alice).get(f"/command/events/{event.pk}/")
    assert "annotate" not in [form.action for form in grid_page.context["forms"]]

    response = world.client_for(world.oscar).post(
        f"/command/events/{event.pk}/act/annotate/", {"version": event.version, "note": "现场已拍照"}
    )
    assert response.status_code == 302
    assert Transition.objects.get(event=event, action="annotate").note == "现场已拍照"
