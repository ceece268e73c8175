"""Issue #12: one open 督办 per event. The shift lead issues a 督办 from the event page; the page no longer offers a
second one while it is open, and a second tab that still shows the old form is told why it is refused. Once the
first is answered a new one may be issued, and the unit's inbox keeps one line for the event, with its count."""

import pytest

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType, SupervisionOrder
from grassroots.people.choices import Role

from .phone_support import ensure_catalogue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def dispatched(world) -> Event:
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边私搭简易棚",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    return event


def fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def issue(page, note: str) -> None:
    """Open the folded 督办 step, keep the kind 督办, write the note and submit."""
    page.click("#action-box-supervise > summary")
    page.check("#action-supervise input[name=kind][value=supervise]")
    page.fill("#action-supervise textarea[name=note]", note)
    page.click("#action-supervise button[type=submit]")


def test_a_second_supervision_order_is_not_offered_refused_when_stale_and_noticed_once(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = dispatched(world)
    detail = f"/command/events/{event.pk}/"
    page = open_as(sam)
    page.goto(detail)
    stale = open_as(sam)  # a second tab, opened before the order
    stale.goto(detail)

    issue(page, "请三日内拆除")
    page.wait_for_selector("#action-panel .message >> text=已督办")
    assert SupervisionOrder.objects.filter(event=event, resolved_at__isnull=True).count() == 1

    # While it is open the page offers 催办 only.
    page.click("#action-box-supervise > summary")
    kinds = page.locator("#action-supervise input[name=kind]")
    assert [kinds.nth(i).get_attribute("value") for i in range(kinds.count())] == ["urge"]

    # The other tab still shows 督办 and submits it: refused, in Chinese, on the page; nothing written.
    issue(stale, "再次督办")
    stale.wait_for_selector("#action-supervise .field-error, #action-supervise .form-error")
    assert "该事件已有未结束的同类督办" in stale.inner_text("#action-panel")
    assert SupervisionOrder.objects.filter(event=event).count() == 1

    # The agency feeds back (which answers the order), the check fails and the work comes back: a new
    # 督办 is allowed again.
    s.event_sign(actor=world.dora, event=fresh(event))
    s.event_feed_back(actor=world.dora, event=fresh(event), feedback="已拆除")
    s.event_check(actor=world.oscar, event=fresh(event), passed=False, note="未拆除到位")
    page.goto(detail)
    issue(page, "返工后再督办")
    page.wait_for_selector("#action-panel .message >> text=已督办")
    assert SupervisionOrder.objects.filter(event=event).count() == 2

    # The agency's inbox: one unread line for this event's supervision, counted twice.
    inbox = open_as(world.dora)
    inbox.goto("/command/inbox/")
    lines = inbox.locator("#inbox-body li.note", has_text=f"督办：事件 {event.number}")
    assert lines.count() == 1
    assert "（共2次）" in lines.first.inner_text()
