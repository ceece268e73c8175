"""Who reads and who manages the power list (权力清单).

Reading: the enforcement roles (inspectors, the units' staff, the platform's coordinator, leaders, the command room,
the district centre, the system administrator) see the powers of the units in their area: their region widened to
the township, and their own unit's division; out of that answers 404. The published list is public anyway
(`/s/powers/`, and `/api/v1/powers` to everyone signed in).

Managing (import, publish, unpublish): the system administrator, for the units of their district, and the
coordinator of a township's enforcement platform (their unit is its lead unit or office), for the units of that
township. A power is managed where its unit (实施主体) is.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.choices import PlatformKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role

from ..models import Power

READ_ROLES = frozenset(
    {
        Role.INSPECTOR,
        Role.DEPARTMENT_STAFF,
        Role.PLATFORM_COORDINATOR,
        Role.LEADER,
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.CENTRE_OPERATOR,
        Role.SYSTEM_ADMIN,
    }
)
TOWNSHIP_DIGITS = 9


def _signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and user.is_active


def may_read(user: Any) -> bool:
    return _signed_in(user) and (user.is_superuser or user.role in READ_ROLES)


def _unit_division(unit_id: int | None) -> str:
    if not unit_id:
        return ""
    return Unit.objects.filter(pk=unit_id).values_list("division__code", flat=True).first() or ""


def read_areas(user: Any) -> list[str] | None:
    """The division-code prefixes whose units' powers `user` reads; None for everything, [] for nothing."""
    if not may_read(user):
        return []
    scope = scope_of(user)
    if scope.everything:
        return None
    areas = [scope.widened_to(TOWNSHIP_DIGITS).region_prefix] if scope.region_prefix else []
    if division := _unit_division(user.unit_id):
        areas.append(division)
    return sorted(set(areas))


def in_areas(areas: list[str] | None, field: str = "unit__division__code") -> Q:
    if areas is None:
        return Q()
    q = Q(pk__in=[])
    for prefix in areas:
        q |= code_prefix_q(field, prefix)
    return q


def visible_to(user: Any) -> QuerySet[Power]:
    """The powers `user` reads on the staff pages: published or not, in their area."""
    areas = read_areas(user)
    if areas == []:
        return Power.objects.none()
    return Power.objects.filter(in_areas(areas))


def access_power(user: Any, code: str) -> Power:
    power = visible_to(user).select_related("unit__division").filter(code=code).first()
    if power is None:
        raise Http404("职权不存在或不在您的管辖范围内")
    return power


def manage_areas(user: Any) -> list[str] | None:
    """The division-code prefixes of the units whose powers `user` may import and publish; None for everything."""
    if not _signed_in(user):
        return []
    if user.is_superuser:
        return None
    if user.role == Role.SYSTEM_ADMIN:
        scope = scope_of(user)
        if scope.everything:
            return None
        district = scope.region_prefix or _unit_division(user.unit_id)
        return [district[:6]] if district else []
    if user.role == Role.PLATFORM_COORDINATOR and user.unit_id:
        platforms = Platform.objects.filter(kind=PlatformKind.ENFORCEMENT).filter(
            Q(office_id=user.unit_id) | Q(lead_unit_id=user.unit_id)
        )
        return sorted(set(platforms.values_list("township__code", flat=True)))
    return []


def covers(areas: list[str] | None, division_code: str) -> bool:
    return areas is None or any(division_code.startswith(prefix) for prefix in areas)


def may_manage(user: Any) -> bool:
    """Whether `user` manages the list anywhere (to show the import page and its link)."""
    return manage_areas(user) != []


def may_manage_power(user: Any, power: Power) -> bool:
    return covers(manage_areas(user), power.unit.division.code)


def readable_by(user: Any) -> QuerySet[Power]:
    """What the API answers a signed-in person: every published power, and the unpublished ones of their area if
    they read the staff's list."""
    if not _signed_in(user):
        return Power.objects.none()
    areas = read_areas(user)
    if areas is None:
        return Power.objects.all()
    q = Q(published=True)
    if areas:
        q |= in_areas(areas)
    return Power.objects.filter(q)
