"""The screenshots' placeholders are filled from the demo's examples, or the shot is skipped when there is none."""

import pytest
from django.core.management.base import CommandError

from grassroots.demo.examples import EXAMPLES
from grassroots.demo.management.commands.screenshots import SHOTS, resolve
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import EventType

pytestmark = pytest.mark.django_db


def test_every_placeholder_of_a_shot_has_an_example():
    names = {name for shot in SHOTS for name in _placeholders(shot.path)}
    assert names <= set(EXAMPLES)


def _placeholders(path: str) -> list[str]:
    return [part.split("}")[0] for part in path.split("{")[1:]]


def test_a_path_without_placeholders_is_kept_and_an_unknown_one_is_refused(world):
    assert resolve("/login/") == "/login/"
    with pytest.raises(CommandError):
        resolve("/command/events/{nobody_knows}/")


def test_a_shot_is_skipped_when_the_database_has_no_example(world):
    assert resolve("/command/events/{registered_event}/") is None  # no demo users in this world


def test_the_dispatcher_is_shown_a_registered_event_they_can_see(world):
    world.oscar.username = "dispatcher"
    world.oscar.save(update_fields=["username"])
    event = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_register(actor=world.oscar, event=event)
    assert resolve("/command/events/{registered_event}/") == f"/command/events/{event.pk}/"


def _rename(person, username):
    person.username = username
    person.save(update_fields=["username"])


def test_the_operator_is_shown_a_citizens_report_waiting_to_be_verified_not_a_patrol_report(world):
    _rename(world.oscar, "operator")
    patrol = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    assert patrol.status == "reported"
    assert resolve("/command/events/{citizen_report}/") is None  # a grid worker's own report needs no check
    call = s.event_report(
        actor=world.oscar,
        event_type=EventType.objects.get(code="ZF0101"),
        source=Source.PHONE,
        title="路边垃圾",
        lon=120.885,
        lat=30.945,
    ).event
    assert call.status == "reported"
    assert resolve("/command/events/{citizen_report}/") == f"/command/events/{call.pk}/"


def test_the_grid_workers_report_page_shows_their_own_report(world):
    _rename(world.alice, "gridworker")
    mine = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event
    s.event_report(
        actor=world.oscar,
        event_type=EventType.objects.get(code="ZF0101"),
        source=Source.PHONE,
        title="路边垃圾",
        lon=120.885,
        lat=30.945,
    )
    assert resolve("/m/reports/{gridworker_report}/") == f"/m/reports/{mine.pk}/"
