"""The public report page: file with a photo and a pin, get a number, look it up; abuse refused and audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.events.choices import Source
from grassroots.events.models import Attachment, Event
from grassroots.events.tests.media_support import mp3
from grassroots.open311.models import Open311Request
from grassroots.open311.views import pages

from .conftest import PNG, match, public

pytestmark = pytest.mark.django_db
MP3 = mp3()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form(**overrides):
    data = {
        "service_code": "FW0402",
        "description": "村口井盖丢了，晚上很危险",
        "lat": "30.945",
        "lon": "120.885",
        "address": "",
        "name": "",
        "phone": "",
        "website": "",
        "nonce": "n-1",
        **overrides,
    }
    return {k: v for k, v in data.items() if v is not None}


def photo(name="p.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def denied(reason: str) -> int:
    return AuditEntry.objects.filter(
        action="open311.page_report", result="denied", detail__reason=reason
    ).count()


def test_the_page_is_a_chinese_form_with_a_map_and_csrf(world):
    response = Client().get("/report/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "反映问题" in html and "csrfmiddlewaretoken" in html
    assert 'id="map"' in html and "leaflet.js" in html and "public.css" in html
    assert '<optgroup label="便民服务">' in html
    assert 'name="photos"' in html and 'accept="image/' in html


def test_a_report_with_a_photo_and_a_pin_gets_a_number_to_follow(world):
    page = Client()
    response = page.post("/report/", {**form(name="李", phone="13900002222"), "photos": [photo()]})
    assert response.status_code == 302
    token = match(r"/report/track/([^/]+)/\?new=1$", response["Location"])
    public = Open311Request.objects.select_related("event").get(token=token)
    event = public.event
    assert public.channel == "web" and public.client is None
    assert event.source == Source.ONLINE
    assert event.grid_id == world.grid_a.pk
    assert (event.reporter_name, event.reporter_phone) == ("李", "13900002222")
    assert Attachment.objects.filter(event=event, kind="photo").count() == 1
    done = page.get(response["Location"])
    html = done.content.decode()
    number = str(event.number)
    assert "提交成功" in html and number in html and "待受理" in html
    assert "13900002222" not in html
    looked_up = page.get("/report/track/", {"number": number.lower()})
    assert looked_up.status_code == 200
    assert "已收到您的反映，等待受理" in looked_up.content.decode()


def test_a_double_tap_files_one_report(world):
    page = Client()
    first = page.post("/report/", form(nonce="same"))
    second = page.post("/report/", form(nonce="same"))
    assert first["Location"] == second["Location"]
    assert Event.objects.count() == 1


def test_an_address_alone_is_enough_without_a_pin(world):
    response = Client().post("/report/", form(lat="", lon="", address="西塘镇南苑路 12 号"))
    assert response.status_code == 302
    assert Event.objects.get().address == "西塘镇南苑路 12 号"


def test_missing_fields_come_back_with_chinese_messages(world):
    response = Client().post("/report/", form(service_code="", description="坏", lat="", lon=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "请选择问题类型" in html
        and "请至少写 5 个字" in html
        and "请在地图上点选问题位置，或填写详细地址" in html
    )
    assert not Event.objects.exists()


def test_a_pin_outside_the_district_is_refused(world):
    response = Client().post("/report/", form(lat="39.9", lon="116.4"))
    assert response.status_code == 200
    assert "位置不在嘉善县辖区内" in response.content.decode()
    assert not Event.objects.exists()


def test_the_type_questions_are_asked_and_checked(world):
    page = Client()
    fragment = page.get("/report/attributes/", {"service_code": "FW0403"}).content.decode()
    assert "破损面积" in fragment and 'name="attribute[size]"' in fragment and 'type="radio"' in fragment
    assert 'type="checkbox"' in page.get("/report/attributes/", {"service_code": "ZF0101"}).content.decode()
    assert (
        'type="datetime-local"'
        in page.get("/report/attributes/", {"service_code": "ZF0301"}).content.decode()
    )
    missing = page.post("/report/", form(service_code="FW0403"))
    assert "必填：破损面积" in missing.content.decode()
    assert 'name="attribute[size]"' in missing.content.decode()  # the questions come back with the form
    answered = page.post("/report/", {**form(service_code="FW0403", nonce="n-2"), "attribute[size]": "small"})
    assert answered.status_code == 302
    assert public(Event.objects.get()).attributes == {"size": "small"}


def test_the_form_is_csrf_protected(world):
    response = Client(enforce_csrf_checks=True).post("/report/", form())
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_a_flood_from_one_address_is_refused_and_audited_once(world):
    page = Client()
    statuses = [
        page.post("/report/", form(nonce=f"n-{i}")).status_code for i in range(pages.REPORTS_PER_WINDOW + 2)
    ]
    assert statuses == [302] * pages.REPORTS_PER_WINDOW + [429, 429]
    refused = page.post("/report/", form(nonce="late"))
    assert "提交过于频繁" in refused.content.decode()
    assert denied("flood") == 1
    assert Event.objects.count() == pages.REPORTS_PER_WINDOW


@pytest.mark.parametrize(
    ("upload", "message", "reason"),
    [
        (
            SimpleUploadedFile("a.exe", b"MZ\x90\x00" + b"\x00" * 64),
            "不是支持的照片",
            "unsupported_file_type",
        ),
        (SimpleUploadedFile("a.mp3", MP3, content_type="audio/mpeg"), "不是照片", "unsupported_file_type"),
        (
            SimpleUploadedFile("a.png", b"<svg onload=alert(1)>", content_type="image/png"),
            "不是支持的照片",
            "unsupported_file_type",
        ),
    ],
)
def test_anything_but_a_photo_is_refused_and_audited(world, upload, message, reason):
    response = Client().post("/report/", {**form(), "photos": [upload]})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert denied(reason) == 1
    assert not Event.objects.exists()


def test_an_oversized_photo_is_refused_and_audited(world, monkeypatch):
    from grassroots.events import uploads

    monkeypatch.setitem(uploads.MAX_BYTES, "photo", 32)
    response = Client().post("/report/", {**form(), "photos": [photo()]})
    assert response.status_code == 400
    assert "超过照片上限" in response.content.decode()
    assert denied("file_too_large") == 1


def test_more_than_three_photos_are_refused(world):
    response = Client().post("/report/", {**form(), "photos": [photo(f"{i}.png") for i in range(4)]})
    assert response.status_code == 400
    assert "最多上传 3 张照片" in response.content.decode()
    assert denied("too_many_files") == 1


def test_an_oversized_body_is_refused_before_it_is_read(world, monkeypatch):
    monkeypatch.setattr(pages, "MAX_BODY", 100)
    response = Client().post("/report/", {**form(), "photos": [photo()]})
    assert response.status_code == 400
    assert "上传内容过大" in response.content.decode()
    assert denied("oversized") == 1


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>井盖",
        "点这里 javascript:alert(1)",
        '<img src=x onerror="alert(1)">',
        "<iframe src=//x>",
    ],
)
def test_script_in_the_text_is_refused_with_a_message_and_audited(world, text):
    response = Client().post("/report/", form(description=text))
    assert response.status_code == 400
    assert "不允许的脚本或网页代码" in response.content.decode()
    assert denied("script_rejected") == 1
    assert not Event.objects.exists()


def test_a_bot_that_fills_the_hidden_field_is_refused(world):
    response = Client().post("/report/", form(website="http://spam.example"))
    assert response.status_code == 400
    assert denied("honeypot") == 1
    assert not Event.objects.exists()


def test_text_is_escaped_wherever_it_is_shown(world):
    response = Client().post("/report/", form(address="<b>村口</b>", description="井盖 <b>丢了</b> 很危险"))
    assert response.status_code == 302
    html = Client().get(response["Location"]).content.decode()
    assert "&lt;b&gt;村口&lt;/b&gt;" in html and "<b>村口</b>" not in html


def test_looking_up_an_unknown_or_internal_number_finds_nothing(world):
    from grassroots.events import services as loop
    from grassroots.events.models import EventType

    internal = loop.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="FW0402"),
        source="patrol",
        title="巡查",
        lon=120.885,
        lat=30.945,
    ).event
    for number in ("FW0402-20260101-999999", internal.number):
        response = Client().get("/report/track/", {"number": str(number)})
        assert response.status_code == 404
        assert "没有找到这个编号" in response.content.decode()
    assert Client().get("/report/track/nope/").status_code == 404


def test_lookups_are_rate_limited_per_address(world, monkeypatch):
    monkeypatch.setattr(pages, "LOOKUPS_PER_MINUTE", 2)
    page = Client()
    statuses = [page.get("/report/track/", {"number": "X-1"}).status_code for _ in range(3)]
    assert statuses == [404, 404, 429]
    assert AuditEntry.objects.filter(action="open311.page_lookup", result="denied").count() == 1


def test_the_map_draws_the_district_grids(world):
    data = Client().get("/report/grids.json").json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == [world.grid_a.name, world.grid_b.name]
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_map_tiles_are_used_only_when_they_are_in_wgs84(world, settings):
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_COORDINATES = "wgs84"
    assert [t["url"] for t in Client().get("/report/").context["basemap"]["tiles"]] == [settings.MAP_TILE_URL]
    settings.MAP_COORDINATES = (
        "gcj02"  # a tap would set the pin off by hundreds of metres: the vector map instead
    )
    assert Client().get("/report/").context["basemap"]["tiles"] == []
