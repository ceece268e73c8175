"""Duplicate candidates: open events of the same type within the type's radius and time window, nothing else."""

import datetime as dt

from django.utils import timezone

from grassroots.events.choices import Source, Status
from grassroots.events.models import Event, EventType
from grassroots.events.services import duplicate_candidate_ids, event_report

LON, LAT = 120.885, 30.945
METRE_LAT = 1 / 111_000  # degrees of latitude per metre


def report(world, code="ZF0103", *, lon=LON, lat=LAT, at=None) -> Event:
    event_type = EventType.objects.get(code=code)
    return event_report(
        actor=world.alice,
        event_type=event_type,
        source=Source.PATROL,
        title="河边私搭简易棚",
        lon=lon,
        lat=lat,
        reported_at=at,
    ).event


def test_only_open_events_of_the_type_within_radius_and_window_are_offered(world):
    event_type = EventType.objects.get(code="ZF0103")
    radius, window = event_type.duplicate_radius_m, event_type.duplicate_window_hours
    now = timezone.now()
    near = report(world, lat=LAT + (radius - 10) * METRE_LAT, at=now - dt.timedelta(hours=1))
    earlier_near = report(world, lat=LAT - (radius - 10) * METRE_LAT, at=now - dt.timedelta(hours=2))
    report(world, lat=LAT + (radius + 10) * METRE_LAT, at=now - dt.timedelta(hours=1))  # just outside
    # Inside the bounding box but outside the circle: the corner.
    corner = (radius * 0.8) * METRE_LAT
    report(world, lon=LON + corner / 0.857, lat=LAT + corner, at=now - dt.timedelta(hours=1))
    report(world, "ZF0101", at=now - dt.timedelta(hours=1))  # another type, same place
    report(world, at=now - dt.timedelta(hours=window + 1))  # too long ago
    closed = report(world, at=now - dt.timedelta(hours=1))
    Event.objects.filter(pk=closed.pk).update(status=Status.CLOSED)

    new = report(world, at=now)

    assert duplicate_candidate_ids(new) == [earlier_near.pk, near.pk]  # oldest first, itself excluded


def test_a_report_without_a_point_has_no_candidates(world):
    event = report(world)
    event.lon = event.lat = None
    assert duplicate_candidate_ids(event) == []
