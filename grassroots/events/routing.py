"""Which unit holds an event at each level, and where the type says it should go (Quzhou routing rules)."""

from collections.abc import Iterable

from grassroots.core.refcache import reference_cached
from grassroots.geo.codes import district_of, township_of
from grassroots.notifications.services import unit_staff_ids
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit

from .choices import Level
from .models import Event
from .rules import GRID_ROLES


def command_room_for(event: Event) -> Unit | None:
    if event.township_id is None:
        return None
    return command_room_of(event.township_id)


@reference_cached(Unit)
def command_room_of(township_id: int) -> Unit | None:
    """The township's command room (read on every report, so memoised per process)."""
    return Unit.objects.filter(kind=UnitKind.COMMAND_ROOM, division_id=township_id, is_active=True).first()


def centre_for(event: Event) -> Unit | None:
    return Unit.objects.filter(
        kind=UnitKind.COMMAND_CENTRE, division__code=district_of(event.region_code), is_active=True
    ).first()


def village_unit_for(event: Event) -> Unit | None:
    if event.village_id is None:
        return None
    return Unit.objects.filter(
        kind=UnitKind.VILLAGE_COMMITTEE, division_id=event.village_id, is_active=True
    ).first()


def default_unit_for(event: Event) -> Unit | None:
    suffix = event.event_type.default_unit_suffix
    if not suffix or len(event.region_code) < 9:
        return None
    return Unit.objects.filter(code=f"{township_of(event.region_code)}-{suffix}", is_active=True).first()


def triage_unit_for(event: Event, level: int) -> Unit | None:
    """The unit that registers and dispatches an event waiting at `level`."""
    if level >= Level.DISTRICT:
        return centre_for(event)
    return command_room_for(event)


def dispatch_level(unit: Unit, event: Event) -> int:
    """The level an assignment to `unit` puts the event at."""
    if unit.kind == UnitKind.VILLAGE_COMMITTEE:
        return Level.VILLAGE
    if event.level >= Level.DISTRICT:
        return Level.DISTRICT
    return Level.TOWNSHIP


def task_staff_ids(unit_ids: Iterable[int]) -> set[int]:
    """Who is told of a unit's task (新派遣任务, 督办, 预警): its staff, but not its grid teams.

    A village committee's grid workers and grid heads are its staff too, yet their phone app reports, verifies
    and checks; it cannot sign for, handle or feed back the committee's assignments, which its cadres do. A unit
    with nobody else keeps its grid teams as recipients, so no task goes unannounced.
    """
    found: set[int] = set()
    for unit_id in set(unit_ids):
        found |= unit_staff_ids([unit_id], except_roles=GRID_ROLES) or unit_staff_ids([unit_id])
    return found
