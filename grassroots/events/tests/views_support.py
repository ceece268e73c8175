"""Helpers for the page tests: events made through the services, and pages read as a person's browser would.

Personas: the `world` fixture's Alice (grid worker, grid A), Bob and Carol (village staff), Oscar (operator),
Dora (agency staff), and from `cast_of`: Sam (shift lead), Cora (district centre), Eve (enforcement squad),
Leo (township leader).
"""

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from grassroots.events import services
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.org.models import Platform

from .api_support import IN_GRID_A, IN_GRID_B, PNG, png

__all__ = ["IN_GRID_A", "IN_GRID_B", "PNG", "htmx", "page_text", "png", "report"]


def report(actor: Any, *, code: str = "ZF0103", source: str = Source.PATROL, **fields: Any) -> Event:
    """An event reported through the service (by default a grid worker's patrol report in grid A)."""
    location = {} if "lon" in fields or "address" in fields else IN_GRID_A
    fields.setdefault("title", "河边私搭简易棚")
    return services.event_report(
        actor=actor, event_type=EventType.objects.get(code=code), source=source, **location, **fields
    ).event


def htmx(target: str) -> dict[str, str]:
    """The headers HTMX sends when it will swap the element with id `target`."""
    return {"HX-Request": "true", "HX-Target": target}


def page_text(response: Any) -> str:
    return response.content.decode()


def make_overdue(event: Event) -> None:
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        warn_at=now - dt.timedelta(hours=3), deadline=now - dt.timedelta(hours=1)
    )


def lead_platform(world: Any, unit: Any, kind: str = "enforcement") -> Platform:
    """Make `unit` the lead unit of the township's `kind` platform (a dispatch suggestion)."""
    return Platform.objects.create(township=world.township, kind=kind, lead_unit=unit)


def client(world: Any, person: Any) -> Client:
    return world.client_for(person)
