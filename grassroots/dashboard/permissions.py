"""Who may open the command room's map and overview, and which territory their map shows.

The events on both pages always come from `events.permissions.visible_to(user)`; this module only gates the
pages by role (404 for others, like everything out of scope) and picks the grids drawn under the markers.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.geo.models import Grid
from grassroots.org.models import Unit
from grassroots.people.choices import Role

COMMAND_ROLES = frozenset(
    {Role.OPERATOR, Role.DISPATCHER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR, Role.LEADER}
)
UNIT_ROLES = frozenset(
    {
        Role.DEPARTMENT_STAFF,
        Role.VILLAGE_STAFF,
        Role.INSPECTOR,
        Role.MEDIATOR,
        Role.WINDOW_CLERK,
        Role.PLATFORM_COORDINATOR,
    }
)
GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_HEAD, Role.GRID_INSTRUCTOR})

MAP_ROLES = COMMAND_ROLES | UNIT_ROLES | GRID_ROLES
OVERVIEW_ROLES = COMMAND_ROLES | {Role.PLATFORM_COORDINATOR}


def _allowed(user: Any, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role in roles)


def may_see_map(user: Any) -> bool:
    return _allowed(user, MAP_ROLES)


def may_see_overview(user: Any) -> bool:
    return _allowed(user, OVERVIEW_ROLES)


def require_map(user: Any) -> None:
    if not may_see_map(user):
        raise Http404("页面不存在")


def require_overview(user: Any) -> None:
    if not may_see_overview(user):
        raise Http404("页面不存在")


def map_region_prefix(user: Any) -> str | None:
    """The region code whose grids the map draws: "" for everything, None for no grid at all.

    A region scope draws its own grids. Unit staff have no region of their own (they see their unit's work
    wherever it is), so their map shows the territory their unit serves, coloured by their own events only.
    """
    scope = scope_of(user)
    if scope.everything:
        return ""
    if scope.region_prefix:
        return scope.region_prefix
    if scope.unit_id:
        code = Unit.objects.filter(pk=scope.unit_id).values_list("division__code", flat=True).first()
        return code
    return None


def map_grids(prefix: str | None) -> QuerySet[Grid]:
    if prefix is None:
        return Grid.objects.none()
    if prefix == "":
        return Grid.objects.all()
    return Grid.objects.filter(code_prefix_q("code", prefix))
