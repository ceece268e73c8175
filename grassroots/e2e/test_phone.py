"""The grid worker's phone in Chromium (390×844): report with a photo and GPS, and report while offline."""

import pytest

from grassroots.events.choices import AttachmentPhase, Source, Status
from grassroots.events.models import Event

from .phone_support import GEO, ensure_catalogue, photo, pick_type, wait_for_service_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def test_a_grid_worker_reports_an_event_with_a_photo_and_the_gps_position(world, open_as):
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/")
    assert "红菱村 · 网格01" in page.inner_text(".m-bar")
    page.click("#go-report")
    pick_type(page, "垃圾", "暴露垃圾")
    page.set_input_files("#photos", files=[photo()])
    page.wait_for_selector("#photo-thumbs .thumb img")
    page.wait_for_function("document.getElementById('pos-text').textContent.startsWith('已定位')")
    page.fill("#description", "桥头垃圾堆了三天")
    page.click("#submit-report")
    page.wait_for_selector("#report-done:not([hidden])")
    assert page.inner_text("#done-title") == "已上报"
    event = Event.objects.get()
    assert event.number in page.inner_text("#done-text")
    assert event.source == Source.PATROL and event.reporter_id == world.alice.pk
    assert event.title == "暴露垃圾" and event.description == "桥头垃圾堆了三天"
    assert event.lon == pytest.approx(120.885) and event.lat == pytest.approx(30.945)
    assert event.grid_id == world.grid_a.pk
    assert event.idempotency_key and len(event.idempotency_key) == 36
    assert event.attachments.get().phase == AttachmentPhase.REPORT


def test_the_pin_dragged_on_the_grid_map_corrects_the_position(world, open_as):
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/report/")
    page.wait_for_function("document.getElementById('pos-text').textContent.startsWith('已定位')")
    assert page.locator("#map path.leaflet-interactive").count() >= 1  # the grid's polygon, no tiles
    page.locator("#map").scroll_into_view_if_needed()
    pin = page.locator(".pin").bounding_box()
    start = (pin["x"] + pin["width"] / 2, pin["y"] + 12)  # the head of the pin
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 40, start[1] + 30, steps=5)
    page.mouse.up()
    assert page.inner_text("#pos-text").startswith("已手动标出位置")
    lon = float(page.input_value("#lon"))
    lat = float(page.input_value("#lat"))
    assert lon > 120.885 and lat < 30.945


def test_a_self_fixable_problem_is_fixed_on_the_spot_with_before_and_after_photos(world, open_as):
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/report/")
    pick_type(page, "小广告", "非法小广告")
    page.set_input_files("#photos", files=[photo("处置前.png")])
    page.check("#fixed")
    page.set_input_files("#after_photos", files=[photo("处置后.png")])
    page.fill("#fix_note", "已铲除")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#submit-report")
    page.wait_for_selector("#report-done:not([hidden])")
    assert "自行处置" in page.inner_text("#done-title")
    event = Event.objects.get()
    assert event.status == Status.SELF_HANDLED
    assert sorted(event.attachments.values_list("phase", flat=True)) == [
        AttachmentPhase.AFTER,
        AttachmentPhase.REPORT,
    ]


def test_a_report_made_offline_waits_on_the_phone_and_is_sent_once_when_the_network_returns(world, open_as):
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/")
    wait_for_service_worker(page)
    page.context.set_offline(True)

    response = page.goto("/m/report/")
    assert response.from_service_worker  # the page kept by the service worker
    assert page.locator("#net-status").is_visible()
    pick_type(page, "井盖", "井盖缺损")
    page.set_input_files("#photos", files=[photo(), photo("近景.png")])
    page.wait_for_selector("#photo-thumbs .thumb >> nth=1")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#submit-report")
    page.wait_for_selector("#report-done:not([hidden])")
    assert page.inner_text("#done-title") == "已保存到待发送"

    page.click("#done-queue")
    page.wait_for_selector("#queue-list .q-item")
    assert page.inner_text("#queue-list .q-state") == "待发送"
    assert "2 张照片" in page.inner_text("#queue-list .q-meta")
    assert page.inner_text(".m-tabs [data-queue-count]") == "1"
    page.reload()  # still offline: the page and the kept report survive a reload
    page.wait_for_selector("#queue-list .q-item")
    assert not Event.objects.exists()

    page.context.set_offline(False)
    page.wait_for_function(
        "document.querySelector('#queue-list .q-state').textContent === '已发送'", timeout=20_000
    )
    event = Event.objects.get()
    assert event.title == "井盖缺损" and event.attachments.count() == 2
    assert event.number in page.inner_text("#queue-list .q-meta")

    # A retry of the same report (same idempotency key) answers with the same event.
    page.evaluate(
        """async () => {
            const [item] = await GridOutbox.all(GridApp.config.user);
            item.eventId = null; item.state = "pending";
            await GridOutbox.put(item);
            await GridApp.flush();
        }"""
    )
    assert Event.objects.count() == 1


def test_the_home_page_counts_what_waits_to_be_sent(world, open_as):
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/report/")
    page.context.set_offline(True)
    pick_type(page, "垃圾", "暴露垃圾")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#submit-report")
    page.wait_for_selector("#report-done:not([hidden])")
    page.context.set_offline(False)
    page.goto("/m/")
    page.wait_for_function("document.querySelector('[data-queue-count-tile]').textContent === '0'")
    assert Event.objects.count() == 1
