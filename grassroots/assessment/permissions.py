"""Who may see assessment pages, publish a period's results, and rate which subject in a manual part.

Figures are always computed over `grassroots.events.permissions.visible_to(user)` within an area that must lie in
the user's scope (see areas.area_resolve); pages for roles that may not see them answer 404.
"""

from typing import Any

from django.http import Http404

from grassroots.core.refcache import reference_cached
from grassroots.core.scope import scope_of
from grassroots.org.models import Unit
from grassroots.people.choices import Role

from .choices import PartMethod, RaterKind, SubjectKind
from .models import Scheme, SchemePart

VIEW_ROLES = frozenset(
    {
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.CENTRE_OPERATOR,
        Role.LEADER,
        Role.PLATFORM_COORDINATOR,
        Role.AUDIT_ADMIN,
    }
)
PUBLISH_ROLES = frozenset({Role.LEADER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR})
TOWNSHIP_RATERS = frozenset({Role.LEADER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR})
DISTRICT_RATERS = frozenset({Role.LEADER, Role.CENTRE_OPERATOR})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def may_view(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role in VIEW_ROLES)


def require_viewer(user: Any) -> None:
    if not may_view(user):
        raise Http404("页面不存在")


def may_publish(user: Any) -> bool:
    return _active(user) and (user.is_superuser or user.role in PUBLISH_ROLES)


def subject_region(kind: str, subject: Any) -> str:
    """The region code a subject sits in (its division's, grid's or person's code)."""
    if kind == SubjectKind.UNIT:
        return subject.division.code
    if kind == SubjectKind.PERSON:
        return subject.region_code
    return getattr(subject, "code", "") or ""


def may_rate(user: Any, rater: str, kind: str, subject: Any) -> bool:
    """Whether `user` may enter a score for `subject` in a manual part rated by `rater`."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    scope = scope_of(user)
    inside = scope.covers(region_code=subject_region(kind, subject))
    if rater == RaterKind.TOWNSHIP:
        return user.role in TOWNSHIP_RATERS and inside
    if rater == RaterKind.DISTRICT:
        return user.role in DISTRICT_RATERS and len(scope.region_prefix) <= 6 and inside
    if rater == RaterKind.DEPARTMENT:
        # The county department the agency reports to (its parent unit), or the unit itself if it has none.
        if kind != SubjectKind.UNIT or not user.unit_id:
            return False
        unit: Unit = subject
        return user.unit_id == (unit.parent_id or unit.pk)
    return False


@reference_cached(Unit)
def _parent_unit_ids() -> frozenset[int]:
    return frozenset(
        Unit.objects.filter(is_active=True, parent__isnull=False).values_list("parent_id", flat=True)
    )


@reference_cached(SchemePart, Scheme)
def _departments_rate() -> bool:
    return SchemePart.objects.filter(
        method=PartMethod.MANUAL, rater=RaterKind.DEPARTMENT, scheme__is_active=True
    ).exists()


def rates_departments(user: Any) -> bool:
    """Whether `user` works for a county department that rates its agencies in an active scheme (the nav shows
    them the assessment pages, which send them to their rating tasks). No query once the memos are warm."""
    return bool(user.unit_id) and user.unit_id in _parent_unit_ids() and _departments_rate()
