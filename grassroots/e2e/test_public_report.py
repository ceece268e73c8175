"""The public report page on a phone in Chromium: pick a type, answer its question, tap the map, add a photo, file,
and follow the number. With SCREENSHOTS=<dir> it also saves public-report.png and public-report-track.png there.
"""

import os
from pathlib import Path

import pytest

from grassroots.e2e.phone_support import photo
from grassroots.events.choices import Source
from grassroots.events.models import Event
from grassroots.open311.tests.conftest import ensure_catalogue, public

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _catalogue() -> None:
    ensure_catalogue()


def shoot(page, name: str) -> None:
    target = os.environ.get("SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_a_citizen_files_a_report_from_a_phone_and_follows_it(world, open_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = open_as(None, phone=True)
    page.goto("/report/")
    assert page.title().startswith("反映问题")
    page.wait_for_selector("#map path")  # the grid outlines, drawn without any tiles
    page.select_option("#id_service_code", "FW0403")
    page.wait_for_selector("input[name='attribute[size]']")
    page.check("input[name='attribute[size]'][value='medium']")
    page.locator("#map").scroll_into_view_if_needed()
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
    assert page.inner_text("#pin-text").startswith("已选位置")
    page.fill("#id_description", "红菱村村口路面塌了一个坑，电动车容易摔")
    page.set_input_files("#id_photos", files=[photo()])
    page.wait_for_selector("#photo-previews img")
    page.fill("#id_phone", "13900003333")
    shoot(page, "public-report")
    page.click("button.pub-submit")
    page.wait_for_selector("#event-number")
    event = Event.objects.get()
    assert page.inner_text("#event-number") == event.number
    assert page.inner_text("#status") == "待受理"  # not yet registered: the timeline says 等待受理
    assert event.source == Source.ONLINE and event.grid_id in {world.grid_a.pk, world.grid_b.pk}
    assert public(event).attributes == {"size": "medium"}
    assert event.attachments.count() == 1
    assert "13900003333" not in page.content()
    shoot(page, "public-report-track")
    page.goto(f"/report/track/?number={event.number}")
    assert "已收到您的反映，等待受理" in page.inner_text("#timeline")
