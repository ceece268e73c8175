"""Who may use the phone pages (the grid team, on their own grid) and which visits they may see."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from grassroots.core.scope import scope_of
from grassroots.events import rules
from grassroots.people.choices import Role

from .models import Visit

# The grid team that carries a phone: the same roles the navigation offers the phone pages to.
MOBILE_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_HEAD, Role.GRID_INSTRUCTOR})


def uses_phone_pages(user: Any) -> bool:
    """A member of a grid team with a grid: everyone else gets 404 on /m/ (role-gated pages look absent)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in MOBILE_ROLES
        and user.grid_id is not None
    )


# The team view: the grid head answers for the team's work ("1+1+1+X").
TEAM_LEAD_ROLES = frozenset({Role.GRID_HEAD})


def leads_grid_team(user: Any) -> bool:
    return uses_phone_pages(user) and user.role in TEAM_LEAD_ROLES


def may_self_handle(user: Any) -> bool:
    """Fixing on the spot is for the grid's own workers and head (the transition table's GRID actor)."""
    return user.role in rules.GRID_ROLES


def grid_team_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else to the login page), and a member of a grid team (else 404)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not uses_phone_pages(request.user):
            raise Http404("页面不存在")
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def visits_visible_to(user: Any) -> QuerySet[Visit]:
    """Visits in the viewer's region (a grid worker: their grid), by the same scope as events and people."""
    return Visit.objects.filter(scope_of(user).q(region_field="region_code"))


def access_visit(user: Any, visit_id: int) -> Visit:
    visit = visits_visible_to(user).select_related("grid", "worker", "event").filter(pk=visit_id).first()
    if visit is None:
        raise Http404("走访记录不存在或不在您的管辖范围内")
    return visit
