"""挂起 on the event page: the agency's request waits for the shift lead, who approves it on the page; the status
turns to 已挂起, the clock reads as paused, and the ledger shows since when."""

import pytest

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.choices import Status, SuspensionKind, SuspensionStatus
from grassroots.events.models import Suspension
from grassroots.people.choices import Role

from .event_support import fresh, signed
from .phone_support import ensure_catalogue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def test_the_shift_lead_approves_a_suspension_on_the_event_page(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = signed(world)
    s.event_request_suspension(
        actor=world.dora, event=fresh(event), kind=SuspensionKind.TESTING, reason="等待水质检测报告"
    )

    page = open_as(sam)
    page.goto(f"/command/events/{event.pk}/")
    assert "等待水质检测报告" in page.inner_text("#requests")
    form = "#action-decide_suspension"
    page.check(f"{form} input[name=approve][value='1']")
    page.fill(f"{form} input[name=note]", "同意，检测期间暂停计时")
    page.click(f"{form} button[type=submit]")

    page.wait_for_selector("#action-panel .message >> text=已审批挂起")
    assert page.inner_text("[data-testid=event-status]") == "已挂起"
    assert "计时暂停" in page.inner_text("[data-testid=event-suspension]")
    assert "挂起中" in page.inner_text("#requests")
    assert fresh(event).status == Status.SUSPENDED
    assert Suspension.objects.get(event=event).status == SuspensionStatus.ACTIVE
