"""What the platform's pages share: who may use them (the applicant masked or not is `permissions.applicant_of`)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from grassroots.people.actors import person_of
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..selectors import AGENT_ROLES

__all__ = ["AGENT_ROLES", "DESK_ROLES", "viewer"]

# Who works on applications at the desk: clerks, the back office, coordinators and leaders of the township.
DESK_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.DEPARTMENT_STAFF, Role.PLATFORM_COORDINATOR, Role.LEADER, Role.SHIFT_LEAD}
)


def viewer(request: HttpRequest, roles: frozenset[str] | None = None) -> Person:
    person = person_of(request)
    if roles is not None and person.role not in roles and not person.is_superuser:
        raise PermissionDenied("您的岗位不使用此页面")
    return person
