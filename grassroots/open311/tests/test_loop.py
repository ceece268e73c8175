"""A request filed through Open311 travels the whole loop; GET requests/{id} and the update feed follow each step."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from grassroots.events import services as loop
from grassroots.events.choices import Status
from grassroots.events.models import Event, EventType, Transition
from grassroots.open311.choices import CLOSED_LOOP_STATUSES, OPEN_LOOP_STATUSES, PUBLIC_STATUS
from grassroots.people.choices import Role

from .conftest import PNG

pytestmark = pytest.mark.django_db
FORMATS = ["xml", "json"]
STAFF_NOTE = "内部备注：联系人王五 13700001234"


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("after.png", PNG, content_type="image/png")


def steps(api, fmt: str, number: str) -> list[tuple[str, str, str]]:
    rows = api.get("servicerequestupdates", fmt, service_request_id=number).rows
    return [(r["status"], r["external_status_code"], r["description"]) for r in rows]


def the_request(api, fmt: str, number: str) -> dict:
    answer = api.get(f"requests/{number}", fmt)
    assert answer.status == 200
    return answer.rows[0]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_travels_the_whole_loop_to_closed(api, world, fmt, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    number = api.file("FW0402", first_name="三", last_name="张", phone="13900001111")
    event = Event.objects.get(number=number)

    loop.event_verify(actor=world.oscar, event=event, verifier=world.alice, note=STAFF_NOTE)
    loop.event_verify(actor=world.alice, event=event, valid=True, note=STAFF_NOTE)
    loop.event_register(actor=world.oscar, event=event, note=STAFF_NOTE)
    row = the_request(api, fmt, number)
    assert (row["status"], row["status_notes"]) == ("open", "已立案，等待派遣")

    loop.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk, note=STAFF_NOTE)
    row = the_request(api, fmt, number)
    assert row["status"] == "open"
    assert row["status_notes"] == "已派遣西塘市场监管所处置"
    assert row["agency_responsible"] == "西塘市场监管所"
    event.refresh_from_db()
    assert dt.datetime.fromisoformat(row["expected_datetime"]) == event.due_at

    loop.event_sign(actor=world.dora, event=event)
    loop.event_handle(actor=world.dora, event=event, note=STAFF_NOTE)
    loop.event_feed_back(actor=world.dora, event=event, feedback=f"已更换井盖。{STAFF_NOTE}", files=[photo()])
    loop.event_check(actor=world.alice, event=event, passed=True, note=STAFF_NOTE)
    loop.event_callback(actor=world.oscar, event=event, satisfaction=5, note=STAFF_NOTE)
    loop.event_close(actor=world.oscar, event=event, note=STAFF_NOTE)

    row = the_request(api, fmt, number)
    assert row["status"] == "closed"
    assert row["status_notes"] == "已办结"
    assert row["agency_responsible"] == "西塘市场监管所"
    assert row["expected_datetime"] in (None, "")
    event.refresh_from_db()
    assert event.last_step_at is not None
    assert dt.datetime.fromisoformat(row["updated_datetime"]) == event.last_step_at.replace(microsecond=0)

    assert steps(api, fmt, number) == [
        ("OPEN", "reported", "已收到您的反映，等待受理"),
        ("OPEN", "verifying", "已安排网格员现场核实"),
        ("OPEN", "verified", "经现场核实，情况属实"),
        ("OPEN", "registered", "已立案，等待派遣"),
        ("IN_PROGRESS", "dispatched", "已派遣西塘市场监管所处置"),
        ("IN_PROGRESS", "signed", "西塘市场监管所已签收"),
        ("IN_PROGRESS", "handling", "西塘市场监管所正在处置"),
        ("FIXED", "fed_back", "西塘市场监管所已处置完毕，等待核查"),
        ("FIXED", "checked", "处置结果经核查合格"),
        ("FIXED", "evaluated", "已回访反映人"),
        ("CLOSED", "closed", "已办结"),
    ]
    loop.event_archive(actor=world.oscar, event=event)
    assert steps(api, fmt, number)[-1] == ("CLOSED", "archived", "已归档")
    assert api.get("requests", fmt, status="closed").rows[0]["service_request_id"] == number
    everything = "".join(
        api.get(path, fmt).text for path in ["requests", f"requests/{number}", "servicerequestupdates"]
    )
    assert "王五" not in everything and "13700001234" not in everything


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_update_feed_has_one_entry_per_step_with_a_stable_id(api, world, fmt):
    number = api.file()
    event = Event.objects.get(number=number)
    loop.event_verify(actor=world.oscar, event=event, verifier=world.alice)
    answer = api.get("servicerequestupdates", fmt)
    assert answer.status == 200
    if fmt == "xml":
        assert answer.body.tag == "service_request_updates"
        assert answer.body[0].tag == "request_update"
    rows = answer.rows
    assert [int(r["update_id"]) for r in rows] == list(
        Transition.objects.filter(event=event).order_by("seq").values_list("pk", flat=True)
    )
    assert set(rows[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
        "external_status_code",
    }
    assert dt.datetime.fromisoformat(rows[0]["updated_datetime"]).utcoffset() == dt.timedelta(hours=8)


def test_the_update_feed_honours_its_window_and_leaves_out_clock_ticks(api, world):
    number = api.file()
    event = Event.objects.get(number=number)
    Transition.objects.filter(event=event).update(at=timezone.now() - dt.timedelta(days=3))
    # The timer's warning is bookkeeping, not a step the public follows.
    from grassroots.events.services.core import commit_step

    commit_step(event, actor=None, action="warn", note="已用时限 80%", warned=True)
    since = timezone.localtime(timezone.now() - dt.timedelta(days=1)).isoformat(timespec="seconds")
    assert api.get("servicerequestupdates", start_date=since).rows == []
    assert len(api.get("servicerequestupdates").rows) == 1
    wide = api.get(
        "servicerequestupdates", start_date="2026-01-01T00:00:00Z", end_date="2026-06-01T00:00:00Z"
    )
    assert wide.status == 400


@pytest.mark.parametrize(
    ("drive", "status", "feed_status"),
    [
        ("void", "closed", "NOT_COUNCILS_RESPONSIBILITY"),
        ("invalid", "closed", "NOT_COUNCILS_RESPONSIBILITY"),
        ("merge", "closed", "DUPLICATE"),
        ("self_handle", "closed", "FIXED"),
    ],
)
def test_ends_other_than_closing_read_as_the_extended_statuses(
    api, world, settings, tmp_path, drive, status, feed_status
):
    settings.MEDIA_ROOT = tmp_path
    number = api.file("ZF0101", **{"attribute[waste_kinds][]": ["household"]})
    event = Event.objects.get(number=number)
    if drive == "void":
        loop.event_void(actor=world.oscar, event=event, reason=STAFF_NOTE)
    elif drive == "invalid":
        loop.event_verify(actor=world.oscar, event=event, verifier=world.alice)
        loop.event_verify(actor=world.alice, event=event, valid=False, note=STAFF_NOTE)
    elif drive == "merge":
        master = Event.objects.get(number=api.file("ZF0101", **{"attribute[waste_kinds][]": ["bulky"]}))
        loop.event_merge(actor=world.oscar, event=event, into=master, note=STAFF_NOTE)
    else:
        loop.event_self_handle(actor=world.alice, event=event, note=STAFF_NOTE, files=[photo()])
    row = api.get(f"requests/{number}").rows[0]
    assert row["status"] == status
    last = api.get("servicerequestupdates", service_request_id=number).rows[-1]
    assert last["status"] == feed_status
    assert STAFF_NOTE not in last["description"]


def test_every_loop_state_is_open_or_closed_and_has_a_public_status():
    assert set(Status.values) == set(PUBLIC_STATUS)
    assert set(Status.values) == OPEN_LOOP_STATUSES | CLOSED_LOOP_STATUSES
    assert not OPEN_LOOP_STATUSES & CLOSED_LOOP_STATUSES


def test_a_reopened_request_is_open_again(api, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    number = api.file("ZF0101", **{"attribute[waste_kinds][]": ["household"]})
    event = Event.objects.get(number=number)
    loop.event_self_handle(actor=world.alice, event=event, note="清掉了", files=[photo()])
    loop.event_close(actor=world.oscar, event=event)
    assert api.get(f"requests/{number}").rows[0]["status"] == "closed"
    loop.event_reopen(actor=world.oscar, event=event, reason="又堆起来了")
    row = api.get(f"requests/{number}").rows[0]
    assert (row["status"], row["status_notes"]) == ("open", "问题重新办理")
    assert EventType.objects.get(code="ZF0101").self_fixable
