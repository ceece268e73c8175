"""Events the browser tests start from, made through the services: Alice's patrol report in grid A, and the same
registered, dispatched to the agency and signed for by Dora."""

from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType


def fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def reported(world) -> Event:
    return s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边私搭简易棚",
        lon=120.885,
        lat=30.945,
    ).event


def signed(world) -> Event:
    event = reported(world)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=fresh(event), lead_unit_id=world.agency.pk)
    s.event_sign(actor=world.dora, event=fresh(event))
    return fresh(event)
