"""One event's whole journey across the roles, each in their own browser: the grid worker reports on the phone,
the command room registers and dispatches, the department signs, handles and feeds back, a teammate of the grid
checks on site on the phone (the reporter does not check their own case), and the command room calls back and
closes."""

import pytest

from grassroots.conftest import make_person
from grassroots.events.choices import Status
from grassroots.events.models import Event
from grassroots.people.choices import Role

from .phone_support import GEO, ensure_catalogue, photo, pick_type

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def _act(page, action, done):
    """Submit the step's form on the event page and wait for the panel to say it is done."""
    page.click(f"form#action-{action} button[type=submit]")
    page.wait_for_selector(f"#action-panel .message >> text={done}")


def _status(event):
    event.refresh_from_db()
    return event.status


def test_an_event_runs_the_whole_loop_from_the_phone_to_closing(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    grace = make_person("grace", "周佳", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)

    # 发现上报: the grid worker reports from the phone.
    phone = open_as(world.alice, phone=True, **GEO)
    phone.goto("/m/report/")
    pick_type(phone, "违建", "私搭乱建")
    phone.set_input_files("#photos", files=[photo()])
    phone.wait_for_function("document.getElementById('lat').value !== ''")
    phone.fill("#description", "河边新搭了一个铁皮棚")
    phone.click("#submit-report")
    phone.wait_for_selector("#report-done:not([hidden])")
    event = Event.objects.get()
    assert event.status == Status.REPORTED
    detail = f"/command/events/{event.pk}/"

    # 调度分流: the operator registers and dispatches to the agency.
    desk = open_as(world.oscar)
    desk.goto(detail)
    _act(desk, "register", "已立案")
    assert _status(event) == Status.REGISTERED
    desk.select_option("#dispatch-lead-unit", str(world.agency.pk))
    _act(desk, "dispatch", "已派遣")
    assert _status(event) == Status.DISPATCHED

    # 处置反馈: the department signs, starts and feeds back with a photo.
    dept = open_as(world.dora)
    dept.goto(detail)
    _act(dept, "sign", "已签收")
    assert _status(event) == Status.SIGNED
    if dept.locator("form#action-handle").count():
        _act(dept, "handle", "已开始处置")
        assert _status(event) == Status.HANDLING
    dept.fill("form#action-feed_back textarea[name=feedback]", "棚子已拆除，场地已清理")
    dept.set_input_files("form#action-feed_back input[type=file]", files=[photo("拆除后.png")])
    _act(dept, "feed_back", "已反馈")
    assert _status(event) == Status.FED_BACK

    # 任务核查: a teammate checks on site, on her phone; the reporter is not asked to.
    phone.goto("/m/")
    assert phone.inner_text("#go-tasks .m-count") == "0"
    teammate = open_as(grace, phone=True, **GEO)
    teammate.goto("/m/")
    assert teammate.inner_text("#go-tasks .m-count") == "1"
    teammate.click("#go-tasks")
    teammate.click(f"a[href='/m/tasks/{event.pk}/']")
    assert "棚子已拆除" in teammate.inner_text(".m-feedback")
    teammate.click("label.m-radio.pass")
    teammate.set_input_files("#task-photos", files=[photo("核查.png")])
    teammate.fill("#task-note", "现场已恢复")
    teammate.click("#task-submit")
    teammate.wait_for_selector(".m-message")
    assert "核查通过" in teammate.inner_text(".m-message")
    assert _status(event) == Status.CHECKED

    # 评价考核 and 结单归档: the operator calls back, the shift lead closes.
    desk.goto(detail)
    desk.check("form#action-callback input[name=reached][value='1']")
    desk.check("form#action-callback input[name=satisfaction][value='5']")
    _act(desk, "callback", "已回访")
    assert _status(event) == Status.EVALUATED
    lead = open_as(sam)
    lead.goto(detail)
    _act(lead, "close", "已结案")
    assert _status(event) == Status.CLOSED
    assert event.satisfaction == 5

    # The reporter sees the outcome of their report on the phone.
    phone.goto("/m/")
    assert "已结案" in phone.inner_text(".m-section")
