"""A citizen's report goes through on-site verification to registration in Chromium: the operator sends the grid
worker (派员核实), the worker confirms it on the phone, and the operator registers it. Citizen and hotline reports
must be verified before registering, so a verifier choice that never validates leaves them 已上报 for ever."""

import pytest

from grassroots.conftest import make_person
from grassroots.e2e.phone_support import GEO, file_public_report
from grassroots.events.choices import Status
from grassroots.events.models import Event
from grassroots.open311.tests.conftest import ensure_catalogue
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _catalogue(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def test_a_public_report_is_verified_on_site_and_then_registered(world, open_as):
    citizen = open_as(None, phone=True)
    file_public_report(citizen, "村口路面有个坑")
    event = Event.objects.get()
    assert event.status == Status.REPORTED

    # The operator sends a grid worker of the event's grid; the choice validates and the event waits on site.
    # The map click lands in one of the two grids; the worker is a grid worker of that grid.
    if event.grid_id == world.grid_a.pk:
        worker = world.alice
    else:
        worker = make_person("brian", "沈建华", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    desk = open_as(world.oscar)
    desk.goto(f"/command/events/{event.pk}/")
    assert desk.locator("#action-register").count() == 0  # a citizen's report is verified first
    if desk.locator("#action-box-verify > summary").count():
        desk.click("#action-box-verify > summary")
    desk.select_option("#action-verify select[name=verifier]", str(worker.pk))
    desk.click("#action-verify button[type=submit]")
    desk.wait_for_function("document.querySelector('[data-testid=event-status]').innerText === '核实中'")
    assert "选择一个有效的选项" not in desk.inner_text("#action-panel")
    event.refresh_from_db()
    assert event.status == Status.VERIFYING and event.verifier_id == worker.pk

    # The worker finds it on the phone and confirms it.
    phone = open_as(worker, phone=True, **GEO)
    phone.goto(f"/m/tasks/{event.pk}/")
    phone.check("input[name=result][value='1']")
    phone.click("#task-submit")
    phone.wait_for_url("**/m/tasks/")
    event.refresh_from_db()
    assert event.status == Status.VERIFIED

    # Back on the desk the operator registers it.
    desk.reload()
    desk.click("#action-register button[type=submit]")
    desk.wait_for_function("document.querySelector('[data-testid=event-status]').innerText === '已立案'")
    event.refresh_from_db()
    assert event.status == Status.REGISTERED
