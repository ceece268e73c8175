"""Data scope (DOMAIN.md §2): what part of the district a person may see.

A scope is a region-code prefix (district 6, township 9, village 12 or grid 14 digits; codes nest, so a prefix
match selects everything inside) and, for unit staff, their unit. Every `visible_to(user)` queryset is built from it.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from grassroots.people.choices import GRID_ROLES, Role


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_prefix: str = ""  # "" with everything=False: no region at all
    unit_id: int | None = None

    def q(self, *, region_field: str | None = None, unit_field: str | None = None) -> Q:
        """A filter for objects located by `region_field` (a code) and/or owned by `unit_field`."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if region_field and self.region_prefix:
            q |= code_prefix_q(region_field, self.region_prefix)
        if unit_field and self.unit_id:
            q |= Q(**{unit_field: self.unit_id})
        return q


def code_prefix_q(field: str, prefix: str) -> Q:
    """Codes starting with `prefix`, as a range (prefix ≤ code < next prefix) so a plain b-tree index serves it."""
    upper = str(int(prefix) + 1).zfill(len(prefix))
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


NOTHING = Scope()
EVERYTHING = Scope(everything=True)
# Unit staff see their unit's work wherever it is, and nothing else of the region.
UNIT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.INSPECTOR, Role.WINDOW_CLERK, Role.MEDIATOR})
DISTRICT_WIDE_ROLES = frozenset(
    {Role.CENTRE_OPERATOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}
)


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if user.role in GRID_ROLES and user.grid_id:
        return Scope(region_prefix=user.region_code, unit_id=user.unit_id)
    if user.role in UNIT_ROLES and user.unit_id:
        return Scope(unit_id=user.unit_id)
    if user.role in DISTRICT_WIDE_ROLES and user.region_code:
        return Scope(region_prefix=user.region_code[:6], unit_id=user.unit_id)
    return Scope(region_prefix=user.region_code, unit_id=user.unit_id)
