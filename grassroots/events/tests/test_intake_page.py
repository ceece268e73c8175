"""The command room's intake desk (登记来电/来信): who may open it, what it refuses (in Chinese, nothing written),
the caller masked for other roles with unmasked reads audited, the repeat candidates by phone and by distance and
type against hand-placed events, joining a call to an open event, the letter and visit fields, attachments checked
by their bytes and size, and a sensor reporting through the API with an idempotency key."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.events import services
from grassroots.events.choices import AttachmentKind, Source, Status
from grassroots.events.models import Attachment, Event, EventType, IntakeRecord
from grassroots.people.choices import Role

from .api_support import cast_of
from .media_support import as_stored
from .views_support import PNG, page_text, report

pytestmark = pytest.mark.django_db
PAGE = "/command/intake/"
CANDIDATES = "/command/intake/candidates/"
CALLER = "13957312345"
ID_NUMBER = "11010519491231002X"  # a valid check digit (GB 11643)
BASE = {"lon": 120.885, "lat": 30.942}  # in grid A
# Metres per degree of latitude on the app's sphere (6,371 km): 6_371_000 × π / 180.
M_PER_DEG = 111_194.93


def call(**fields: Any) -> dict[str, Any]:
    """A hotline call as the operator would type it (grid A, ZF0103 私搭乱建)."""
    return {
        "channel": Source.PHONE,
        "caller_name": "张建军",
        "caller_phone": CALLER,
        "event_type": "ZF0103",
        "description": "河边有人私搭简易棚，堵住了通道",
        "address": "红菱村3组河边",
        **{k: str(v) for k, v in BASE.items()},
        **fields,
    }


def errors_of(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 422, response.status_code
    form = response.context["form"]
    return {name: [str(e) for e in errs] for name, errs in form.errors.items()}


def at(metres_north: float) -> dict[str, Any]:
    return {"lon": BASE["lon"], "lat": BASE["lat"] + metres_north / M_PER_DEG}


@pytest.fixture
def oscar(world: Any) -> Client:
    return world.client_for(world.oscar)


# -- the page -----------------------------------------------------------------------------------------------


def test_the_operator_opens_the_desk_from_the_queue_with_every_channel_and_the_catalogue(world, oscar):
    queue = page_text(oscar.get("/command/"))
    assert 'id="intake-link" accesskey="n" href' not in queue  # the link comes first, then its key
    assert 'href="/command/intake/" id="intake-link"' in queue and "登记来电/来信" in queue
    html = page_text(oscar.get(PAGE))
    for label in ["网格巡查", "来电", "来信", "来访", "网络投诉", "村社上报", "12345转办", "县长电话"]:
        assert label in html
    assert 'value="ZF0103"' in html and 'id="type-search"' in html and 'id="intake-map"' in html
    assert 'data-candidates-url="/command/intake/candidates/"' in html


@pytest.mark.parametrize("who", ["alice", "bob", "dora", "leo"])
def test_nobody_outside_the_acting_command_room_opens_the_desk(world, who):
    person = cast_of(world).leo if who == "leo" else getattr(world, who)
    client = world.client_for(person)
    assert client.get(PAGE).status_code == 404
    assert client.get(CANDIDATES, {"phone": CALLER}).status_code == 404
    if who == "leo":  # a leader sees the queue, but registers nothing: no button
        assert "登记来电/来信" not in page_text(client.get("/command/"))


# -- refusals -----------------------------------------------------------------------------------------------


def test_an_empty_form_is_refused_field_by_field_in_chinese(world, oscar):
    errors = errors_of(oscar.post(PAGE, {"lon": "", "lat": ""}))
    assert errors["channel"] == ["请选择来源渠道"]
    assert errors["event_type"] == ["请选择事件分类"]
    assert errors["description"] == ["请填写反映内容"]
    assert errors["address"] == ["请搜索地址、在地图上点选位置或选择网格"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"caller_phone": ""}, "caller_phone", "来电须登记来电号码"),
        ({"channel": Source.MAYOR_LINE, "caller_phone": ""}, "caller_phone", "来电须登记来电号码"),
        ({"caller_phone": "138-12"}, "caller_phone", "联系电话应为 7–12 位数字（手机号或带区号的座机）"),
        (
            {"caller_phone": "1381234567890"},
            "caller_phone",
            "联系电话应为 7–12 位数字（手机号或带区号的座机）",
        ),
        (
            {"channel": Source.ONLINE, "caller_phone": "", "callback_wanted": "on"},
            "caller_phone",
            "需要回电时请填写联系电话",
        ),
        ({"caller_id_number": "110105194912310021"}, "caller_id_number", "身份证号码校验不通过，请核对"),
        ({"channel": Source.LETTER}, "letter_date", "请填写来信日期"),
        ({"channel": Source.VISIT}, "visitors", "请填写来访人数（1–999）"),
        ({"channel": Source.VISIT, "visitors": "0"}, "visitors", "来访人数至少 1 人"),
        ({"event_type": "ZF01"}, "event_type", "请从分类目录中选择一个小类"),
        ({"event_type": "XX9999"}, "event_type", "请从分类目录中选择一个小类"),
        ({"channel": "sensor"}, "channel", "请选择来源渠道"),
        ({"lon": "100.0", "lat": "60.0"}, "address", "位置不在中国境内，请核对经纬度（WGS-84）"),
    ],
)
def test_a_wrong_field_is_refused_in_chinese_and_nothing_is_written(world, oscar, fields, field, message):
    errors = errors_of(oscar.post(PAGE, call(**fields)))
    assert errors[field] == [message]
    assert Event.objects.count() == 0 and IntakeRecord.objects.count() == 0


def test_a_letter_dated_tomorrow_is_refused(world, oscar):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = errors_of(oscar.post(PAGE, call(channel=Source.LETTER, letter_date=tomorrow.isoformat())))
    assert errors["letter_date"] == ["来信日期不能晚于今天"]


# -- registering ----------------------------------------------------------------------------------------------


def test_a_hotline_call_becomes_an_event_with_the_caller_and_the_desk_record(world, oscar):
    response = oscar.post(
        PAGE,
        call(caller_phone="139 5731 2345", caller_id_number=ID_NUMBER.lower(), callback_wanted="on"),
    )
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/command/events/{event.pk}/"
    assert (event.source, event.status, event.title) == (Source.PHONE, Status.REPORTED, "私搭乱建")
    assert (event.reporter_name, event.reporter_phone) == ("张建军", CALLER)  # stored as digits
    assert event.grid_id == world.grid_a.pk and event.first_receiver_id == world.oscar.pk
    record = IntakeRecord.objects.get(event=event)
    assert (record.caller_id_number, record.callback_wanted, record.received_by_id) == (
        ID_NUMBER,
        True,
        world.oscar.pk,
    )
    assert (record.letter_date, record.letter_reference, record.visitors) == (None, "", None)
    assert AuditEntry.objects.filter(action="event.report", object_id=str(event.pk)).count() == 1


def test_the_same_form_sent_twice_files_one_event(world, oscar):
    first = oscar.post(PAGE, call(idempotency_key="desk-7f3a"))
    second = oscar.post(PAGE, call(idempotency_key="desk-7f3a"))
    assert first["Location"] == second["Location"]
    assert Event.objects.count() == 1 and IntakeRecord.objects.count() == 1


def test_a_grid_alone_places_the_report_at_the_grid(world, oscar):
    oscar.post(PAGE, call(lon="", lat="", address="", grid=world.grid_b.code))
    event = Event.objects.get()
    assert event.grid_id == world.grid_b.pk
    assert (event.lon, event.lat) == (world.grid_b.label_lon, world.grid_b.label_lat)


def test_a_letter_keeps_its_date_and_number_and_a_visit_its_visitors(world, oscar):
    letter_day = timezone.localdate() - dt.timedelta(days=3)
    oscar.post(
        PAGE,
        call(
            channel=Source.LETTER,
            caller_phone="",
            letter_date=letter_day.isoformat(),
            letter_reference="西信〔2026〕118号",
            visitors="5",  # not a visit: not kept
        ),
    )
    oscar.post(PAGE, call(channel=Source.VISIT, visitors="3", letter_reference="不是来信"))
    letter, visit = Event.objects.order_by("pk")
    assert (
        letter.source,
        letter.intake.letter_date,
        letter.intake.letter_reference,
        letter.intake.visitors,
    ) == (
        Source.LETTER,
        letter_day,
        "西信〔2026〕118号",
        None,
    )
    assert (visit.source, visit.intake.visitors, visit.intake.letter_reference) == (Source.VISIT, 3, "")
    html = page_text(oscar.get(f"/command/events/{letter.pk}/"))
    assert "西信〔2026〕118号" in html and letter_day.isoformat() in html


# -- attachments ----------------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_scanned_letter_as_pdf_is_kept_and_listed_on_the_event(world, oscar):
    scan = SimpleUploadedFile("来信扫描.pdf", PDF, content_type="application/pdf")
    photo = SimpleUploadedFile("信封.png", PNG, content_type="image/png")
    oscar.post(PAGE, {**call(), "files": [scan, photo]})
    event = Event.objects.get()
    kinds = sorted(Attachment.objects.filter(event=event).values_list("kind", "content_type", "size"))
    assert kinds == [
        (AttachmentKind.DOCUMENT, "application/pdf", len(PDF)),
        (AttachmentKind.PHOTO, "image/png", len(as_stored(PNG))),
    ]
    assert "来信扫描.pdf" in page_text(oscar.get(f"/command/events/{event.pk}/"))


def test_a_file_that_is_not_a_pdf_or_image_by_its_bytes_is_refused(world, oscar):
    fake = SimpleUploadedFile("来信.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    errors = errors_of(oscar.post(PAGE, {**call(), "files": [fake]}))
    assert errors["__all__"] == [
        "文件“来信.pdf”不是支持的扫描件（PDF）、图片（JPEG/PNG/WebP/HEIC）或录音格式"
    ]
    assert Event.objects.count() == 0 and Attachment.objects.count() == 0


def test_a_pdf_over_the_limit_is_refused(world, oscar, settings):
    settings.EVENTS_INTAKE_MAX_PDF_MB = 1
    big = SimpleUploadedFile("大扫描件.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    errors = errors_of(oscar.post(PAGE, {**call(), "files": [big]}))
    assert errors["__all__"] == ["文件“大扫描件.pdf”大小 1.0 MB，超过扫描件上限 1 MB"]
    assert Event.objects.count() == 0


# -- candidates while typing ------------------------------------------------------------------------------


def candidates(client: Client, **params: Any) -> dict[str, Any]:
    response = client.get(CANDIDATES, params)
    assert response.status_code == 200
    return dict(response.json())


def test_the_callers_earlier_reports_are_found_by_phone_newest_first_and_the_read_is_audited(world, oscar):
    now = timezone.now()
    older = report(world.oscar, source=Source.PHONE, reporter_name="张建军", reporter_phone=CALLER,
                   reported_at=now - dt.timedelta(days=20), **at(0))  # fmt: skip
    newer = report(world.oscar, code="ZF0101", source=Source.LETTER, reporter_name="张建军",
                   reporter_phone=CALLER, reported_at=now - dt.timedelta(days=2), **at(0))  # fmt: skip
    report(world.oscar, source=Source.PHONE, reporter_phone="13900001111", **at(0))  # someone else
    report(world.oscar, source=Source.PHONE, reporter_phone=CALLER,
           reported_at=now - dt.timedelta(days=400), **at(0))  # fmt: skip  # beyond the 365 days
    body = candidates(oscar, phone="139-5731-2345")
    assert [c["id"] for c in body["by_caller"]] == [newer.pk, older.pk]
    assert body["by_caller"][0]["caller"] == "张建军" and body["by_caller"][0]["join"]["id"] == newer.pk
    assert body["nearby"] == []
    reads = AuditEntry.objects.filter(action="personal_data.read")
    assert sorted(int(r.object_id) for r in reads) == sorted([older.pk, newer.pk])
    assert {r.detail["purpose"] for r in reads} == {"page.events.intake"}


def test_a_merged_report_offers_its_master_and_a_closed_one_offers_nothing(world, oscar):
    master = report(world.alice, **at(0))
    merged = report(world.oscar, source=Source.PHONE, reporter_phone=CALLER, **at(10))
    services.event_merge(actor=world.oscar, event=merged, into=master)
    closed = report(world.oscar, source=Source.PHONE, reporter_phone=CALLER, **at(20))
    Event.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    body = candidates(oscar, phone=CALLER)
    joins = {c["id"]: c["join"] for c in body["by_caller"]}
    assert joins == {merged.pk: {"id": master.pk, "number": master.number}, closed.pk: None}


def test_open_events_of_the_same_type_within_300_metres_and_30_days_are_duplicate_candidates(world, oscar):
    now = timezone.now()
    near = report(world.alice, title="200米处", **at(200))  # 200 m north
    nearest = report(world.alice, title="50米处", **at(-50))
    report(world.alice, title="400米处", **at(400))  # too far
    report(world.alice, code="ZF0101", title="同一地点，另一分类", **at(0))
    done = report(world.alice, title="已结案", **at(0))
    Event.objects.filter(pk=done.pk).update(status=Status.CLOSED)
    report(world.alice, title="40天前", reported_at=now - dt.timedelta(days=40), **at(100))
    body = candidates(oscar, type="ZF0103", **{k: str(v) for k, v in BASE.items()})
    assert [(c["id"], c["distance_m"]) for c in body["nearby"]] == [(nearest.pk, 50), (near.pk, 200)]
    assert body["nearby"][0]["caller"] is None  # a place match is not a read of the caller
    assert (body["radius_m"], body["days"]) == (300, 30)


def test_the_radius_and_the_window_are_settings(world, oscar, settings):
    settings.EVENTS_INTAKE_DUPLICATE_RADIUS_M = 500
    settings.EVENTS_INTAKE_DUPLICATE_DAYS = 60
    far = report(world.alice, title="400米处", **at(400))
    old = report(world.alice, title="40天前", reported_at=timezone.now() - dt.timedelta(days=40), **at(100))
    body = candidates(oscar, type="ZF0103", **{k: str(v) for k, v in BASE.items()})
    assert [c["id"] for c in body["nearby"]] == [old.pk, far.pk]


def test_candidates_stay_in_the_operators_scope(world, oscar):
    other = world.township.__class__.objects.create(
        code="330421103",
        name="干窑镇",
        level=world.township.level,
        kind=world.township.kind,
        parent=world.district,
    )
    stranger = type(world.oscar).objects.create_user(
        username="olga", password="x", name="钱敏", role=Role.OPERATOR, division=other
    )
    theirs = report(world.alice, reporter_phone=CALLER, **at(0))
    assert [c["id"] for c in candidates(world.client_for(stranger), phone=CALLER)["by_caller"]] == []
    assert [c["id"] for c in candidates(oscar, phone=CALLER)["by_caller"]] == [theirs.pk]


# -- joining ----------------------------------------------------------------------------------------------


def test_a_repeat_call_joins_the_open_event_and_the_event_shows_the_repeat_caller(world, oscar):
    first = report(world.alice, **at(0))
    response = oscar.post(PAGE, call(join=str(first.pk), caller_id_number=ID_NUMBER, callback_wanted="on"))
    assert response.status_code == 302 and response["Location"] == f"/command/events/{first.pk}/"
    repeat = Event.objects.exclude(pk=first.pk).get()
    assert (repeat.status, repeat.merged_into_id, repeat.source) == (Status.MERGED, first.pk, Source.PHONE)
    assert list(repeat.transitions.values_list("action", flat=True)) == ["report", "merge"]
    assert repeat.transitions.get(action="merge").note == f"来电重复反映，并入 {first.number}"
    assert AuditEntry.objects.filter(action="event.merge", object_id=str(repeat.pk)).count() == 1
    assert Event.objects.get(pk=first.pk).status == Status.REPORTED  # the event itself runs on
    html = page_text(oscar.get(f"/command/events/{first.pk}/"))
    assert 'id="repeat-callers"' in html and "张建军" in html and CALLER in html and ID_NUMBER in html
    read = AuditEntry.objects.filter(action="personal_data.read", object_id=str(repeat.pk))
    assert {r.detail["purpose"] for r in read} == {"page.events.detail.intake"}


def test_the_repeat_caller_is_masked_for_a_leader_and_for_the_handling_unit(world, oscar):
    leo = cast_of(world).leo
    first = report(world.alice, **at(0))
    oscar.post(PAGE, call(join=str(first.pk), caller_id_number=ID_NUMBER))
    services.event_register(actor=world.oscar, event=Event.objects.get(pk=first.pk))
    services.event_dispatch(
        actor=world.oscar, event=Event.objects.get(pk=first.pk), lead_unit_id=world.agency.pk
    )
    AuditEntry.objects.filter(action="personal_data.read").delete()
    for person in (leo, world.dora):
        html = page_text(world.client_for(person).get(f"/command/events/{first.pk}/"))
        assert 'id="repeat-callers"' in html
        assert "张*军" in html and "139****2345" in html and "110***********002X" in html
        assert "张建军" not in html and CALLER not in html and ID_NUMBER not in html
    assert not AuditEntry.objects.filter(
        action="personal_data.read", detail__purpose="page.events.detail.intake"
    )


def test_joining_a_closed_event_is_refused_and_nothing_is_filed(world, oscar):
    first = report(world.alice, **at(0))
    Event.objects.filter(pk=first.pk).update(status=Status.CLOSED)
    response = oscar.post(PAGE, call(join=str(first.pk)))
    assert errors_of(response)["__all__"] == ["目标事件已结案，请重启后再合并或单独立案"]
    assert Event.objects.count() == 1 and IntakeRecord.objects.count() == 0
    # The form comes back with the join still chosen, named by the event's number.
    assert f'<strong id="join-number">{first.number}</strong>' in page_text(response)


def test_joining_an_event_out_of_scope_is_refused(world, oscar):
    errors = errors_of(oscar.post(PAGE, call(join="999999")))
    assert errors["join"] == ["要并入的事件不存在或不在您的管辖范围内"]


# -- a sensor through the API -----------------------------------------------------------------------------


def test_a_sensor_reports_through_the_api_once_per_idempotency_key(world):
    from grassroots.people.services import api_token_create

    sensor = type(world.oscar).objects.create_user(
        username="iot-water", password="x", name="水位监测平台", role=Role.OPERATOR, division=world.township
    )
    _, key = api_token_create(actor=world.oscar, person=sensor, name="水位传感器")
    client = Client(headers={"Authorization": f"Bearer {key}", "Idempotency-Key": "wl-0042-20261207T0815"})
    body = {"event_type": "ZF0103", "source": "sensor", "title": "河道水位超警戒", **at(0)}
    first = client.post("/api/v1/events", body, content_type="application/json")
    again = client.post("/api/v1/events", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["event"]["id"] == again.json()["event"]["id"] and again.json()["created"] is False
    event = Event.objects.get()
    assert (event.source, event.created_by_id, event.idempotency_key) == (
        Source.SENSOR,
        sensor.pk,
        "wl-0042-20261207T0815",
    )
    assert EventType.objects.filter(code="ZF0103").exists()
