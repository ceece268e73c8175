"""The demo district 嘉善县: build it from a seed, or remove it again.

`build_demo_district` writes everything in one transaction with bulk inserts; the same seed and size give the same
codes, names, boundaries and people (only password salts and the dates of the current absences differ).
"""

import random
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from shapely.geometry import Polygon

from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.core.refcache import reference_caches_clear
from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.index import grid_index_invalidate
from grassroots.geo.models import BaseFeature, Division, Grid
from grassroots.mobile.demo import delete_demo_visits
from grassroots.org.models import Absence, BackupPost, Platform, TeamMembership, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .basemap import basemap_features
from .convenience import build_demo_catalogue, delete_demo_convenience
from .disputes import delete_demo_disputes
from .enforcement_cases import delete_demo_cases
from .enforcement_operations import delete_demo_operations
from .enforcement_plans import delete_demo_enforcement_plans
from .enforcement_powers import delete_demo_powers
from .geometry import lay_out
from .history_rows import delete_demo_history, demo_events
from .market import delete_demo_market
from .market_inspections import delete_demo_inspections
from .meetings import delete_demo_meetings
from .names import DEMO_PASSWORD, DISTRICT_CODE, DISTRICT_NAME
from .organisation import agency_counts, create_organisation
from .petitions import delete_demo_petitions
from .places import create_places, township_specs
from .staff import LOGIN_USERNAMES, DemoLogin, create_staff


class DemoDistrictExists(Exception):
    """The demo district is already loaded."""


@dataclass
class DemoDistrict:
    """What a build produced: counts by kind (as in the audit row) and the fixed demo logins."""

    seed: int
    size: int
    district: Division
    counts: dict[str, int]
    logins: list[DemoLogin]
    password: str = DEMO_PASSWORD
    # The intended polygon of every division by code (grids store their own): for tests and event generators.
    outlines: dict[str, Polygon] = field(default_factory=dict, repr=False)


def demo_district_exists() -> bool:
    return Division.objects.filter(code=DISTRICT_CODE, valid_to__isnull=True).exists()


def demo_history_recorded(detail: dict[str, Any]) -> None:
    """Note that the event history of the current demo district is complete."""
    audit_record(
        actor=None,
        action="demo.history",
        object_type="geo.division",
        object_id=DISTRICT_CODE,
        object_repr=DISTRICT_NAME,
        detail=detail,
    )


class HistoryState(StrEnum):
    """NONE: no demo district, or one built without a history. PENDING: built to receive a history that has not
    started (scripts/run builds it in the background). PARTIAL: a history was started and never finished (a run
    stopped with Ctrl-C, say). DONE: complete."""

    NONE = "none"
    PENDING = "pending"
    PARTIAL = "partial"
    DONE = "done"


def _last_load() -> AuditEntry | None:
    return AuditEntry.objects.filter(action="demo.load", object_id=DISTRICT_CODE).order_by("-id").first()


def demo_seed() -> int | None:
    """The seed the current demo district was built with (its history is built with the same one)."""
    load = _last_load()
    return None if load is None else load.detail.get("seed")


def demo_history_state() -> HistoryState:
    """Where the current demo district's event history stands. Its steps commit a few dozen at a time, so a build
    that was stopped leaves part of it behind."""
    load = _last_load()
    if load is None or not load.detail.get("history_follows"):
        return HistoryState.NONE
    if AuditEntry.objects.filter(action="demo.history", object_id=DISTRICT_CODE, id__gt=load.id).exists():
        return HistoryState.DONE
    return HistoryState.PARTIAL if demo_events().exists() else HistoryState.PENDING


def login_username_conflicts() -> list[str]:
    """Fixed demo usernames that are already taken; checked before a build, when no demo district exists."""
    return sorted(Person.objects.filter(username__in=LOGIN_USERNAMES).values_list("username", flat=True))


def build_demo_district(*, seed: int = 2026, size: int = 1, history_follows: bool = False) -> DemoDistrict:
    """Create 嘉善县 with `3 × size` townships, their villages, grids, units, platforms and people.

    `history_follows` records that an event history is to be built next (see `demo_history_state`).
    """
    # Separate streams, so adding a person does not move every boundary.
    specs = township_specs(random.Random(f"{seed}:places"), size)
    layout = lay_out(random.Random(f"{seed}:map"), specs)
    with transaction.atomic():
        if demo_district_exists():
            raise DemoDistrictExists(f"{DISTRICT_NAME}（{DISTRICT_CODE}）已存在")
        places = create_places(random.Random(f"{seed}:households"), specs, layout)
        base = BaseFeature.objects.bulk_create(
            basemap_features(random.Random(f"{seed}:basemap"), places, layout)
        )
        org = create_organisation(places)
        staff, logins = create_staff(random.Random(f"{seed}:people"), places, org)
        convenience = build_demo_catalogue(seed=seed)
        villages = places.all_villages()
        grids = places.all_grids()
        people = staff.people
        counts = {
            "townships": len(places.townships),
            "communities": sum(v.kind == DivisionKind.RESIDENTS for v in villages),
            "villages": sum(v.kind == DivisionKind.VILLAGERS for v in villages),
            "grids": len(grids),
            "households": sum(g.households for g in grids),
            "base_features": len(base),
            "units": 1 + len(org.departments) + len(org.units) + len(org.committees),
            **agency_counts(org),
            "platforms": len(org.platforms),
            "people": len(people),
            "volunteers": sum(p.role == Role.VOLUNTEER for p in people),
            "team_members": len(staff.memberships),
            "backup_posts": len(staff.posts),
            "absences": len(staff.absent),
            **convenience,
        }
        # Bulk inserts send no signals: tell this process's grid lookup index and reference memos, now and again
        # at commit.
        grid_index_invalidate()
        reference_caches_clear()
        transaction.on_commit(grid_index_invalidate)
        transaction.on_commit(reference_caches_clear)
        audit_record(
            actor=None,
            action="demo.load",
            object_type="geo.division",
            object_id=DISTRICT_CODE,
            object_repr=DISTRICT_NAME,
            detail={"seed": seed, "size": size, "history_follows": history_follows, **counts},
        )
    return DemoDistrict(seed, size, places.district, counts, logins, outlines=places.outlines)


def reset_demo_district() -> None:
    """Delete the demo district, dependants first. Raises ProtectedError if other data still points at it.

    Its events go first, with their history, then its convenience services (applications, centres, catalogue) and its market entities.
    People who appear in the audit log cannot be deleted (the log is append-only and keeps its actor): they are
    retired instead, detached from the district, disabled and renamed so the demo usernames are free again.
    """
    in_district = Q(code__startswith=DISTRICT_CODE)
    with transaction.atomic():
        delete_demo_visits(district_code=DISTRICT_CODE)
        delete_demo_cases()  # they point at events, inspections, powers and units
        delete_demo_petitions()  # they point at units, villages, people and disputes
        delete_demo_disputes()  # they point at units, villages, people and events
        delete_demo_operations()  # they point at units, grids, entities and people
        delete_demo_meetings()  # meetings point at people, units and (by links) events
        delete_demo_inspections()  # complaint inspections point at events
        delete_demo_history()
        delete_demo_convenience()
        delete_demo_market()
        delete_demo_enforcement_plans()  # they point at the squad's people and units
        delete_demo_powers()  # they point at the units
        people = Person.objects.filter(
            Q(region_code__startswith=DISTRICT_CODE) | Q(unit__division__code__startswith=DISTRICT_CODE)
        )
        Absence.objects.filter(person__in=people).delete()
        BackupPost.objects.filter(unit__division__code__startswith=DISTRICT_CODE).delete()
        TeamMembership.objects.filter(grid__code__startswith=DISTRICT_CODE).delete()
        Platform.objects.filter(township__code__startswith=DISTRICT_CODE).delete()
        _retire(people.filter(pk__in=AuditEntry.objects.filter(actor__isnull=False).values("actor")))
        people.delete()
        units = Unit.objects.filter(division__code__startswith=DISTRICT_CODE)
        units.filter(parent__isnull=False).delete()  # agencies before their county departments
        units.delete()
        Grid.objects.filter(in_district).delete()
        for level in (DivisionLevel.VILLAGE, DivisionLevel.TOWNSHIP, DivisionLevel.DISTRICT):
            Division.objects.filter(in_district, level=level).delete()


def _retire(people: QuerySet[Person]) -> None:
    for pk, username in people.values_list("pk", "username"):
        Person.objects.filter(pk=pk).update(
            username=f"{username}~{pk}",
            unit=None,
            division=None,
            grid=None,
            region_code="",
            is_active=False,
            is_staff=False,
            is_superuser=False,
            password=make_password(None),
        )
