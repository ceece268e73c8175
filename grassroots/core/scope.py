"""Data scope (DOMAIN.md §2): what part of the district a person may see.

A scope is a region-code prefix (district 6, township 9, village 12 or grid 14 digits; codes nest, so a prefix
match selects everything inside) and, for unit staff, their unit. It is one predicate with two faces:
`Scope.q` filters a queryset in SQL and `Scope.covers` answers for one record in memory; they agree on every
record (tests/test_scope.py). Every `visible_to(user)` queryset and every in-memory "is this inside?" check is
built from them, never from the codes directly.
"""

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q

from grassroots.core.errors import NotFound
from grassroots.geo.codes import district_of
from grassroots.people.choices import GRID_ROLES, Role


class OutOfScope(NotFound):
    """A region the viewer asked for lies outside their scope (answered like an absent object)."""

    code = "region_out_of_scope"


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

    def covers(self, region_code: str | None = None, unit_id: int | None = None) -> bool:
        """Whether a record located at `region_code` and/or owned by `unit_id` is in scope: `q` for one record.

        Pass what `q` would be given a field for (None: the record has no such field, or it is empty)."""
        if self.everything:
            return True
        if region_code is not None and self.region_prefix and region_code.startswith(self.region_prefix):
            return True
        return unit_id is not None and bool(self.unit_id) and unit_id == self.unit_id

    def widened_to(self, digits: int) -> "Scope":
        """The same scope with its region cut to at most `digits` (a grid worker's scope widened to their
        village, 12; to their township, 9), for lists of areas that stop at that level."""
        if not self.region_prefix:
            return self
        return replace(self, region_prefix=self.region_prefix[:digits])

    def within(self, prefix: str) -> "Scope":
        """The region `prefix` a viewer chose, as a scope of its own (the region only, not the unit), if this scope
        covers it ("" is the whole database, covered only by everything). Refused (`OutOfScope`, 404) otherwise."""
        if not self.covers(region_code=prefix):
            raise OutOfScope("区域不在您的管辖范围内")
        return Scope(region_prefix=prefix) if prefix else EVERYTHING


def code_prefix_q(field: str, prefix: str) -> Q:
    """Codes starting with `prefix`, as a range (prefix ≤ code < next prefix) so a plain b-tree index serves it."""
    upper = code_upper(prefix)
    if upper is None:
        return Q(**{f"{field}__gte": prefix})
    q = Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
    strays = code_strays(prefix)
    return q & ~Q(**{f"{field}__in": strays}) if strays else q


def code_upper(prefix: str) -> str | None:
    """The first code after all that start with `prefix` (codes are digit strings). None for a prefix of nines:
    every code at or above it starts with it."""
    if not prefix.strip("9"):
        return None
    return str(int(prefix) + 1).zfill(len(prefix))


def code_strays(prefix: str) -> list[str]:
    """The shorter codes that sort inside `prefix`'s range without starting with it: when the next prefix carries
    (grid 33042110220199 → 33042110220200), the next village's own code 330421102202 lies between the two."""
    upper = code_upper(prefix)
    if upper is None:
        return []
    return [upper[:k] for k in range(1, len(prefix)) if upper[:k] != prefix[:k]]


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
        return Scope(region_prefix=district_of(user.region_code), unit_id=user.unit_id)
    return Scope(region_prefix=user.region_code, unit_id=user.unit_id)
