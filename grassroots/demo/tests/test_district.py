"""The demo district: sizes, codes, geometry, organisation, people and determinism.

The district is built once for the module inside a transaction that is rolled back at the end.
"""

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
import shapely
from django.db import transaction
from django.utils import timezone
from shapely.geometry import Polygon, shape

from grassroots.audit.models import AuditEntry
from grassroots.core.checkdigits import is_valid_id_number
from grassroots.demo.district import DemoDistrict, build_demo_district, reset_demo_district
from grassroots.demo.names import DEMO_PASSWORD
from grassroots.geo.choices import DivisionKind, DivisionLevel, GridKind
from grassroots.geo.codes import division_code_errors, grid_code_errors
from grassroots.geo.models import BaseFeature, Division, Grid
from grassroots.org.choices import AgencyClass, PlatformKind, TeamRole, UnitKind
from grassroots.org.models import Absence, BackupPost, Platform, TeamMembership, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoDistrict]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_district()
        transaction.set_rollback(True)


def _grid_shapes() -> dict[str, Polygon]:
    return {code: shape(boundary) for code, boundary in Grid.objects.values_list("code", "boundary")}


def _relative_difference(a: Any, b: Any) -> float:
    return float(a.symmetric_difference(b).area / b.area)


def _digest() -> str:
    tables = [
        Division.objects.order_by("code").values_list("code", "name", "kind", "parent__code"),
        Grid.objects.order_by("code").values_list("code", "name", "kind", "households", "boundary"),
        BaseFeature.objects.order_by("kind", "rank", "name", "id").values_list(
            "kind", "name", "rank", "geometry"
        ),
        Unit.objects.order_by("code").values_list("code", "name", "kind", "agency_class", "parent__code"),
        Person.objects.filter(is_active=True)
        .order_by("username")
        .values_list("username", "name", "phone", "id_number", "role", "region_code", "unit__code"),
        TeamMembership.objects.order_by("grid__code", "person__username").values_list(
            "grid__code", "person__username", "role", "start"
        ),
        BackupPost.objects.order_by("unit__code", "name").values_list(
            "unit__code", "name", "holder__username"
        ),
    ]
    payload = json.dumps([list(t) for t in tables], default=str, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def test_the_district_meets_the_minimum_sizes(demo: DemoDistrict) -> None:
    townships = Division.objects.filter(level=DivisionLevel.TOWNSHIP)
    assert {t.code: t.kind for t in townships} == {
        "330421001": DivisionKind.STREET,
        "330421102": DivisionKind.TOWN,
        "330421400": DivisionKind.ZONE,
    }
    assert Division.objects.filter(level=DivisionLevel.VILLAGE).count() >= 30
    assert Grid.objects.count() >= 132
    assert Grid.objects.filter(code__startswith="330421102").count() == 132  # Xitang, seed 000
    assert demo.counts["grids"] == Grid.objects.count()
    assert demo.counts["people"] == Person.objects.count()


def test_every_division_and_grid_code_passes_the_validators() -> None:
    for division in Division.objects.select_related("parent"):
        parent_code = division.parent.code if division.parent else None
        assert division_code_errors(division.code, division.kind, parent_code) == [], division
    for grid in Grid.objects.select_related("village"):
        assert grid_code_errors(grid.code, grid.village.code) == [], grid
        assert grid.code[12:] != "00"


def test_grids_tile_each_village_and_villages_tile_each_township(demo: DemoDistrict) -> None:
    shapes = _grid_shapes()
    by_parent: dict[str, list[Polygon]] = defaultdict(list)
    for code, polygon in shapes.items():
        by_parent[code[:12]].append(polygon)
        by_parent[code[:9]].append(polygon)
    for code, polygons in by_parent.items():
        union = shapely.union_all(polygons)
        assert union.geom_type == "Polygon", code
        assert not list(union.interiors), code
        assert sum(p.area for p in polygons) == pytest.approx(union.area, rel=1e-9), code  # no overlaps
        assert _relative_difference(union, demo.outlines[code]) < 1e-5, code  # no gaps


def test_no_two_grids_overlap_anywhere_and_together_they_cover_the_district(demo: DemoDistrict) -> None:
    polygons = list(_grid_shapes().values())
    assert all(p.is_valid for p in polygons)
    tree = shapely.STRtree(polygons)
    left, right = tree.query(polygons, predicate="intersects")
    overlaps = [polygons[i].intersection(polygons[j]).area for i, j in zip(left, right, strict=True) if i < j]
    assert overlaps and max(overlaps) == 0.0  # neighbours share exact edges
    union = shapely.union_all(polygons)
    assert union.geom_type == "Polygon" and not list(union.interiors)
    assert _relative_difference(union, demo.outlines["330421"]) < 1e-6


def test_grids_lie_around_jiashan_with_guideline_households() -> None:
    for grid in Grid.objects.select_related("village__parent"):
        assert 120.80 <= grid.min_lon <= grid.max_lon <= 121.05
        assert 30.80 <= grid.min_lat <= grid.max_lat <= 31.00
        assert shape(grid.boundary).contains(shapely.Point(grid.label_lon, grid.label_lat))
        township = grid.village.parent
        assert township is not None
        urban = township.kind == DivisionKind.STREET or grid.village.kind == DivisionKind.RESIDENTS
        assert grid.kind == (GridKind.URBAN if urban else GridKind.RURAL)
        assert (250 <= grid.households <= 350) if urban else (120 <= grid.households <= 180)


def test_every_role_but_volunteer_has_a_login_with_the_demo_password(demo: DemoDistrict) -> None:
    assert {login.role for login in demo.logins} == set(Role) - {Role.VOLUNTEER}
    for login in demo.logins:
        person = Person.objects.get(username=login.username)
        assert person.role == login.role and person.is_active
    # The three separated administrators reach the admin site by their role's duties; none is a superuser.
    for username in ("admin", "security", "auditor"):
        person = Person.objects.get(username=username)
        assert person.is_staff and not person.is_superuser and person.check_password(DEMO_PASSWORD)
    assert not Person.objects.filter(is_superuser=True).exists()
    for username in ("centre", "security", "auditor"):
        assert Person.objects.get(username=username).region_code == "330421"
    for username in (
        "operator",
        "dispatcher",
        "shiftlead",
        "leader",
        "dept",
        "window",
        "inspector",
        "mediator",
    ):
        assert Person.objects.get(username=username).region_code == "330421102"


def test_the_grid_logins_belong_to_one_real_xitang_grid() -> None:
    worker = Person.objects.select_related("grid__village").get(username="gridworker")
    assert worker.grid is not None and worker.grid.code.startswith("330421102")
    village = worker.grid.village
    assert Person.objects.get(username="village").division == village
    assert Person.objects.get(username="instructor").division == village
    team = dict(worker.grid.team.values_list("person__username", "role"))
    assert team["gridworker"] == TeamRole.WORKER
    assert team["gridhead"] == TeamRole.HEAD
    assert team["instructor"] == TeamRole.INSTRUCTOR
    assert Unit.objects.get(staff__username="dept").kind == UnitKind.DISPATCHED_AGENCY


def test_dispatched_agencies_come_in_both_classes_under_a_county_department() -> None:
    agencies = Unit.objects.filter(kind=UnitKind.DISPATCHED_AGENCY).select_related("parent")
    assert {a.agency_class for a in agencies} == {AgencyClass.A, AgencyClass.B}
    assert all(a.parent is not None and a.parent.kind == UnitKind.COUNTY_DEPARTMENT for a in agencies)
    assert not Unit.objects.exclude(kind=UnitKind.DISPATCHED_AGENCY).exclude(agency_class="").exists()
    # Seed 004: the enforcement squad is class A in a town and B in a 街道.
    assert Unit.objects.get(code="330421102-ZFZD").agency_class == AgencyClass.A
    assert Unit.objects.get(code="330421001-ZFZD").agency_class == AgencyClass.B
    assert Unit.objects.filter(kind=UnitKind.COMMAND_CENTRE).count() == 1
    for township in Division.objects.filter(level=DivisionLevel.TOWNSHIP):
        assert Unit.objects.filter(division=township, kind=UnitKind.COMMAND_ROOM).count() == 1
    for village in Division.objects.filter(level=DivisionLevel.VILLAGE):
        assert Unit.objects.filter(division=village, kind=UnitKind.VILLAGE_COMMITTEE).count() == 1


def test_each_township_has_the_four_platforms_with_lead_office_and_members() -> None:
    for township in Division.objects.filter(level=DivisionLevel.TOWNSHIP):
        platforms = Platform.objects.filter(township=township).select_related("lead_unit", "office")
        assert {p.kind for p in platforms} == set(PlatformKind)
        for platform in platforms:
            members = set(platform.members.all())
            assert platform.lead_unit in members and platform.office in members
            assert all(u.division_id == township.pk for u in members)
    governance = Platform.objects.get(township__code="330421102", kind=PlatformKind.GOVERNANCE)
    codes = set(governance.members.values_list("code", flat=True))
    assert {"330421102-ZZB", "330421102-PCS", "330421102-SFS"} <= codes


def test_people_have_valid_id_numbers_phones_and_region_codes() -> None:
    people = list(Person.objects.select_related("grid", "division"))
    assert all(is_valid_id_number(p.id_number) and p.id_number.startswith("330421") for p in people)
    assert all(re.fullmatch(r"1[358]\d{9}", p.phone) for p in people)
    assert len({p.id_number for p in people}) == len({p.phone for p in people}) == len(people)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p.name) for p in people)
    for p in people:
        anchor = p.grid or p.division
        assert anchor is not None and p.region_code == anchor.code, p.username


def test_every_grid_has_a_1_1_1_x_team() -> None:
    roles_by_grid: dict[int, Counter[str]] = defaultdict(Counter)
    for grid_id, role in TeamMembership.objects.values_list("grid_id", "role"):
        roles_by_grid[grid_id][role] += 1
    assert len(roles_by_grid) == Grid.objects.count()
    for roles in roles_by_grid.values():
        assert roles[TeamRole.HEAD] == roles[TeamRole.INSTRUCTOR] == roles[TeamRole.WORKER] == 1
        assert 1 <= roles[TeamRole.VOLUNTEER] <= 3
    volunteers = Person.objects.filter(role=Role.VOLUNTEER)
    assert volunteers.exists() and not any(v.has_usable_password() for v in volunteers)
    assert (
        not Person.objects.filter(role=Role.GRID_INSTRUCTOR)
        .exclude(unit__kind=UnitKind.TOWNSHIP_OFFICE)
        .exists()
    )


def test_window_clerks_and_agency_desks_have_ab_posts_and_some_people_are_away() -> None:
    for township_code in Division.objects.filter(level=DivisionLevel.TOWNSHIP).values_list("code", flat=True):
        posts = BackupPost.objects.filter(unit__division__code=township_code)
        assert posts.filter(holder__role=Role.WINDOW_CLERK, backup__role=Role.WINDOW_CLERK).count() >= 6
        assert posts.filter(unit__kind=UnitKind.DISPATCHED_AGENCY).count() >= 5
    assert BackupPost.objects.filter(holder__username="window").exists()
    now = timezone.now()
    assert Absence.objects.filter(start__lte=now, end__gt=now).count() >= 3


def test_the_load_is_audited(demo: DemoDistrict) -> None:
    entry = AuditEntry.objects.filter(action="demo.load").latest("id")
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("geo.division", "330421", None)
    assert entry.detail["grids"] == demo.counts["grids"]


def test_the_same_seed_gives_the_same_district_and_another_seed_does_not() -> None:
    first = _digest()
    reset_demo_district()
    assert not Division.objects.exists() and not Person.objects.exists()
    build_demo_district(seed=2026)
    assert _digest() == first
    reset_demo_district()
    build_demo_district(seed=7)
    assert _digest() != first
