"""Shared fixtures: a small world of one township, two villages with a grid each, and the people in it.

Personas (healthchecks style): Alice is a grid worker in village A, Bob is village staff in village A, Carol is
village staff in village B, Oscar operates the township command room, Dora works for a dispatched agency.
"""

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from grassroots.core.refcache import reference_caches_clear
from grassroots.geo.choices import DivisionKind, DivisionLevel, GridKind
from grassroots.geo.geometry import boundary_fields
from grassroots.geo.index import grid_index_invalidate
from grassroots.geo.models import Division, Grid
from grassroots.org.choices import AgencyClass, UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

PASSWORD = "Secret@2026"


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(autouse=True)
def _fresh_grid_index() -> Any:
    """The grid index and reference memos are per process; a test's rows must not leak into the next test."""
    grid_index_invalidate()
    reference_caches_clear()
    yield
    grid_index_invalidate()
    reference_caches_clear()


def restore_reference_data() -> None:
    """Put back what data migrations load (the type catalogue, Open311 questions) if a flush emptied it.

    A transactional test (e2e, concurrency) ends with a flush that empties every table, and once Playwright has run
    an event loop in the thread, `serialized_rollback` no longer restores them; later tests would find no types.
    """
    from django.apps import apps

    from grassroots.events.catalogue import load_catalogue
    from grassroots.events.models import EventType, TimeLimit

    if EventType.objects.exists():
        return
    load_catalogue(EventType, TimeLimit)
    seed_attributes = importlib.import_module(
        "grassroots.open311.migrations.0002_seed_service_attributes"
    ).seed
    seed_attributes(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db", "world", "live_server"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    if marker is None:
        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    restore_reference_data()


@dataclass
class World:
    district: Division
    township: Division
    village_a: Division
    village_b: Division
    grid_a: Grid
    grid_b: Grid
    command_room: Unit
    agency: Unit
    alice: Person
    bob: Person
    carol: Person
    oscar: Person
    dora: Person

    def client_for(self, person: Person) -> Client:
        client = Client()
        client.force_login(person)
        return client


def make_grid(code: str, village: Division, boundary: dict, kind: str = GridKind.RURAL) -> Grid:
    return Grid.objects.create(
        code=code,
        name=f"网格{code[-2:]}",
        village=village,
        kind=kind,
        households=150,
        boundary=boundary,
        **boundary_fields(boundary),
    )


def make_person(username: str, name: str, role: str, **kwargs: Any) -> Person:
    return Person.objects.create_user(
        username=username,
        password=PASSWORD,
        name=name,
        role=role,
        phone="13812345678",
        id_number="11010519491231002X",
        **kwargs,
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def build_world() -> World:
    """The personas' world, written to the database (for tests that commit, outside the `world` fixture)."""
    district = Division.objects.create(
        code="330421", name="嘉善县", level=DivisionLevel.DISTRICT, kind="county"
    )
    township = Division.objects.create(
        code="330421102", name="西塘镇", level=DivisionLevel.TOWNSHIP, kind=DivisionKind.TOWN, parent=district
    )
    village_a = Division.objects.create(
        code="330421102201",
        name="红菱村",
        level=DivisionLevel.VILLAGE,
        kind=DivisionKind.VILLAGERS,
        parent=township,
    )
    village_b = Division.objects.create(
        code="330421102202",
        name="鸦鹊村",
        level=DivisionLevel.VILLAGE,
        kind=DivisionKind.VILLAGERS,
        parent=township,
    )
    grid_a = make_grid("33042110220101", village_a, square(120.88, 30.94))
    grid_b = make_grid("33042110220201", village_b, square(120.89, 30.94))
    command_room = Unit.objects.create(
        code="330421102-ZHS", name="西塘镇综合信息指挥室", kind=UnitKind.COMMAND_ROOM, division=township
    )
    agency = Unit.objects.create(
        code="330421102-SCJGS",
        name="西塘市场监管所",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.B,
        division=township,
    )
    return World(
        district=district,
        township=township,
        village_a=village_a,
        village_b=village_b,
        grid_a=grid_a,
        grid_b=grid_b,
        command_room=command_room,
        agency=agency,
        alice=make_person("alice", "王丽丽", Role.GRID_WORKER, grid=grid_a, division=village_a),
        bob=make_person("bob", "李建国", Role.VILLAGE_STAFF, division=village_a),
        carol=make_person("carol", "张晓红", Role.VILLAGE_STAFF, division=village_b),
        oscar=make_person("oscar", "陈志强", Role.OPERATOR, division=township, unit=command_room),
        dora=make_person("dora", "赵敏", Role.DEPARTMENT_STAFF, unit=agency),
    )
