"""POST requests: a request enters the loop as an event, every refusal as the spec says, idempotent retries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event
from grassroots.open311 import services
from grassroots.open311.models import Open311Request, RateCounter

from .conftest import BASE, IN_GRID_A, Answer, Api, public

pytestmark = pytest.mark.django_db
FORMATS = ["xml", "json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_with_a_point_becomes_an_event_on_its_grid(api, world, fmt):
    answer = api.post(
        fmt,
        service_code="FW0402",
        description="红菱村村口井盖丢了，晚上很危险",
        first_name="三",
        last_name="张",
        phone="13900001111",
        email="zhang@example.com",
        device_id="device-1",
        account_id="acct-9",
        media_url="https://img.example.com/1.jpg",
        **IN_GRID_A,
    )
    assert answer.status == 201
    assert answer.content_type.startswith({"xml": "text/xml", "json": "application/json"}[fmt])
    if fmt == "xml":
        assert answer.body.tag == "service_requests"
        assert answer.body[0].tag == "request"
    [row] = answer.rows
    assert set(row) == {"service_request_id", "service_notice", "account_id"}
    assert row["account_id"] == "acct-9"
    event = Event.objects.get(number=row["service_request_id"])
    assert event.source == Source.OPEN311
    assert event.status == Status.REPORTED
    assert event.grid_id == world.grid_a.pk and event.township_id == world.township.pk
    assert event.holder_unit_id == world.command_room.pk
    assert (event.reporter_name, event.reporter_phone, event.reporter_email) == (
        "张三",
        "13900001111",
        "zhang@example.com",
    )
    assert not event.anonymous
    assert event.created_by_id == api.client.person_id
    public = Open311Request.objects.get(event=event)
    assert (public.client, public.channel, public.device_id, public.account_id) == (
        api.client,
        "api",
        "device-1",
        "acct-9",
    )
    assert public.media_url == "https://img.example.com/1.jpg"
    assert event.transitions.get().action == "report"


def test_an_address_alone_places_the_request_in_the_district(api, world):
    number = api.file(lat=None, long=None, address_string="西塘镇南苑路 12 号对面")
    event = Event.objects.get(number=number)
    assert event.lat is None and event.address == "西塘镇南苑路 12 号对面"
    assert event.region_code == world.district.code
    assert event.anonymous


def test_an_address_id_is_a_grid_code(api, world):
    number = api.file(lat=None, long=None, address_id=world.grid_b.code)
    event = Event.objects.get(number=number)
    assert event.grid_id == world.grid_b.pk
    assert public(event).address_id == world.grid_b.code
    assert api.post(service_code="FW0402", address_id="99999999999999").status == 400


def test_the_api_key_may_come_with_an_empty_jurisdiction(api):
    assert api.post(service_code="FW0402", jurisdiction_id="", **IN_GRID_A).status == 201
    assert api.post(service_code="FW0402", jurisdiction_id="330421", **IN_GRID_A).status == 201


# -- refusals -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_or_bad_api_key_is_403(api, fmt):
    http = Client()
    missing = Answer.of(http.post(f"{BASE}/requests.{fmt}", {"service_code": "FW0402", **IN_GRID_A}), fmt)
    assert missing.status == 403
    assert missing.errors[0]["description"] == "缺少 api_key"
    bad = Api(http=http, key="not-a-key", client=api.client).post(fmt, service_code="FW0402", **IN_GRID_A)
    assert bad.status == 403
    assert "api_key" in bad.errors[0]["description"]
    assert not Event.objects.exists()


def test_a_revoked_key_is_403(api):
    services.open_client_revoke(actor=None, client=api.client)
    assert api.post(service_code="FW0402", **IN_GRID_A).status == 403


def test_a_key_of_another_district_is_403(api, world):
    from grassroots.geo.models import Division

    other = Division.objects.create(code="330402", name="南湖区", level="district", kind="district")
    _, key = services.open_client_create(actor=None, name="南湖 App", district=other)
    other_app = Api(http=Client(), key=key, client=api.client)
    answer = other_app.post(service_code="FW0402", jurisdiction_id="330421", **IN_GRID_A)
    assert answer.status == 403
    assert "嘉善县" in answer.errors[0]["description"]
    # Its own jurisdiction does not cover the point.
    assert other_app.post(service_code="FW0402", jurisdiction_id="330402", **IN_GRID_A).status == 400


def test_bad_keys_are_audited_once_per_address_and_minute(api):
    bad = Api(http=Client(), key="nope", client=api.client)
    for _ in range(3):
        assert bad.post(service_code="FW0402", **IN_GRID_A).status == 403
    denied = AuditEntry.objects.filter(action="open311.authenticate", result="denied")
    assert denied.count() == 1
    assert denied.get().ip == "127.0.0.1"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"service_code": ""}, "service_code"),
        ({"lat": "", "long": ""}, "lat"),
        ({"lat": "abc"}, "lat"),
        ({"lat": "30.945", "long": ""}, "lat"),
        ({"lat": "91", "long": "120"}, "lat"),
        ({"lat": "39.9", "long": "116.4"}, "辖区"),
        ({"description": "坑" * 4001}, "4000"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "call me maybe"}, "phone"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"description": "<script>alert(1)</script>"}, "脚本"),
        ({"last_name": '<img src=x onerror="alert(1)">'}, "脚本"),
    ],
)
def test_malformed_requests_are_400_and_say_what_is_wrong(api, fmt, data, needle):
    answer = api.post(fmt, **{"service_code": "FW0402", **IN_GRID_A, **data})
    assert answer.status == 400, answer.text
    assert any(needle in e["description"] for e in answer.errors), answer.errors
    assert not Event.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_or_private_service_is_404(api, fmt):
    from grassroots.events.models import EventType

    assert api.post(fmt, service_code="NOPE01", **IN_GRID_A).status == 404
    EventType.objects.filter(code="FW0402").update(is_public=False)
    assert api.post(fmt, service_code="FW0402", **IN_GRID_A).status == 404


# -- attributes -----------------------------------------------------------------------------------------------


def test_a_singlevaluelist_answer_is_stored_and_summarised(api):
    number = api.file("FW0403", **{"attribute[size]": "large", "attribute[blocking]": "yes"})
    event = Event.objects.get(number=number)
    assert public(event).attributes == {"size": "large", "blocking": "yes"}
    assert "破损面积：大于 5 平方米" in event.description
    assert "是否影响车辆通行：是" in event.description


def test_a_multivaluelist_answer_comes_as_repeated_brackets(api):
    answer = api.post(
        service_code="ZF0101",
        description="垃圾堆了好几天",
        **IN_GRID_A,
        **{"attribute[waste_kinds][]": ["household", "bulky"]},
    )
    assert answer.status == 201, answer.body
    event = Event.objects.get(number=answer.rows[0]["service_request_id"])
    assert public(event).attributes == {"waste_kinds": ["household", "bulky"]}
    assert "生活垃圾、大件垃圾" in event.description


def test_datetime_and_number_answers_are_parsed(api):
    number = api.file(
        "ZF0301", **{"attribute[noise_time]": "2026-01-15T22:30:00+08:00", "attribute[duration_hours]": "2.5"}
    )
    answers = public(number).attributes
    assert dt.datetime.fromisoformat(answers["noise_time"]) == dt.datetime(2026, 1, 15, 14, 30, tzinfo=dt.UTC)
    assert answers["duration_hours"] == 2.5
    naive = api.file("ZF0301", **{"attribute[noise_time]": "2026-01-15T22:30"})
    assert public(naive).attributes["noise_time"].endswith("+08:00")


def test_string_and_text_answers_are_kept(api):
    lamp = api.file("FW0401", **{"attribute[pole_number]": "XT-0815"})
    assert public(lamp).attributes == {"pole_number": "XT-0815"}
    story = api.file("SC0501", **{"attribute[purchase]": "1 月 3 日在某超市买到过期牛奶\n金额 12 元"})
    assert "过期牛奶" in public(story).attributes["purchase"]


@pytest.mark.parametrize(
    ("service", "attributes", "needle"),
    [
        ("FW0403", {}, "attribute[size]"),  # required
        ("FW0403", {"attribute[size]": "huge"}, "attribute[size]"),  # not an allowed value
        ("FW0403", {"attribute[size][]": ["small", "large"]}, "attribute[size]"),  # one value only
        ("ZF0101", {}, "attribute[waste_kinds]"),  # required multivaluelist
        ("ZF0101", {"attribute[waste_kinds][]": ["household", "nuclear"]}, "nuclear"),
        ("ZF0301", {"attribute[noise_time]": "last night"}, "attribute[noise_time]"),
        (
            "ZF0301",
            {"attribute[noise_time]": "2026-01-15T22:30:00+08:00", "attribute[duration_hours]": "long"},
            "数字",
        ),
        ("FW0401", {"attribute[pole_number]": "x" * 201}, "attribute[pole_number]"),
        ("SC0501", {"attribute[purchase]": "x" * 4001}, "attribute[purchase]"),
        ("FW0402", {"attribute[size]": "small"}, "attribute[size]"),  # FW0402 asks nothing
    ],
)
def test_bad_attribute_answers_are_400(api, service, attributes, needle):
    answer = api.post(service_code=service, **IN_GRID_A, **attributes)
    assert answer.status == 400, answer.body
    assert any(needle in e["description"] for e in answer.errors), answer.errors
    assert not Event.objects.exists()


# -- idempotency ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retry_with_the_same_idempotency_key_returns_the_same_request(api, fmt):
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = api.post(fmt, headers=headers, service_code="FW0402", **IN_GRID_A)
    again = api.post(fmt, headers=headers, service_code="FW0402", **IN_GRID_A)
    assert (first.status, again.status) == (201, 200)
    assert first.rows[0]["service_request_id"] == again.rows[0]["service_request_id"]
    assert Event.objects.count() == 1
    by_field = api.post(fmt, service_code="FW0402", idempotency_key="retry-7f3a", **IN_GRID_A)
    assert by_field.rows[0]["service_request_id"] == first.rows[0]["service_request_id"]
    other = api.post(fmt, headers={"Idempotency-Key": "another"}, service_code="FW0402", **IN_GRID_A)
    assert other.status == 201
    assert Event.objects.count() == 2


def test_two_clients_may_use_the_same_key_for_different_requests(api, world):
    _, key = services.open_client_create(actor=None, name="第二个 App", district=world.district)
    second = Api(http=Client(), key=key, client=api.client)
    one = api.post(headers={"Idempotency-Key": "k1"}, service_code="FW0402", **IN_GRID_A)
    two = second.post(headers={"Idempotency-Key": "k1"}, service_code="FW0402", **IN_GRID_A)
    assert one.status == two.status == 201
    assert one.rows[0]["service_request_id"] != two.rows[0]["service_request_id"]


def test_a_header_and_a_field_that_disagree_are_400(api):
    answer = api.post(
        headers={"Idempotency-Key": "a"}, idempotency_key="b", service_code="FW0402", **IN_GRID_A
    )
    assert answer.status == 400
    assert api.post(headers={"Idempotency-Key": "k" * 65}, service_code="FW0402", **IN_GRID_A).status == 400


# -- rate limit -----------------------------------------------------------------------------------------------


def test_a_client_over_its_rate_limit_is_told_to_wait_and_audited_once(api):
    api.client.rate_limit_per_minute = 2
    api.client.save()
    statuses = [api.post(service_code="FW0402", **IN_GRID_A).status for _ in range(4)]
    assert statuses == [201, 201, 429, 429]
    answer = api.post("xml", service_code="FW0402", **IN_GRID_A)
    assert answer.status == 429
    assert "每分钟最多 2 次" in answer.errors[0]["description"]
    assert AuditEntry.objects.filter(action="open311.rate_limit", result="denied").count() == 1
    assert Event.objects.count() == 2


def test_the_rate_counter_is_one_row_per_key_and_window(db):
    now = (timezone.now() - dt.timedelta(minutes=5)).replace(second=10)
    decisions = [services.rate_limit_hit(key="k", limit=2, now=now) for _ in range(3)]
    assert [d.allowed for d in decisions] == [True, True, False]
    assert decisions[2].first_refusal and decisions[2].retry_after == 50
    assert RateCounter.objects.get().count == 3
    later = services.rate_limit_hit(key="k", limit=2, now=now + dt.timedelta(minutes=1))
    assert later.allowed and later.count == 1
    assert RateCounter.objects.count() == 1  # the old window went when the new one opened
    assert services.rate_counters_purge(older_than=dt.timedelta(0)) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the in-memory SQLite test database locks whole tables across threads",
)
def test_the_rate_counter_is_exact_under_concurrent_workers():
    """Many connections at once (as gunicorn workers are): every hit counted once, exactly `limit` allowed."""
    from concurrent.futures import ThreadPoolExecutor

    def hits(_: int) -> list[bool]:
        try:
            return [services.rate_limit_hit(key="race", limit=100).allowed for _ in range(25)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [allowed for batch in pool.map(hits, range(8)) for allowed in batch]
    assert sum(results) == 100
    assert RateCounter.objects.get(key="race").count == 200
