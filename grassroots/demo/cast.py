"""The demo's cast: its people and units, loaded once, and who among them acts for a township, a grid, a unit
or the centre (`casework.py` picks from them).
"""

from collections import defaultdict

from grassroots.events.choices import Level
from grassroots.events.models import Event
from grassroots.org.choices import UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .names import DISTRICT_CODE

# Who signs for, handles and feeds back a unit's assignments; a unit without them falls back on its other staff.
HANDLER_ROLES = frozenset(
    {Role.VILLAGE_STAFF, Role.DEPARTMENT_STAFF, Role.INSPECTOR, Role.MEDIATOR, Role.WINDOW_CLERK}
)
OTHER_ROLES = frozenset(
    {Role.GRID_WORKER, Role.GRID_HEAD, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
)


class Cast:
    """The demo's people and units, loaded once: who acts for a township, a grid, a unit, the centre."""

    def __init__(self) -> None:
        people = list(
            Person.objects.filter(region_code__startswith=DISTRICT_CODE, is_active=True)
            .exclude(role=Role.VOLUNTEER)
            .order_by("pk")
        )
        self.units = {
            u.code: u
            for u in Unit.objects.filter(code__startswith=DISTRICT_CODE, is_active=True).order_by("code")
        }
        self.unit_by_id = {u.pk: u for u in self.units.values()}
        self.staff: dict[int, list[Person]] = defaultdict(list)
        self.grid_workers: dict[int, list[Person]] = defaultdict(list)
        for person in people:
            if person.unit_id is not None:
                self.staff[person.unit_id].append(person)
            if person.grid_id is not None and person.role == Role.GRID_WORKER:
                self.grid_workers[person.grid_id].append(person)
        self.centre = self.units[f"{DISTRICT_CODE}-ZHZX"]
        self.committees = {
            u.division_id: u for u in self.units.values() if u.kind == UnitKind.VILLAGE_COMMITTEE
        }
        self.members: dict[tuple[int, str], list[Unit]] = defaultdict(list)
        for platform in Platform.objects.filter(township__code__startswith=DISTRICT_CODE).prefetch_related(
            "members"
        ):
            members = sorted(platform.members.all(), key=lambda u: u.code)
            self.members[(platform.township_id, platform.kind)] = members
        self.township_codes = {
            u.division_id: u.code.split("-")[0]
            for u in self.units.values()
            if u.kind == UnitKind.COMMAND_ROOM
        }

    def role_in(self, unit_code: str, *roles: str) -> list[Person]:
        unit = self.units.get(unit_code)
        return [p for p in self.staff.get(unit.pk, []) if p.role in roles] if unit else []

    def room(self, event: Event, *roles: str) -> list[Person]:
        """Command staff for the event: the centre's for level 4, else its township command room's."""
        if event.level >= Level.DISTRICT:
            return self.role_in(self.centre.code, Role.CENTRE_OPERATOR)
        return self.role_in(f"{self.township_code(event)}-ZHS", *roles)

    def leaders(self, event: Event) -> list[Person]:
        return self.role_in(f"{self.township_code(event)}-DZB", Role.LEADER)

    def township_code(self, event: Event) -> str:
        return self.township_codes[event.township_id or 0]

    def unit_staff(self, unit_id: int) -> list[Person]:
        """Who handles a unit's work: its cadres and officers (not the grid teams a village committee holds)."""
        staff = self.staff.get(unit_id, [])
        return [p for p in staff if p.role in HANDLER_ROLES] or [
            p for p in staff if p.role not in OTHER_ROLES
        ]

    def grid_worker(self, event: Event) -> Person:
        return self.grid_workers[event.grid_id or 0][0]

    def grid_checker(self, event: Event) -> Person | None:
        """A grid worker to send on site for `event`, never the one who reported it; None if the grid has no other."""
        return next((p for p in self.grid_workers[event.grid_id or 0] if p.pk != event.reporter_id), None)

    def township_unit(self, event: Event, suffix: str) -> Unit | None:
        return self.units.get(f"{self.township_code(event)}-{suffix}")
