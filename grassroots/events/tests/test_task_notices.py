"""Who is told of a unit's task (issue #12): a village committee's tasks go to its cadres, not to the grid workers
whose phone cannot act on them."""

import pytest

from grassroots.events import services as s
from grassroots.events.models import Event
from grassroots.events.services.timers import timers_tick
from grassroots.notifications.models import Notification
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .test_timers import SECOND, warn_at_of
from .views_support import report

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(world) -> Unit:
    """Village A's committee: Bob is its cadre; Alice, the grid worker, belongs to it too (as in the demo)."""
    unit = Unit.objects.create(
        code="330421102201-CWH",
        name="红菱村村民委员会",
        kind=UnitKind.VILLAGE_COMMITTEE,
        division=world.village_a,
    )
    Person.objects.filter(pk__in=[world.alice.pk, world.bob.pk]).update(unit=unit)
    for person in (world.alice, world.bob):
        person.refresh_from_db()
    return unit


def told(person, verb: str) -> list[str]:
    return list(Notification.objects.filter(recipient=person, verb=verb).values_list("text", flat=True))


def dispatched_to(world, unit: Unit) -> Event:
    event = report(world.alice)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=unit.pk)
    event.refresh_from_db()
    return event


# -- village committee tasks -------------------------------------------------------------------------------


def test_a_task_for_a_village_committee_is_announced_to_its_cadres_not_its_grid_workers(
    world, committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = dispatched_to(world, committee)

    assert event.level == 2
    assert len(told(world.bob, "dispatch")) == 1 and "新派遣任务" in told(world.bob, "dispatch")[0]
    assert told(world.alice, "dispatch") == []


def test_its_supervision_and_warning_notices_go_to_the_cadres_too(
    world, committee, django_capture_on_commit_callbacks
):
    world.oscar.role = Role.SHIFT_LEAD
    world.oscar.save()
    event = dispatched_to(world, committee)

    with django_capture_on_commit_callbacks(execute=True):
        s.event_supervise(actor=world.oscar, event=event, note="请加快")
    event.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        timers_tick(now=warn_at_of(event) + SECOND)

    assert told(world.bob, "supervise") and told(world.bob, "warn")
    assert not Notification.objects.filter(recipient=world.alice).exists()


def test_a_committee_with_nobody_but_its_grid_workers_still_tells_them(
    world, committee, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=world.bob.pk).update(unit=None)

    with django_capture_on_commit_callbacks(execute=True):
        dispatched_to(world, committee)

    assert len(told(world.alice, "dispatch")) == 1


def test_other_units_tell_all_their_staff_as_before(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispatched_to(world, world.agency)

    assert len(told(world.dora, "dispatch")) == 1
