"""GET requests, requests/{id} and tokens/{token}: filters, comma lists, the 90-day window, both formats."""

import datetime as dt

import pytest
from django.utils import timezone

from grassroots.events import services as loop
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.open311 import selectors
from grassroots.open311.models import Open311Request

from .conftest import IN_GRID_A

pytestmark = pytest.mark.django_db
FORMATS = ["xml", "json"]
FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def age(number: str, days: float) -> None:
    """Make a request look as if it had been filed `days` ago."""
    Event.objects.filter(number=number).update(reported_at=timezone.now() - dt.timedelta(days=days))


def ids(answer) -> list[str]:
    return [row["service_request_id"] for row in answer.rows]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_reads_back_with_every_field_of_the_spec(api, world, fmt):
    number = api.file(
        "FW0403",
        address_string="红菱村村口",
        media_url="https://img.example.com/x.jpg",
        **{"attribute[size]": "medium"},
    )
    answer = api.get(f"requests/{number}", fmt)
    assert answer.status == 200
    if fmt == "xml":
        assert answer.body.tag == "service_requests" and answer.body[0].tag == "request"
    [row] = answer.rows
    assert set(row) == FIELDS
    assert row["service_request_id"] == number
    assert row["status"] == "open"
    assert row["status_notes"] == "已收到您的反映，等待受理"
    assert (row["service_code"], row["service_name"]) == ("FW0403", "道路破损")
    assert "破损面积：1–5 平方米" in row["description"]
    assert row["agency_responsible"] == world.command_room.name
    assert row["address"] == "红菱村村口"
    assert row["media_url"] == "https://img.example.com/x.jpg"
    assert float(row["lat"]) == 30.945 and float(row["long"]) == 120.885
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        value = dt.datetime.fromisoformat(row[name])
        assert value.utcoffset() == dt.timedelta(hours=8), name
    if fmt == "json":
        assert row["zipcode"] is None and row["address_id"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_list_is_newest_first_and_holds_only_public_requests(api, world, fmt):
    first = api.file()
    second = api.file()
    loop.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="FW0402"),
        source=Source.PATROL,
        title="网格员巡查发现",
        lon=120.885,
        lat=30.945,
    )
    answer = api.get("requests", fmt)
    assert answer.status == 200
    assert ids(answer) == [second, first]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_id_takes_a_comma_list_and_overrides_the_other_filters(api, fmt):
    a, _, c = api.file(), api.file(), api.file()
    age(a, 200)  # outside any window
    answer = api.get(
        "requests",
        fmt,
        service_request_id=f"{a}, {c},NOPE-1",
        status="closed",
        service_code="FW0403",
        start_date="2000-01-01T00:00:00Z",
        end_date="2000-01-02T00:00:00Z",
    )
    assert answer.status == 200
    assert set(ids(answer)) == {a, c}


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_code_takes_a_comma_list(api, fmt):
    hole = api.file("FW0402")
    lamp = api.file("FW0401")
    api.file("ZF0102")
    answer = api.get("requests", fmt, service_code="FW0401,FW0402")
    assert set(ids(answer)) == {hole, lamp}
    assert api.get("requests", fmt, service_code="FW0401,NOPE01").status == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_filters_open_and_closed_as_a_comma_list(api, world, fmt):
    still_open = api.file()
    voided = api.file()
    event = Event.objects.get(number=voided)
    loop.event_void(actor=world.oscar, event=event, reason="重复反映，已有人报过")
    assert ids(api.get("requests", fmt, status="open")) == [still_open]
    assert ids(api.get("requests", fmt, status="closed")) == [voided]
    assert set(ids(api.get("requests", fmt, status="open,closed"))) == {still_open, voided}
    bad = api.get("requests", fmt, status="pending")
    assert bad.status == 400
    assert "open" in bad.errors[0]["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_dates_the_window_is_the_last_90_days(api, fmt):
    recent, old = api.file(), api.file()
    age(recent, 89)
    age(old, 91)
    assert ids(api.get("requests", fmt)) == [recent]


@pytest.mark.parametrize("fmt", FORMATS)
def test_start_and_end_dates_select_by_requested_datetime(api, fmt):
    a, b, c = api.file(), api.file(), api.file()
    age(a, 30)
    age(b, 20)
    age(c, 10)
    now = timezone.now()
    start = (now - dt.timedelta(days=25)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = timezone.localtime(now - dt.timedelta(days=15)).isoformat(timespec="seconds")
    assert ids(api.get("requests", fmt, start_date=start, end_date=end)) == [b]
    # Only a start: the 90 days after it. Only an end: the 90 days before it.
    assert ids(api.get("requests", fmt, start_date=start)) == [c, b]
    assert ids(api.get("requests", fmt, end_date=end)) == [b, a]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("start", "end", "needle"),
    [
        ("2026-01-01T00:00:00+08:00", "2026-04-02T00:00:00+08:00", "90"),
        ("2026-03-01T00:00:00Z", "2026-02-01T00:00:00Z", "早于"),
        ("yesterday", "", "start_date"),
        ("", "2026-13-01", "end_date"),
    ],
)
def test_bad_or_too_wide_date_windows_are_400(api, fmt, start, end, needle):
    answer = api.get("requests", fmt, start_date=start, end_date=end)
    assert answer.status == 400
    assert needle in answer.errors[0]["description"]


def test_a_span_of_exactly_90_days_is_accepted(api):
    assert (
        api.get(
            "requests", start_date="2026-01-01T00:00:00+08:00", end_date="2026-04-01T00:00:00+08:00"
        ).status
        == 200
    )


def test_an_unencoded_plus_in_an_offset_is_understood(api):
    number = api.file()
    start = timezone.localtime(timezone.now() - dt.timedelta(days=1)).isoformat(timespec="seconds")
    response = api.http.get(f"/open311/v2/requests.json?start_date={start}")  # "+08:00" arrives as " 08:00"
    assert response.status_code == 200
    assert [r["service_request_id"] for r in response.json()] == [number]


def test_at_most_1000_requests_are_listed(api, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_RESULTS", 2)
    numbers = [api.file() for _ in range(3)]
    assert ids(api.get("requests")) == numbers[:0:-1]


def test_the_list_costs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    for _ in range(5):
        api.file()
    with django_assert_max_num_queries(5):
        assert len(api.get("requests").rows) == 5


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_or_internal_request_id_is_404(api, world, fmt):
    internal = loop.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="FW0402"),
        source=Source.PATROL,
        title="网格员巡查发现",
        lon=120.885,
        lat=30.945,
    ).event
    for request_id in ("NOPE-1", internal.number):
        answer = api.get(f"requests/{request_id}", fmt)
        assert answer.status == 404
        assert answer.errors[0]["code"] in (404, "404")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_names_its_request(api, fmt):
    number = api.file()
    token = Open311Request.objects.get(event__number=number).token
    answer = api.get(f"tokens/{token}", fmt)
    assert answer.status == 200
    assert answer.rows == [{"service_request_id": number, "token": token}]
    if fmt == "xml":
        assert answer.body.tag == "service_requests"
    assert api.get("tokens/not-a-token", fmt).status == 404


def test_requests_of_another_district_are_not_listed_in_this_one(api, world):
    from grassroots.geo.models import Division

    Division.objects.create(code="330402", name="南湖区", level="district", kind="district")
    number = api.file(jurisdiction_id="330421")
    assert ids(api.get("requests", jurisdiction_id="330421")) == [number]
    assert ids(api.get("requests", jurisdiction_id="330402")) == []
    assert api.get(f"requests/{number}", jurisdiction_id="330402").status == 404


def test_a_point_request_is_published_with_its_grid_address_id(api, world):
    number = api.file(lat=None, long=None, address_id=world.grid_a.code)
    [row] = api.get(f"requests/{number}").rows
    assert row["address_id"] == world.grid_a.code
    assert row["address"] == world.grid_a.name
    assert IN_GRID_A  # (the point form is covered above)
