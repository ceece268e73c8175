"""The command room and the department desk in a real browser: the operator finds an overdue report in the queue
with the red-light filter and the keyboard, registers it and dispatches it to the suggested agency; the agency's
staff sign for it on their desk and feed back with a photo; the queue then shows it as fed back."""

import datetime as dt
import struct
import zlib
from pathlib import Path

import pytest
from django.utils import timezone

from grassroots.events import services
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType, TimeLimit
from grassroots.org.models import Platform

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def png_file(folder: Path) -> Path:
    """A real 8×8 PNG (the upload check reads the bytes, and the browser shows the thumbnail)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x9f\x12\x39" * 8 for _ in range(8))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows))
    path = folder / "处置后.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body + chunk(b"IEND", b""))
    return path


def test_an_overdue_report_goes_from_the_queue_to_the_desk_and_comes_back_fed_back(
    world, open_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # A transactional test's flush empties what the data migration loaded.
    load_catalogue(EventType, TimeLimit)
    Platform.objects.create(township=world.township, kind="enforcement", lead_unit=world.agency)
    quiet = services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0101"),
        source=Source.PATROL,
        title="路边暴露垃圾",
        lon=120.886,
        lat=30.946,
    ).event
    event = services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边私搭简易棚",
        description="桥下新搭了一个彩钢棚",
        lon=120.885,
        lat=30.945,
    ).event
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        warn_at=now - dt.timedelta(hours=3), deadline=now - dt.timedelta(hours=1)
    )

    # The operator filters the queue by the red light and opens the event from the keyboard.
    page = open_as(world.oscar)
    page.goto("/command/")
    page.wait_for_selector(f"#row-{quiet.pk}")
    assert page.inner_text('[data-testid="count-red"] .value') == "1"
    page.select_option("#filter-light", "red")
    page.wait_for_selector(f"#row-{quiet.pk}", state="detached")
    assert page.locator("#queue-table tbody tr[data-href]").count() == 1
    assert "light=red" in page.url
    page.wait_for_function("!document.querySelector('.htmx-request')")  # the filter's request has settled
    page.keyboard.press("Escape")  # leave the filter field: j/k move through the rows, not the options
    page.keyboard.press("j")
    assert page.get_attribute(f"#row-{event.pk}", "class") == "current"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/command/events/{event.pk}/")
    assert "桥下新搭了一个彩钢棚" in page.inner_text("main")
    page.wait_for_selector("#event-map path.leaflet-interactive")

    # Register, then dispatch to the unit suggested as the enforcement platform's lead.
    page.click("#action-register button[type=submit]")
    page.wait_for_selector("#action-dispatch")
    assert page.inner_text('[data-testid="event-status"]') == "已立案"
    suggestion = page.locator(f"#suggest-unit-{world.agency.pk}")
    assert "综合执法平台牵头单位" in suggestion.inner_text()
    suggestion.click()
    assert page.input_value("#dispatch-lead-unit") == str(world.agency.pk)
    page.fill("#dispatch-note", "请尽快核查拆除")
    page.click("#action-dispatch button[type=submit]")
    page.wait_for_function("document.querySelector('[data-testid=event-status]').innerText === '已派遣'")
    assert world.agency.name in page.inner_text("#assignments")
    assert "派遣" in page.inner_text("#timeline")

    # The agency's staff sign on their desk and feed back with a photo, without leaving it.
    desk = open_as(world.dora)
    desk.goto("/command/desk/")
    row = f"#desk-row-{event.assignments.get().pk}"
    desk.wait_for_selector(row)
    desk.click(f"{row} form.action-sign button[type=submit]")
    desk.wait_for_selector(f"{row} form.action-feed_back", state="attached")
    assert "已签收" in desk.inner_text(f'{row} [data-testid="assignment-status"]')
    desk.click(f"{row} details:has(form.action-feed_back) > summary")
    desk.fill(f"{row} form.action-feed_back textarea[name=feedback]", "已联系当事人，彩钢棚已拆除")
    desk.set_input_files(f"{row} form.action-feed_back input[type=file]", str(png_file(tmp_path)))
    desk.click(f"{row} form.action-feed_back button[type=submit]")
    desk.wait_for_function(
        f"document.querySelector('{row} [data-testid=assignment-status]').innerText.includes('已反馈')"
    )
    assert Event.objects.get(pk=event.pk).status == Status.FED_BACK
    assert Event.objects.get(pk=event.pk).attachments.get().original_name == "处置后.png"

    # Back in the command room the queue shows the event as fed back, with its photo on the event page.
    page.goto("/command/")
    assert "已反馈" in page.inner_text(f"#row-{event.pk}")
    page.click(f"#row-{event.pk} a.event-link")
    page.wait_for_selector("#photos a[data-photo]")
    page.click("#photos a[data-photo]")
    page.wait_for_selector("#photo-viewer[open]")
