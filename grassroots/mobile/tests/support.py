"""Helpers for the phone tests: events in the states a grid worker meets on site, and a photo."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.conftest import World, make_person
from grassroots.demo.photos import sample_png
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.people.choices import Role
from grassroots.people.models import Person

PNG = sample_png()
IN_GRID_A: dict[str, Any] = {"lon": 120.885, "lat": 30.945}
IN_GRID_B: dict[str, Any] = {"lon": 120.895, "lat": 30.945}


def png(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def reported(
    world: World, *, code: str = "ZF0103", where: dict[str, Any] = IN_GRID_A, title: str = "违建"
) -> Event:
    """A grid worker's patrol report (no verification needed)."""
    event_type = EventType.objects.get(code=code)
    return s.event_report(
        actor=world.alice, event_type=event_type, source=Source.PATROL, title=title, **where
    ).event


def to_verify(world: World, *, verifier: Any = None, where: dict[str, Any] = IN_GRID_A) -> Event:
    """A hotline report the command room sent a grid worker to verify on site."""
    event_type = EventType.objects.get(code="ZF0103")
    event = s.event_report(
        actor=world.oscar, event_type=event_type, source=Source.PHONE, title="来电反映违建", **where
    ).event
    s.event_verify(actor=world.oscar, event=event, verifier=verifier or world.alice)
    return event


def colleague(world: World) -> Person:
    """A second grid worker of grid A: the reporter does not check their own case, so her reports are alice's to
    check."""
    return Person.objects.filter(username="grace").first() or make_person(
        "grace", "周佳", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a
    )


def fed_back(world: World, *, where: dict[str, Any] = IN_GRID_A, title: str = "违建") -> Event:
    """Reported by a colleague, registered, dispatched to the agency, signed and fed back: awaiting the check on
    site."""
    event_type = EventType.objects.get(code="ZF0103")
    event = s.event_report(
        actor=colleague(world), event_type=event_type, source=Source.PATROL, title=title, **where
    ).event
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=event)
    s.event_feed_back(actor=world.dora, event=event, feedback="已拆除", files=[png()])
    return event
