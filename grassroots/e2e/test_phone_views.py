"""The phone beyond reporting (issue #12), in Chromium at 390×844: a grid worker follows their own report, reads
the inbox and the map in the phone's layout, and the grid head sees the team and the grid's open work."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.choices import Status
from grassroots.mobile.tests.support import reported, to_verify
from grassroots.notifications.models import Notification
from grassroots.notifications.services import notify
from grassroots.org.choices import TeamRole
from grassroots.org.models import TeamMembership
from grassroots.people.choices import Role

from .conftest import PHONE
from .phone_support import GEO, ensure_catalogue, photo_png

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

NO_OVERFLOW = f"document.documentElement.scrollWidth <= {PHONE['width']}"


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def fed_back_with_photo(world, title):
    """Alice's report, dispatched to the agency, signed and fed back with a photo (a real PNG the browser shows)."""
    event = reported(world, title=title)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=event)
    photo = SimpleUploadedFile("拆除后.png", photo_png(), content_type="image/png")
    return s.event_feed_back(actor=world.dora, event=event, feedback="已拆除", files=[photo])


def test_a_grid_worker_taps_a_recent_report_and_follows_its_timeline_and_result(world, open_as):
    event = fed_back_with_photo(world, "桥头违建")
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/")
    page.click(f"#recent a:has-text('{event.title}')")
    page.wait_for_url(f"**/m/reports/{event.pk}/")
    assert page.locator(".m-bar").is_visible()
    assert page.inner_text("#report-status") == "已反馈"
    steps = page.locator("#report-timeline li")
    assert steps.count() == event.transitions.count()
    timeline = page.inner_text("#report-timeline")
    for label in ["上报", "立案", "派遣", "签收", "反馈"]:
        assert label in timeline
    assert "西塘市场监管所" in timeline and "赵敏" in timeline
    assert "已拆除" in page.inner_text("#report-result")
    page.wait_for_function("document.querySelector('#report-photos img').naturalWidth > 0")
    assert page.evaluate(NO_OVERFLOW)

    # All of my reports, reachable from the home.
    page.goto("/m/")
    page.click("#go-mine")
    page.wait_for_url("**/m/reports/")
    assert page.locator("#my-reports li.m-row").count() == 1
    assert event.number in page.inner_text("#my-reports")


def test_the_inbox_and_the_map_on_the_phone_have_the_phone_header_and_fit_390px(world, open_as):
    event = to_verify(world)
    notify(person_ids=[world.alice.pk], verb="verify", text=f"请现场核实：{event.title}", event_id=event.pk)
    notify(person_ids=[world.alice.pk], verb="info", text="本周网格例会改到周五", event_id=None)
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/")

    page.click("#go-inbox")
    page.wait_for_url("**/m/inbox/")
    assert page.locator(".m-bar").is_visible() and page.locator(".m-tabs").is_visible()
    assert page.locator("header.topbar").count() == 0
    assert "请现场核实" in page.inner_text("#inbox-list")
    assert page.evaluate(NO_OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    page.locator("#inbox-list li", has_text="网格例会").get_by_role("button", name="标为已读").click()
    page.wait_for_selector("#inbox-list li.unread:has-text('网格例会')", state="detached")
    assert list(Notification.objects.filter(read_at__isnull=False).values_list("text", flat=True)) == [
        "本周网格例会改到周五"
    ]
    page.click("#read-all button")
    page.wait_for_selector("#inbox-list .unread", state="detached")
    assert not Notification.objects.filter(recipient=world.alice, read_at__isnull=True).exists()

    page.goto("/m/")
    page.click("#go-map")
    page.wait_for_url("**/m/map/")
    assert page.locator(".m-bar").is_visible() and page.locator(".m-tabs").is_visible()
    assert page.locator("header.topbar").count() == 0
    page.wait_for_selector("#map path.leaflet-interactive")  # the grid drawn by the desktop map's script
    page.wait_for_function("document.getElementById('total-open').textContent !== '–'")
    assert page.evaluate(NO_OVERFLOW), page.evaluate("document.documentElement.scrollWidth")
    box = page.locator("#map").bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] >= 250


def test_a_grid_worker_sent_to_the_desktop_inbox_or_map_lands_on_the_phone_pages(world, open_as):
    # A notice's email link or an old bookmark points at the desktop pages, whose header breaks apart at 390 px.
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/command/inbox/?unread=1")
    page.wait_for_url("**/m/inbox/?unread=1")
    assert page.locator(".m-bar").is_visible() and page.locator("header.topbar").count() == 0
    page.goto("/dashboard/map/")
    page.wait_for_url("**/m/map/")
    assert page.locator(".m-bar").is_visible() and page.evaluate(NO_OVERFLOW)


def test_the_grid_head_opens_the_team_view_and_sees_the_team_and_the_open_events(world, open_as):
    head = make_person("hank", "周海峰", Role.GRID_HEAD, grid=world.grid_a, division=world.village_a)
    for person, role in [(head, TeamRole.HEAD), (world.alice, TeamRole.WORKER)]:
        TeamMembership.objects.create(grid=world.grid_a, person=person, role=role)
    mine = reported(world, title="路灯不亮")
    task = to_verify(world)
    elsewhere = reported(world, title="别村违建", where={"lon": 120.895, "lat": 30.945})
    assert mine.status == Status.REPORTED

    page = open_as(head, phone=True, **GEO)
    page.goto("/m/")
    page.click("#go-team")
    page.wait_for_url("**/m/team/")
    members = page.inner_text("#team-members")
    assert "周海峰" in members and "网格长" in members
    assert "王丽丽" in members and "专职网格员" in members
    alice = page.locator("#team-members li", has_text="王丽丽")
    assert task.title in alice.inner_text() and mine.title in alice.inner_text()
    events = page.inner_text("#grid-events")
    assert mine.number in events and task.title in events and elsewhere.title not in events
    assert page.locator("#grid-events .light").count() >= 1
    assert page.evaluate(NO_OVERFLOW)

    page.click(f"#grid-events a:has-text('{mine.title}')")
    page.wait_for_url(f"**/m/reports/{mine.pk}/?from=team")
    assert "上报" in page.inner_text("#report-timeline")
