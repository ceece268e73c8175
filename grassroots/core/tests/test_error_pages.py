"""Error pages as production serves them (DEBUG off): Chinese pages for people, the APIs' own shapes for programs."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

import config.urls

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


# The project's URLs with two pages that fail, and the project's handlers.
urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("forbidden/", forbidden),
    *config.urls.urlpatterns,
]
handler400 = config.urls.handler400
handler403 = config.urls.handler403
handler404 = config.urls.handler404
handler500 = config.urls.handler500


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def _page(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def test_a_missing_page_is_a_chinese_page_with_a_way_home(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = _page(response)
    assert "页面不存在" in page and 'href="/"' in page and "Not Found" not in page
    assert "/no-such-page/" in page  # the address asked for, to check for a typo


def test_a_missing_page_keeps_the_signed_in_persons_top_bar(world):
    page = _page(world.client_for(world.oscar).get("/command/no-such-page/"))
    assert "页面不存在" in page and world.oscar.name in page and "指挥台" in page


def test_the_reason_a_view_gives_in_chinese_is_shown(world):
    response = world.client_for(world.oscar).get("/command/events/999999/")
    assert response.status_code == 404
    assert "事件不存在或不在您的管辖范围内" in _page(response)


def test_a_reason_in_english_is_not_shown(client):
    page = _page(client.get("/no-such-page/"))
    assert "Resolver404" not in page and "tried" not in page


def test_forbidden_is_a_chinese_page():
    response = Client().get("/forbidden/")
    assert response.status_code == 403
    page = _page(response)
    assert "没有权限" in page and 'href="/"' in page and "Forbidden" not in page


def test_a_staff_member_without_the_permission_gets_the_chinese_403_in_the_admin(world):
    world.oscar.is_staff = True
    world.oscar.save(update_fields=["is_staff"])
    response = world.client_for(world.oscar).get("/admin/audit/auditentry/")
    assert response.status_code == 403
    assert "没有权限" in _page(response)


def test_a_bad_request_is_a_chinese_page():
    response = Client().get("/", HTTP_HOST="evil.example")  # not in ALLOWED_HOSTS
    assert response.status_code == 400
    page = _page(response)
    assert "请求无效" in page and "Bad Request" not in page


def test_a_server_error_is_a_chinese_page_that_needs_nothing():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    page = _page(response)
    assert "系统出错" in page and 'href="/"' in page and "Server Error" not in page
    # No context and nothing inline (the CSP forbids it): one static stylesheet of its own.
    assert "<style" not in page and "core-500.css" in page


def test_a_failed_csrf_check_is_a_chinese_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.oscar)
    response = client.post("/logout/")
    assert response.status_code == 403
    page = _page(response)
    assert "页面已过期" in page and "CSRF verification failed" not in page


@pytest.mark.parametrize("url", ["/api/v1/no-such-endpoint", "/api/nothing"])
def test_the_api_answers_its_own_json_shape_for_a_missing_endpoint(url):
    response = Client().get(url)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "not_found"


def test_the_api_answers_its_own_json_shape_for_a_server_error():
    response = Client(raise_request_exception=False).get("/api/boom/")
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


def test_the_api_still_answers_its_own_404_for_an_object_out_of_reach(world):
    response = world.client_for(world.oscar).get("/api/v1/events/999999")
    assert response.status_code == 404
    assert json.loads(response.content)["code"] == "not_found"


def test_open311_answers_its_xml_error_list_for_a_missing_address():
    response = Client().get("/open311/nothing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/xml")
    assert b"<errors>" in response.content
    json_response = Client().get("/open311/v1/requests.json")
    assert json_response.status_code == 404 and json.loads(json_response.content)[0]["code"] == 404


def test_open311_unknown_v2_endpoints_keep_their_own_answer():
    response = Client().get("/open311/v2/nothing.json")
    assert response.status_code == 404
    assert json.loads(response.content)[0]["code"] == 404
