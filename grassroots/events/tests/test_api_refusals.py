"""Refusals keep the event as it was: 409 wrong state or stale version, 403 wrong person, 404 out of scope,
422 bad input. Also: idempotent reports and the checks on uploaded files."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.events.choices import AttachmentKind
from grassroots.events.models import Event, Transition
from grassroots.events.uploads import MAX_BYTES

from .api_support import Api, Cast, cast_of, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: Any, settings: Any, tmp_path: Any) -> Api:
    settings.MEDIA_ROOT = tmp_path
    return Api(world)


@pytest.fixture
def cast(world: Any) -> Cast:
    return cast_of(world)


def unchanged(event_id: int, version: int) -> bool:
    event = Event.objects.get(pk=event_id)
    return event.version == version and Transition.objects.filter(event=event).count() == version


def test_a_step_in_the_wrong_state_is_refused_with_409_and_changes_nothing(api, world):
    event_id = api.reported(world.alice)

    response = api.act(world.oscar, event_id, "dispatch", lead_unit_id=world.agency.pk)

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["message"] == "事件当前状态为“已上报”，不能执行“派遣”"
    assert unchanged(event_id, 1)


def test_a_step_against_a_version_the_client_no_longer_has_is_refused_as_stale(api, world):
    event_id = api.reported(world.alice)

    stale = api.act(world.oscar, event_id, "register", headers={"If-Match": "0"})
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_event"
    assert stale.json()["details"]["version"] == 1
    assert unchanged(event_id, 1)

    fresh = api.act(world.oscar, event_id, "register", headers={"If-Match": '"1"'})
    assert fresh.status_code == 200
    assert fresh.json()["version"] == 2


def test_a_step_by_someone_the_table_does_not_name_is_refused_with_403(api, world, cast):
    event_id = api.reported(world.alice)

    response = api.act(world.alice, event_id, "register")

    assert response.status_code == 403
    assert response.json()["code"] == "not_permitted"
    assert response.json()["message"] == "您无权对此事件执行“立案”"
    assert unchanged(event_id, 1)
    api.ok(world.oscar, event_id, "register")
    assert api.act(world.alice, event_id, "dispatch", lead_unit_id=world.agency.pk).status_code == 403
    assert api.act(world.bob, event_id, "dispatch", lead_unit_id=world.agency.pk).status_code == 403
    assert unchanged(event_id, 2)


def test_an_event_outside_the_callers_scope_answers_404_as_if_absent(api, world):
    event_id = api.reported(world.alice)

    assert api.client(world.carol).get(f"/api/v1/events/{event_id}").status_code == 404
    response = api.act(world.carol, event_id, "register")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert (
        api.client(world.dora).get(f"/api/v1/events/{event_id}").status_code == 404
    )  # not dispatched to her
    assert api.client(world.oscar).get("/api/v1/events/999999").status_code == 404
    assert unchanged(event_id, 1)


def test_malformed_input_is_refused_with_422_and_the_fields_named(api, world):
    event_id = api.reported(world.alice)

    blank = api.act(world.oscar, event_id, "void", reason="   ")
    assert blank.status_code == 422
    assert blank.json()["details"] == {"reason": "必填"}
    assert unchanged(event_id, 1)

    api.ok(world.oscar, event_id, "register")
    missing = api.act(world.oscar, event_id, "dispatch", mode="assigned")
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid_input"
    assert any("lead_unit_id" in error["loc"] for error in missing.json()["details"])

    unknown_unit = api.act(world.oscar, event_id, "dispatch", lead_unit_id=987654)
    assert unknown_unit.status_code == 422
    assert unknown_unit.json()["details"] == {"units": [987654]}
    assert unchanged(event_id, 2)

    assert api.report(world.alice, event_type="NOPE").json()["details"] == {"event_type": "未知分类 NOPE"}
    no_place = api.report(world.alice, lon=None, lat=None, address="")
    assert no_place.status_code == 422
    assert no_place.json()["details"] == {"location": "请提供位置（经纬度）或地址"}


def test_the_same_idempotency_key_twice_creates_one_event(api, world):
    headers = {"Idempotency-Key": "phone-7f3a-0001"}

    first = api.report(world.alice, headers=headers)
    again = api.report(world.alice, headers=headers)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["event"]["id"] == first.json()["event"]["id"]
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    assert Event.objects.count() == 1


def test_the_idempotency_key_may_also_travel_in_the_body(api, world):
    first = api.report(world.alice, idempotency_key="form-0001")
    again = api.report(world.alice, idempotency_key="form-0001", files=[])

    assert (first.status_code, again.status_code) == (201, 200)
    assert Event.objects.count() == 1
    clash = api.report(world.alice, idempotency_key="a", headers={"Idempotency-Key": "b"})
    assert clash.status_code == 422


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(api, world):
    fake = SimpleUploadedFile("现场.jpg", b"MZ\x90\x00 this is an executable", content_type="image/jpeg")

    response = api.report(world.alice, files=[png(), fake])

    assert response.status_code == 422
    assert response.json()["code"] == "unsupported_file_type"
    assert Event.objects.count() == 0


def test_an_oversized_photo_is_refused(api, world):
    big = SimpleUploadedFile(
        "大图.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * MAX_BYTES[AttachmentKind.PHOTO], content_type="image/jpeg"
    )

    response = api.report(world.alice, files=[big])

    assert response.status_code == 422
    assert response.json()["code"] == "file_too_large"
    assert Event.objects.count() == 0


def test_self_handling_without_a_photo_is_refused(api, world):
    event_id = api.reported(world.alice, event_type="ZF0101")

    response = api.act(world.alice, event_id, "self_handle", note="已清理")

    assert response.status_code == 422
    assert response.json()["details"] == {"files": "至少一张照片"}
    assert unchanged(event_id, 1)


def test_a_body_that_is_not_json_gets_the_same_error_shape(api, world):
    event_id = api.reported(world.alice)

    response = api.client(world.oscar).post(
        f"/api/v1/events/{event_id}/register", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert unchanged(event_id, 1)


def test_a_browser_session_without_the_csrf_token_is_refused(api, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)

    response = client.post("/api/v1/events", "{}", content_type="application/json")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
