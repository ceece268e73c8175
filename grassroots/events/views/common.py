"""What every command-room page shares: the signed-in person, who may open which page, and the HTMX request."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django_htmx.middleware import HtmxDetails

from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..rules import COMMAND_ROLES


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# The live queue: the command room, the district centre, and leaders (who look, and supervise from an event).
QUEUE_ROLES = frozenset(COMMAND_ROLES | {Role.LEADER})
# Bulk actions and dispatch: the roles that act for the command room.
ACTING_ROLES = frozenset(COMMAND_ROLES)
# The department desk: people who work on what their unit is given.
DESK_ROLES = frozenset(
    {
        Role.DEPARTMENT_STAFF,
        Role.VILLAGE_STAFF,
        Role.INSPECTOR,
        Role.MEDIATOR,
        Role.WINDOW_CLERK,
        Role.PLATFORM_COORDINATOR,
    }
)

View = TypeVar("View", bound=Callable[..., HttpResponse])


def viewer_of(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # login_required ran first
    return user


def has_role(person: Person, roles: frozenset[str]) -> bool:
    return bool(person.is_superuser or person.role in roles)


def for_roles(roles: frozenset[str]) -> Callable[[View], View]:
    """Signed-in people with one of `roles` (or superusers); anyone else gets 404, as for out-of-scope data."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_role(viewer_of(request), roles):
                raise Http404(_("页面不存在"))
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


def is_fragment(request: HttpRequest, target: str) -> bool:
    """An HTMX request that will swap the element `target` (an id)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx is not None and htmx.target == target
