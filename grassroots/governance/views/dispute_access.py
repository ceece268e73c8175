"""Who uses the dispute pages: the committee, the places' staff who report disputes, the command room, the leaders."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from grassroots.people.actors import person_of
from grassroots.people.choices import Role

LIST_ROLES = frozenset(
    {
        Role.MEDIATOR,
        Role.GRID_WORKER,
        Role.GRID_HEAD,
        Role.GRID_INSTRUCTOR,
        Role.VILLAGE_STAFF,
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.PLATFORM_COORDINATOR,
        Role.LEADER,
        Role.CENTRE_OPERATOR,
    }
)


def may_use(person: Any) -> bool:
    return bool(getattr(person, "is_superuser", False)) or getattr(person, "role", None) in LIST_ROLES


def reader(request: HttpRequest) -> Any:
    person = person_of(request)
    if may_use(person):
        return person
    raise PermissionDenied("您的岗位不使用矛盾纠纷页面")
