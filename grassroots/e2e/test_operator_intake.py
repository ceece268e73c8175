"""The intake desk in a real browser: from the queue the operator registers a hotline call by keyboard (channel,
caller, type search, place search, Ctrl+Enter); a second call from the same phone shows the first report as a repeat
candidate while the number is typed; the operator joins it to that event, whose page then shows the repeat caller."""

import pytest

from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType, IntakeRecord, TimeLimit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

PHONE = "13957312345"


def fill_call(page, *, name: str, text: str) -> None:
    """Channel 来电, the caller, the type found by search, the place found by name, the text: all by keyboard."""
    page.locator("#channel-phone").focus()
    page.keyboard.press("Space")
    page.locator("#intake-caller_name").fill(name)
    page.locator("#intake-caller_phone").press_sequentially(PHONE, delay=20)
    page.locator("#type-search").fill("私搭")
    page.locator("#type-search").press("Enter")  # takes the first match and moves on to the text
    assert page.locator("#intake-event_type").input_value() == "ZF0103"
    page.keyboard.type(text)
    page.locator("#place-search").fill("红菱")
    page.locator("#place-results li").first.wait_for()
    page.locator("#place-search").press("Enter")
    assert page.locator("#intake-lon").input_value() != ""


def test_a_hotline_call_then_a_repeat_call_from_the_same_phone_joins_the_first_event(world, open_as):
    load_catalogue(EventType, TimeLimit)  # a transactional test's flush empties what the migration loaded
    page = open_as(world.oscar)
    page.goto("/command/")
    page.locator("#intake-link").click()
    page.wait_for_url("**/command/intake/")
    assert page.locator("h1").inner_text() == "登记来电/来信"

    # The first call: a new event.
    fill_call(page, name="张建军", text="河边有人私搭简易棚，堵住了通道")
    page.locator("#intake-callback_wanted").check()
    page.locator("#intake-description").press("Control+Enter")
    page.wait_for_url("**/command/events/*/")
    first = Event.objects.get()
    assert f"已登记：{first.number}" in page.locator(".messages").inner_text()
    assert (first.source, first.reporter_phone, first.grid_id) == (Source.PHONE, PHONE, world.grid_a.pk)
    assert IntakeRecord.objects.get(event=first).callback_wanted is True

    # The second call from the same phone: the first report is offered while the number is typed.
    page.goto("/command/intake/")
    fill_call(page, name="张建军", text="又来电：棚子还在，催促处理")
    candidate = page.locator(f"#by-caller li[data-event-id='{first.pk}']")
    candidate.wait_for()
    assert first.number in candidate.inner_text() and "张建军" in candidate.inner_text()
    # The same report is also a duplicate candidate by place and type (0 m away).
    page.locator(f"#nearby li[data-event-id='{first.pk}']").wait_for()
    candidate.get_by_role("button", name="并入此事件").click()
    assert page.locator("#join-banner").is_visible()
    assert page.locator("#join-number").inner_text() == first.number
    assert page.locator("#intake-submit").inner_text() == "登记并并入已有事件"
    page.locator("#intake-submit").click()
    page.wait_for_url(f"**/command/events/{first.pk}/")
    assert "并入事件" in page.locator(".messages").inner_text()

    repeat = Event.objects.exclude(pk=first.pk).get()
    assert (repeat.status, repeat.merged_into_id) == (Status.MERGED, first.pk)
    assert Event.objects.get(pk=first.pk).status == Status.REPORTED
    callers = page.locator("#repeat-callers")
    assert "张建军" in callers.inner_text() and PHONE in callers.inner_text()
    assert repeat.number in callers.inner_text()
