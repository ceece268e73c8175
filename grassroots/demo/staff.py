"""The demo district's people: unit staff, village cadres, "1+1+1+X" grid teams, A/B posts, absences and the
fixed demo logins."""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from grassroots.geo.choices import DivisionKind, DivisionLevel
from grassroots.geo.models import Division, Grid
from grassroots.org.choices import TeamRole, UnitKind
from grassroots.org.models import Absence, BackupPost, TeamMembership, Unit
from grassroots.people.choices import Role
from grassroots.people.duties import ADMIN_ROLES
from grassroots.people.models import Person

from .identities import IdentityMaker
from .names import (
    ABSENCE_REASONS,
    AGENCIES,
    COMMAND_ROOM_STAFF,
    DEMO_PASSWORD,
    DISTRICT_CODE,
    INSTRUCTOR_OFFICES,
    TOWNSHIP_OFFICES,
    WINDOWS,
    Staff,
)
from .organisation import Organisation
from .places import Places

LOGIN_TOWNSHIP = "330421102"  # 西塘镇
LOGIN_VILLAGE = f"{LOGIN_TOWNSHIP}001"  # 西塘社区
LOGIN_GRID = f"{LOGIN_VILLAGE}01"
LOGIN_AGENT_VILLAGE = f"{LOGIN_TOWNSHIP}201"  # 红菱村: its service point takes in applications (村级代办)
# Fixed usernames: role and the unit code or region code the person must belong to.
LOGINS: tuple[tuple[str, Role, str], ...] = (
    ("admin", Role.SYSTEM_ADMIN, f"{DISTRICT_CODE}-ZHZX"),
    ("security", Role.SECURITY_ADMIN, f"{DISTRICT_CODE}-ZHZX"),
    ("auditor", Role.AUDIT_ADMIN, f"{DISTRICT_CODE}-ZHZX"),
    ("centre", Role.CENTRE_OPERATOR, f"{DISTRICT_CODE}-ZHZX"),
    ("leader", Role.LEADER, f"{LOGIN_TOWNSHIP}-DZB"),
    ("shiftlead", Role.SHIFT_LEAD, f"{LOGIN_TOWNSHIP}-ZHS"),
    ("operator", Role.OPERATOR, f"{LOGIN_TOWNSHIP}-ZHS"),
    ("dispatcher", Role.DISPATCHER, f"{LOGIN_TOWNSHIP}-ZHS"),
    ("coordinator", Role.PLATFORM_COORDINATOR, f"{LOGIN_TOWNSHIP}-ZZB"),
    ("dept", Role.DEPARTMENT_STAFF, f"{LOGIN_TOWNSHIP}-PCS"),
    ("window", Role.WINDOW_CLERK, f"{LOGIN_TOWNSHIP}-BMFW"),
    ("inspector", Role.INSPECTOR, f"{LOGIN_TOWNSHIP}-ZFZD"),
    ("mediator", Role.MEDIATOR, f"{LOGIN_TOWNSHIP}-SFS"),
    ("village", Role.VILLAGE_STAFF, LOGIN_VILLAGE),
    ("agent", Role.VILLAGE_STAFF, LOGIN_AGENT_VILLAGE),
    ("instructor", Role.GRID_INSTRUCTOR, LOGIN_VILLAGE),
    ("gridhead", Role.GRID_HEAD, LOGIN_GRID),
    ("gridworker", Role.GRID_WORKER, LOGIN_GRID),
)
LOGIN_USERNAMES = frozenset(username for username, _, _ in LOGINS)
TEAM_START = dt.date(2023, 1, 1)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    role_label: str
    scope: str


class StaffBuilder:
    """Collects unsaved people and what hangs off them, then writes each table with one bulk insert."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.identities = IdentityMaker(rng)
        # One hash for every login: hashing per person would dominate the load time.
        self.password_hash = make_password(DEMO_PASSWORD)
        self.people: list[Person] = []
        self.memberships: list[TeamMembership] = []
        self.posts: list[BackupPost] = []
        self.absent: list[tuple[Person, str]] = []
        self._serial: dict[str, int] = {}

    def add(
        self,
        role: Role,
        prefix: str,
        *,
        division: Division,
        unit: Unit | None = None,
        grid: Grid | None = None,
        ages: tuple[int, int] = (25, 58),
    ) -> Person:
        identity = self.identities.make(min_age=ages[0], max_age=ages[1])
        self._serial[prefix] = serial = self._serial.get(prefix, 0) + 1
        person = Person(
            username=f"{prefix.lower()}-{serial}",
            name=identity.name,
            phone=identity.phone,
            id_number=identity.id_number,
            role=role,
            unit=unit,
            division=division,
            grid=grid,
            region_code=grid.code if grid else division.code,
            # Volunteers ("X") have no login.
            password=make_password(None) if role == Role.VOLUNTEER else self.password_hash,
        )
        self.people.append(person)
        return person

    def add_staff(self, unit: Unit, staff: Staff) -> list[Person]:
        return [
            self.add(role, unit.code, unit=unit, division=unit.division)
            for role, n in staff
            for _ in range(n)
        ]

    def post(self, name: str, unit: Unit, holder: Person, backup: Person) -> None:
        self.posts.append(BackupPost(name=name, unit=unit, holder=holder, backup=backup))

    def save(self) -> None:
        now = timezone.localtime()
        start = now.replace(hour=8, minute=30, second=0, microsecond=0) - dt.timedelta(days=1)
        absences = [
            Absence(
                person=person,
                start=start,
                end=start + dt.timedelta(days=self.rng.randint(2, 5), hours=9),
                reason=r,
            )
            for person, r in self.absent
        ]
        Person.objects.bulk_create(self.people)
        TeamMembership.objects.bulk_create(self.memberships)
        BackupPost.objects.bulk_create(self.posts)
        Absence.objects.bulk_create(absences)


def create_staff(
    rng: random.Random, places: Places, org: Organisation
) -> tuple[StaffBuilder, list[DemoLogin]]:
    builder = StaffBuilder(rng)
    district = places.district
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, *[Role.CENTRE_OPERATOR] * 4):
        builder.add(role, org.centre.code, unit=org.centre, division=district)
    for unit in org.departments.values():
        builder.add_staff(unit, ((Role.DEPARTMENT_STAFF, 2),))
    for township in places.townships:
        _township_staff(builder, places, org, township)
    logins = _assign_logins(builder.people)
    builder.save()
    return builder, logins


def _township_staff(builder: StaffBuilder, places: Places, org: Organisation, township: Division) -> None:
    def unit(suffix: str) -> Unit:
        return org.township_unit(township.code, suffix)

    room = builder.add_staff(unit("ZHS"), COMMAND_ROOM_STAFF)
    for post_role, post_name in (
        (Role.OPERATOR, "受理岗"),
        (Role.DISPATCHER, "派遣岗"),
        (Role.SHIFT_LEAD, "值班长岗"),
    ):
        a, b = [p for p in room if p.role == post_role][:2]
        builder.post(post_name, unit("ZHS"), a, b)
    staff = {suffix: builder.add_staff(unit(suffix), roles) for suffix, _, roles in TOWNSHIP_OFFICES}
    clerks = [p for p in staff["BMFW"] if p.role == Role.WINDOW_CLERK]
    for i, (window, clerk) in enumerate(zip(WINDOWS, clerks, strict=False)):
        builder.post(f"{window}窗口", unit("BMFW"), clerk, clerks[(i + 1) % len(clerks)])
    jobs = [p for p in staff["JYBZ"] if p.role == Role.WINDOW_CLERK]
    builder.post("就业社保窗口", unit("JYBZ"), jobs[0], jobs[1])
    builder.absent.append((clerks[1], builder.rng.choice(ABSENCE_REASONS)))
    for agency in AGENCIES:
        people = builder.add_staff(unit(agency.suffix), agency.staff)
        if len(people) >= 2:
            builder.post("事件签收办理岗", unit(agency.suffix), people[0], people[1])
        if agency.suffix == "SCJG":
            builder.absent.append((people[0], builder.rng.choice(ABSENCE_REASONS)))
    workers: list[Person] = []
    for i, village in enumerate(places.villages[township.code]):
        office = unit(INSTRUCTOR_OFFICES[i % len(INSTRUCTOR_OFFICES)])
        workers = _village_staff(builder, places, org, village, office)
    builder.absent.append((workers[-1], builder.rng.choice(ABSENCE_REASONS)))


def _village_staff(
    builder: StaffBuilder, places: Places, org: Organisation, village: Division, office: Unit
) -> list[Person]:
    """Village cadres, the village's grid instructor (a township cadre) and a "1+1+1+X" team per grid."""
    rng = builder.rng
    committee = org.committees[village.code]
    for _ in range(4 if village.kind == DivisionKind.RESIDENTS else 3):
        builder.add(Role.VILLAGE_STAFF, committee.code, unit=committee, division=village)
    instructor = builder.add(Role.GRID_INSTRUCTOR, f"{village.code}-zd", unit=office, division=village)
    workers = []

    def add(role: Role, grid: Grid, ages: tuple[int, int]) -> Person:
        unit = None if role == Role.VOLUNTEER else committee
        return builder.add(role, grid.code, unit=unit, division=village, grid=grid, ages=ages)

    for grid in places.grids[village.code]:
        head = add(Role.GRID_HEAD, grid, (35, 58))
        worker = add(Role.GRID_WORKER, grid, (23, 50))
        team = [(TeamRole.HEAD, head), (TeamRole.INSTRUCTOR, instructor), (TeamRole.WORKER, worker)]
        if rng.random() < 0.4:
            team.append((TeamRole.PART_TIME, add(Role.GRID_WORKER, grid, (30, 58))))
        team.extend(
            (TeamRole.VOLUNTEER, add(Role.VOLUNTEER, grid, (30, 70))) for _ in range(rng.randint(1, 3))
        )
        start = TEAM_START + dt.timedelta(days=rng.randrange(700))
        builder.memberships.extend(TeamMembership(grid=grid, person=p, role=r, start=start) for r, p in team)
        workers.append(worker)
    return workers


def _assign_logins(people: list[Person]) -> list[DemoLogin]:
    logins = []
    for username, role, anchor in LOGINS:
        person = next(
            p for p in people if p.role == role and anchor in (p.region_code, p.unit.code if p.unit else None)
        )
        person.username = username
        if role in ADMIN_ROLES:
            # The three separated administrators work in the admin site by their role's duties; none is a
            # superuser (break-glass only, docs/security.md).
            person.is_staff = True
        logins.append(DemoLogin(username, role.value, str(role.label), scope_label(person)))
    return logins


def scope_label(person: Any) -> str:
    """Where a person works, in words: 西塘镇 西塘社区 西塘社区1号网格."""
    division = person.division
    if division is None:
        return ""
    if division.level == DivisionLevel.DISTRICT:
        where = f"{division.name}（全县）"
    elif division.level == DivisionLevel.TOWNSHIP:
        where = division.name
    else:
        where = f"{division.parent.name} {division.name}"
    if person.grid is not None:
        return f"{where} {person.grid.name}"
    if person.unit is not None and person.unit.kind != UnitKind.VILLAGE_COMMITTEE:
        return f"{where} · {person.unit.name}"
    return where
