"""Issue #12: who is told of what. A task the command room sends to a village committee reaches the village cadre's
inbox, not the grid worker's phone, which cannot act on it; and the grid worker who reported an event is not among
the people the command room may send to verify it or to check its handling."""

import pytest

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType
from grassroots.notifications.models import Notification
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .phone_support import ensure_catalogue

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def alices_report(world, *, source: str = Source.PATROL, title: str = "河边私搭简易棚") -> Event:
    return s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=source,
        title=title,
        lon=120.885,
        lat=30.945,
    ).event


def test_a_village_committee_task_reaches_the_cadre_and_not_the_grid_workers_phone(world, open_as):
    committee = Unit.objects.create(
        code="330421102201-CWH",
        name="红菱村村民委员会",
        kind=UnitKind.VILLAGE_COMMITTEE,
        division=world.village_a,
    )
    Person.objects.filter(pk__in=[world.alice.pk, world.bob.pk]).update(unit=committee)
    event = alices_report(world)
    s.event_register(actor=world.oscar, event=event)

    room = open_as(world.oscar)
    room.goto(f"/command/events/{event.pk}/")
    room.select_option("#dispatch-lead-unit", str(committee.pk))
    room.click("form#action-dispatch button[type=submit]")
    room.wait_for_selector("#action-panel .message >> text=已派遣")
    assert Event.objects.get(pk=event.pk).status == Status.DISPATCHED

    phone = open_as(world.alice, phone=True)
    phone.goto("/m/inbox/")
    assert "新派遣任务" not in phone.inner_text("main")
    cadre = open_as(world.bob)
    cadre.goto("/command/inbox/")
    assert f"新派遣任务 {event.number}" in cadre.inner_text("#inbox-body")
    assert not Notification.objects.filter(recipient=world.alice, verb="dispatch").exists()


def test_the_reporter_is_not_offered_to_verify_or_check_their_own_report(world, open_as):
    ivy = make_person("ivy", "吴静", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)
    room = open_as(world.oscar)

    # 核实: Alice filed it as staff (so it needs verifying on site); only Ivy may be sent.
    staff_report = alices_report(world, source=Source.STAFF, title="井盖缺失")
    room.goto(f"/command/events/{staff_report.pk}/")
    offered = room.locator("#action-verify select[name=verifier] option")
    values = [offered.nth(i).get_attribute("value") for i in range(offered.count())]
    assert str(ivy.pk) in values and str(world.alice.pk) not in values
    room.select_option("#action-verify select[name=verifier]", str(ivy.pk))
    room.click("form#action-verify button[type=submit]")
    room.wait_for_selector("#action-panel .message >> text=已核实")
    staff_report.refresh_from_db()
    assert (staff_report.status, staff_report.verifier_id) == (Status.VERIFYING, ivy.pk)

    # 核查: Alice's patrol report, handled and fed back; again only Ivy may be sent to check.
    event = alices_report(world)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=Event.objects.get(pk=event.pk), lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=Event.objects.get(pk=event.pk))
    s.event_feed_back(actor=world.dora, event=Event.objects.get(pk=event.pk), feedback="已拆除")
    room.goto(f"/command/events/{event.pk}/")
    offered = room.locator("#action-check select[name=checker] option")
    values = [offered.nth(i).get_attribute("value") for i in range(offered.count())]
    assert str(ivy.pk) in values and str(world.alice.pk) not in values
    room.select_option("#action-check select[name=checker]", str(ivy.pk))
    room.click("form#action-check button[type=submit]")
    room.wait_for_selector("#action-panel .message >> text=已核查")
    event.refresh_from_db()
    assert (event.status, event.verifier_id) == (Status.CHECKING, ivy.pk)
