"""Bad input at the edge answers in the API's or Open311's error shape, never a 5xx or Django's HTML page."""

import pytest
from django.test import Client

from grassroots.people.services import api_token_create

BEYOND_INT64 = str(2**63)
FAR_BEYOND = str(2**70)


@pytest.fixture
def api(world):
    _, key = api_token_create(actor=None, person=world.oscar, name="edge")
    return Client(headers={"Authorization": f"Bearer {key}"})


def assert_api_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["code"], str) and isinstance(body["message"], str)
    return body


@pytest.mark.parametrize("number", [BEYOND_INT64, FAR_BEYOND, "-" + FAR_BEYOND])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/enforcement-cases?unit={n}",
        "/api/v1/enforcement-cases?officer={n}",
        "/api/v1/people?unit={n}",
        "/api/v1/people/{n}",
        "/api/v1/events/{n}",
        "/api/v1/events/{n}/attachments/{n}",
        "/api/v1/applications/{n}",
        "/api/v1/enterprises/{n}",
        "/api/v1/meetings/{n}",
    ],
)
def test_integers_past_64_bits_in_filters_and_ids_are_refused_in_shape(api, path, number):
    response = api.get(path.format(n=number))
    # SQLite cannot bind such a number (the edge answers 422); PostgreSQL compares it and finds nothing.
    assert response.status_code in {200, 404, 422}, response.content[:300]
    if response.status_code == 200:
        assert response.json()["items"] == []
    else:
        assert_api_error(response, response.status_code)


def test_an_id_list_past_64_bits_is_refused_in_shape(api, world):
    body = {"name": "x", "unit_ids": [int(FAR_BEYOND)], "item_ids": [2**63]}
    response = api.post("/api/v1/inspection-draws", body, content_type="application/json")
    assert response.status_code < 500
    assert_api_error(response, response.status_code)


@pytest.mark.parametrize(
    "date", ["9999-12-31", "0001-01-01", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00"]
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_dates_at_the_ends_of_the_calendar_are_refused_in_its_shape(world, date, fmt):
    for params in ({"start_date": date}, {"end_date": date}, {"start_date": date, "end_date": date}):
        response = Client().get(f"/open311/v2/requests.{fmt}", params)
        assert response.status_code == 400, response.content[:300]
        if fmt == "json":
            assert response.json()[0]["code"] == 400
        else:
            assert b"<errors>" in response.content


def test_a_multipart_body_without_a_boundary_is_refused_in_the_api_shape(api):
    response = api.post("/api/v1/events", b"--x\r\nfoo\r\n", content_type="multipart/form-data")
    assert_api_error(response, 400)


def test_a_multipart_body_without_a_boundary_is_refused_in_open311_shape(world):
    response = Client().post("/open311/v2/requests.json", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_an_over_large_body_is_refused_from_its_length_before_it_is_read(api, settings):
    settings.REQUEST_MAX_BYTES = 1024
    # The declared length is far past the limit and the body is never sent: reading it would hang or fail.
    response = api.generic(
        "POST", "/api/v1/events", b"", content_type="application/json", CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    body = assert_api_error(response, 413)
    assert body["code"] == "request_too_large"


def test_an_over_large_body_is_refused_in_open311_shape(world, settings):
    settings.REQUEST_MAX_BYTES = 1024
    response = Client().generic("POST", "/open311/v2/requests.xml", b"x" * 2048, content_type="text/plain")
    assert response.status_code == 413
    assert b"<errors>" in response.content


def test_a_method_the_api_does_not_serve_answers_in_its_shape(api):
    response = api.put("/api/v1/events", b"{}", content_type="application/json")
    body = assert_api_error(response, 405)
    assert body["code"] == "method_not_allowed"


def test_every_operation_documents_the_edge_statuses():
    from config.api import api as ninja_api

    for operations in ninja_api.get_openapi_schema()["paths"].values():
        for operation in operations.values():
            assert {"400", "413"} <= {str(s) for s in operation["responses"]}
