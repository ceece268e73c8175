"""The inspections API as a client speaks it (bearer tokens): arranging, the list in scope with keyset pages, the
detail with what the caller may do now, each step as its own endpoint (multipart with photos for the on-site
record), `If-Match` against a stale version, and the table's refusals as 403/409 with their codes."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.conftest import make_person
from grassroots.demo.photos import sample_jpeg
from grassroots.draws.tests.support import build_office
from grassroots.people.choices import Role
from grassroots.people.services import api_token_create

from ..models import Inspection
from .support import make_entity

pytestmark = pytest.mark.django_db
JPEG = sample_jpeg()


def caller(person: Any) -> Client:
    _, key = api_token_create(actor=None, person=person, name="测试")
    return Client(headers={"Authorization": f"Bearer {key}"})


def post(client: Client, path: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def office(world: Any) -> Any:
    return build_office(world)


def test_arrange_list_read_and_record_with_photos(world, office):
    entity = make_entity(world, 1)
    dora, inspector = caller(office.dora), office.inspectors[0].person
    body = {
        "entity_id": entity.pk,
        "kind": "routine",
        "inspector_ids": [inspector.pk, office.inspectors[1].person.pk],
        "item_ids": [office.item.pk],
    }
    made = post(dora, "/inspections", body)
    assert made.status_code == 201, made.json()
    inspection_id = made.json()["id"]
    assert made.json()["allowed_actions"] == ["cancel"]  # the office may cancel; only the inspectors record

    mine = caller(inspector)
    listed = mine.get("/api/v1/inspections", {"mine": "true", "status": "assigned"}).json()
    assert [row["id"] for row in listed["items"]] == [inspection_id]
    detail = mine.get(f"/api/v1/inspections/{inspection_id}").json()
    assert detail["allowed_actions"] == ["record"] and detail["entity"]["uscc"] == entity.uscc

    photo = ("现场.jpg", JPEG, "image/jpeg")
    answer = mine.post(
        f"/api/v1/inspections/{inspection_id}/record",
        {
            "conclusion": "problems",
            "findings": json.dumps([{"description": "冷藏柜温度超标"}]),
            "files": [SimpleUploadedFile(*photo)],
        },
        headers={"If-Match": "1"},
    )
    assert answer.status_code == 200, answer.json()
    result = answer.json()
    assert result["status"] == "rectifying" and len(result["findings"]) == 1 and len(result["photos"]) == 1
    assert result["allowed_actions"] == ["recheck", "penalize"]


def test_stale_versions_wrong_people_and_wrong_states_are_refused(world, office):
    entity = make_entity(world, 1)
    made = post(
        caller(office.dora),
        "/inspections",
        {"entity_id": entity.pk, "kind": "routine", "inspector_ids": [office.inspectors[0].person.pk]},
    ).json()
    url = f"/inspections/{made['id']}/record"
    inspector = caller(office.inspectors[0].person)
    stale = post(inspector, url, {"conclusion": "compliant"}, **{"If-Match": "7"})
    assert stale.status_code == 409 and stale.json()["code"] == "stale_inspection"
    other = post(caller(office.inspectors[3].person), url, {"conclusion": "compliant"})
    assert other.status_code in (403, 404)
    assert post(inspector, url, {"conclusion": "compliant"}).status_code == 200
    again = post(inspector, url, {"conclusion": "compliant"})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert Inspection.objects.get(pk=made["id"]).version == 2


def test_arranging_is_checked_at_the_edge(world, office):
    entity = make_entity(world, 1)
    dora = caller(office.dora)
    unknown = post(
        dora, "/inspections", {"entity_id": entity.pk, "kind": "routine", "inspector_ids": [99999]}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "inspector_unknown"
    expired = post(
        dora,
        "/inspections",
        {"entity_id": entity.pk, "kind": "routine", "inspector_ids": [office.expired.person_id]},
    )
    assert expired.status_code == 422 and expired.json()["code"] == "inspector_not_certified"
    random = post(
        dora,
        "/inspections",
        {"entity_id": entity.pk, "kind": "random", "inspector_ids": [office.inspectors[0].person_id]},
    )
    assert random.status_code == 422
    outsider = caller(
        make_person("gina", "周敏", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    )
    hidden = post(outsider, "/inspections", {"entity_id": entity.pk, "kind": "routine", "inspector_ids": [1]})
    assert hidden.status_code == 404
    assert not Inspection.objects.exists()
