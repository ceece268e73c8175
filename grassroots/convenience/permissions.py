"""Who may see which application: the region (the township and its villages), the centre's and the handling
unit's staff, the agent who forwarded it. Out of scope answers 404, like an absent application. And who sees the
applicant unmasked (every such read audited)."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.scope import scope_of
from grassroots.people.choices import UNMASKED_ROLES, Role
from grassroots.people.models import Person

from .models import Application, Rectification, ServiceCentre


def visible_to(user: Any) -> QuerySet[Application]:
    scope = scope_of(user)
    if scope.everything:
        return Application.objects.all()
    q = scope.q(region_field="region_code")
    if scope.unit_id:
        q |= Q(centre__unit_id=scope.unit_id) | Q(handling_unit_id=scope.unit_id)
    if getattr(user, "is_authenticated", False) and user.is_active:
        q |= Q(agent_id=user.pk) | Q(handler_id=user.pk)
    return Application.objects.filter(q)


def access_application(user: Any, application_id: int) -> Application:
    application = (
        visible_to(user)
        .select_related(
            "item", "centre__township", "window", "handler", "first_clerk", "handling_unit", "agent"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404("办件不存在或不在您的管辖范围内")
    return application


def access_rectification(user: Any, rectification_id: int) -> Rectification:
    rectification = (
        Rectification.objects.select_related("application__centre", "rating", "owner")
        .filter(pk=rectification_id, application__in=visible_to(user))
        .first()
    )
    if rectification is None:
        raise Http404("整改记录不存在或不在您的管辖范围内")
    return rectification


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


def may_manage_catalogue(user: Any) -> bool:
    """Who may import the catalogue and publish its drafts: the system administrator, and the coordinator of a
    convenience-service centre (the platform's head in the township); everyone else on the desk only reads it."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.SYSTEM_ADMIN:
        return True
    return bool(
        user.role == Role.PLATFORM_COORDINATOR
        and user.unit_id
        and ServiceCentre.objects.filter(unit_id=user.unit_id).exists()
    )
