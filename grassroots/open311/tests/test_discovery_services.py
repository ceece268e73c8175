"""Discovery, the service list and service definitions, in XML and JSON, and the errors around them."""

import pytest

from grassroots.events.models import EventType
from grassroots.open311.models import ServiceAttribute

from .conftest import BASE, Answer

pytestmark = pytest.mark.django_db
FORMATS = ["xml", "json"]
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_the_v2_endpoint_with_both_formats(api, fmt):
    answer = api.get("discovery", fmt)
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPES[fmt]
    if fmt == "json":
        body = answer.body
        assert isinstance(body, dict)
        endpoint = body["endpoints"][0]
        assert endpoint["formats"] == ["text/xml", "application/json"]
    else:
        assert answer.body.tag == "discovery"
        endpoint_el = answer.body.find("endpoints/endpoint")
        assert [f.text for f in endpoint_el.find("formats")] == ["text/xml", "application/json"]
        endpoint = {child.tag: child.text for child in endpoint_el if child.tag != "formats"}
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["changeset"].endswith("+08:00")


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_are_the_public_active_leaf_types_grouped_by_platform(api, fmt):
    EventType.objects.filter(code="ZZ0203").update(is_public=False)
    EventType.objects.filter(code="ZZ0202").update(is_active=False)
    EventType.objects.filter(parent__code="SC02").update(is_active=False)  # a class left without subclasses
    answer = api.get("services", fmt)
    assert answer.status == 200
    assert answer.content_type == CONTENT_TYPES[fmt]
    if fmt == "xml":
        assert answer.body.tag == "services"
        assert {child.tag for child in answer.body} == {"service"}
    services = {row["service_code"]: row for row in answer.rows}
    assert "ZZ0203" not in services and "ZZ0202" not in services
    assert "FW04" not in services and "SC02" not in services  # a major class (大类) is not a service
    road = services["FW0403"]
    assert road["service_name"] == "道路破损"
    assert road["group"] == "便民服务"
    assert road["keywords"] == "路面,坑洼"
    assert road["type"] == "realtime"
    assert road["metadata"] in (True, "true")
    assert services["FW0402"]["metadata"] in (False, "false")
    expected = set(
        EventType.objects.filter(parent__isnull=False, is_public=True, is_active=True).values_list(
            "code", flat=True
        )
    )
    assert set(services) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_lists_its_attributes_and_values(api, fmt):
    answer = api.get("services/FW0403", fmt)
    assert answer.status == 200
    if fmt == "json":
        body = answer.body
        assert body["service_code"] == "FW0403"
        size = body["attributes"][0]
        assert size == {
            "variable": True,
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "选择一项",
            "order": 1,
            "description": "破损面积",
            "values": [
                {"key": "small", "name": "小于 1 平方米"},
                {"key": "medium", "name": "1–5 平方米"},
                {"key": "large", "name": "大于 5 平方米"},
            ],
        }
    else:
        assert answer.body.tag == "service_definition"
        assert answer.body.findtext("service_code") == "FW0403"
        size = answer.body.find("attributes/attribute")
        assert size.findtext("code") == "size"
        assert size.findtext("variable") == "true"
        assert size.findtext("required") == "true"
        assert size.findtext("order") == "1"
        assert [v.findtext("key") for v in size.findall("values/value")] == ["small", "medium", "large"]


def test_the_seeded_attributes_cover_all_six_datatypes(db):
    datatypes = set(ServiceAttribute.objects.values_list("datatype", flat=True))
    assert datatypes == {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_is_404_with_the_error_list(api, fmt):
    answer = api.get("services/NOPE01", fmt)
    assert answer.status == 404
    assert answer.content_type == CONTENT_TYPES[fmt]
    assert answer.errors[0]["code"] in (404, "404")
    assert "NOPE01" in answer.errors[0]["description"]
    if fmt == "xml":
        assert answer.body.tag == "errors"
        assert answer.body[0].tag == "error"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_major_class_or_a_private_type_is_not_a_service(api, fmt):
    EventType.objects.filter(code="ZZ0203").update(is_public=False)
    assert api.get("services/FW04", fmt).status == 404
    assert api.get("services/ZZ0203", fmt).status == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_district_code_and_the_configured_jurisdiction_are_accepted(api, settings, fmt):
    assert api.get("services", fmt, jurisdiction_id="330421").status == 200
    assert api.get("services", fmt, jurisdiction_id="").status == 200  # empty is the same as missing
    settings.OPEN311_JURISDICTION = "jiashan.gov.cn"
    assert api.get("services", fmt, jurisdiction_id="jiashan.gov.cn").status == 200
    assert api.get("services/FW0403", fmt, jurisdiction_id="jiashan.gov.cn").status == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_jurisdiction_is_404_everywhere(api, fmt):
    number = api.file()
    for path in ["services", "services/FW0403", "requests", f"requests/{number}", "servicerequestupdates"]:
        answer = api.get(path, fmt, jurisdiction_id="110101")
        assert answer.status == 404, path
        assert "110101" in answer.errors[0]["description"]
    assert (
        api.post(
            fmt, jurisdiction_id="somewhere", service_code="FW0402", **{"lat": "30.945", "long": "120.885"}
        ).status
        == 404
    )


def test_an_unsupported_format_is_400_in_xml(api):
    response = api.http.get(f"{BASE}/services.html")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert Answer.of(response, "xml").errors[0]["code"] == "400"


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_endpoint_is_404_in_the_asked_format(api, fmt):
    response = api.http.get(f"{BASE}/nothing.{fmt}")
    assert response.status_code == 404
    assert response["Content-Type"] == CONTENT_TYPES[fmt]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_is_400_and_says_what_is_allowed(api, fmt):
    response = api.http.post(f"{BASE}/services.{fmt}", {})
    assert response.status_code == 400
    assert response["Allow"] == "GET"
    assert Answer.of(response, fmt).errors
