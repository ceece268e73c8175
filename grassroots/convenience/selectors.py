"""Reads that carry the platform's rules: who someone is to an application, what a clerk's desk shows."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.org.selectors import covered_holders
from grassroots.people.choices import Role

from .choices import FINISHED_STATUSES, OPEN_STATUSES, Status
from .models import Application, ServiceCentre, ServiceItem
from .rules import Actor

# Roles who take in applications on a resident's behalf at a village service point (代办员).
AGENT_ROLES = frozenset({Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.GRID_HEAD})


def actor_kinds(application: Application, actor: Any, *, at: dt.datetime | None = None) -> set[str]:
    """What `actor` is with respect to `application` (the `Actor` kinds of the table)."""
    if actor is None:
        return {Actor.SYSTEM}
    kinds: set[str] = set()
    unit_id = getattr(actor, "unit_id", None)
    if actor.role == Role.WINDOW_CLERK and unit_id and unit_id == application.centre.unit_id:
        kinds.add(Actor.WINDOW)
    if application.handler_id == actor.pk or (
        application.handler_id and application.handler_id in covered_holders(actor.pk, at=at)
    ):
        kinds.add(Actor.HANDLER)
    if unit_id and unit_id == application.handling_unit_id:
        kinds.add(Actor.UNIT)
    if application.agent_id == actor.pk:
        kinds.add(Actor.AGENT)
    return kinds


def centre_of(actor: Any) -> ServiceCentre | None:
    """The centre whose windows `actor` works at, or None."""
    unit_id = getattr(actor, "unit_id", None)
    if not unit_id:
        return None
    return ServiceCentre.objects.select_related("township", "unit").filter(unit_id=unit_id).first()


def items_for(centre: ServiceCentre, *, at: dt.datetime | None = None) -> QuerySet[ServiceItem]:
    """The items in force on the centre's list (its township type's), in code order."""
    return ServiceItem.objects.in_force(at).filter(**{f"in_{centre.township_type}": True}).order_by("code")


def village_items(*, at: dt.datetime | None = None) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.in_force(at).filter(at_village=True).order_by("code")


def desk_of(actor: Any, *, at: dt.datetime | None = None) -> QuerySet[Application]:
    """The open applications `actor` holds, those of the A posts they stand in for, and (for an agent) those
    they forwarded: the clerk's own desk."""
    at = at or timezone.now()
    holders = {actor.pk, *covered_holders(actor.pk, at=at)}
    q = Q(handler_id__in=holders) | Q(agent_id=actor.pk)
    return (
        Application.objects.filter(q, status__in=[*OPEN_STATUSES, *FINISHED_STATUSES - {Status.ARCHIVED}])
        .select_related("item", "handler")
        .order_by("due_at", "id")
    )
