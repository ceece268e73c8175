"""What the platform's pages share: who may use them, the applicant shown masked or not (and audited)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.people.actors import person_of
from grassroots.people.choices import UNMASKED_ROLES, Role
from grassroots.people.models import Person

from ..models import Application
from ..selectors import AGENT_ROLES

__all__ = ["AGENT_ROLES", "DESK_ROLES", "applicant_of", "sees_applicant", "viewer"]

# Who works on applications at the desk: clerks, the back office, coordinators and leaders of the township.
DESK_ROLES = frozenset(
    {Role.WINDOW_CLERK, Role.DEPARTMENT_STAFF, Role.PLATFORM_COORDINATOR, Role.LEADER, Role.SHIFT_LEAD}
)


def viewer(request: HttpRequest, roles: frozenset[str] | None = None) -> Person:
    person = person_of(request)
    if roles is not None and person.role not in roles and not person.is_superuser:
        raise PermissionDenied("您的岗位不使用此页面")
    return person


def sees_applicant(person: Person, application: Application) -> bool:
    """Clerks of the application's centre and the roles that call people back see the applicant unmasked."""
    if person.role in UNMASKED_ROLES or person.is_superuser:
        return True
    return person.role == Role.WINDOW_CLERK and person.unit_id == application.centre.unit_id


def applicant_of(person: Person, application: Application, *, purpose: str) -> dict[str, Any]:
    """The applicant as `person` may see them; an unmasked read is audited."""
    if sees_applicant(person, application):
        audit_record_read(
            actor=person,
            objects=[application],
            fields=["applicant_name", "applicant_phone", "applicant_id_number"],
            purpose=purpose,
        )
        return {
            "name": application.applicant_name,
            "phone": application.applicant_phone,
            "id_number": application.applicant_id_number,
            "masked": False,
        }
    return {
        "name": mask_name(application.applicant_name),
        "phone": mask_phone(application.applicant_phone),
        "id_number": mask_id_number(application.applicant_id_number),
        "masked": True,
    }
