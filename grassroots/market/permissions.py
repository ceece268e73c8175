"""Who sees which market entity: the region of their scope (a grid worker their grid, township staff their
township), the grids whose team they are in, and for unit staff (inspectors of the market-supervision office) the
area of their unit's division. Out of scope answers 404. And who sees the legal representative's phone unmasked
(every such read audited), who imports, and who overrides a risk class."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_name, mask_phone
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.models import TeamMembership, Unit
from grassroots.people.choices import UNMASKED_ROLES, Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today

from .models import Inspection, MarketEntity
from .rules import Actor as InspectionActor

# Who works on the registry: they call the entity, so they see its phone (reads audited).
UNMASKED_MARKET_ROLES = UNMASKED_ROLES | {Role.INSPECTOR, Role.PLATFORM_COORDINATOR}
IMPORT_ROLES = frozenset({Role.INSPECTOR, Role.PLATFORM_COORDINATOR, Role.SYSTEM_ADMIN})
OVERRIDE_ROLES = frozenset({Role.PLATFORM_COORDINATOR, Role.LEADER})


def _region_q(prefix: str) -> Q:
    # Entities carry their village (12 digits); a grid-level scope is matched on the grid's own code.
    if len(prefix) > 12:
        return code_prefix_q("grid__code", prefix)
    return code_prefix_q("region_code", prefix)


def visible_to(user: Any) -> QuerySet[MarketEntity]:
    scope = scope_of(user)
    if scope.everything:
        return MarketEntity.objects.all()
    q = Q(pk__in=[])
    if scope.region_prefix:
        q |= _region_q(scope.region_prefix)
    if getattr(user, "is_authenticated", False) and user.is_active:
        today = local_today()
        teams = TeamMembership.objects.filter(person_id=user.pk, start__lte=today).filter(
            Q(end__isnull=True) | Q(end__gte=today)
        )
        q |= Q(grid_id__in=teams.values("grid_id"))
    if scope.unit_id:
        division = Unit.objects.filter(pk=scope.unit_id).values_list("division__code", flat=True).first()
        if division:
            q |= code_prefix_q("region_code", division)
    return MarketEntity.objects.filter(q)


def access_entity(user: Any, entity_id: int) -> MarketEntity:
    entity = visible_to(user).select_related("grid", "overridden_by").filter(pk=entity_id).first()
    if entity is None:
        raise Http404("市场主体不存在或不在您的管辖范围内")
    return entity


def sees_contact(person: Person) -> bool:
    return person.is_superuser or person.role in UNMASKED_MARKET_ROLES


def contact_of(person: Person, entity: MarketEntity, *, purpose: str) -> dict[str, Any]:
    """The legal representative and phone as `person` may see them; an unmasked read is audited."""
    if sees_contact(person):
        audit_record_read(actor=person, objects=[entity], fields=["legal_rep", "phone"], purpose=purpose)
        return {"legal_rep": entity.legal_rep, "phone": entity.phone, "masked": False}
    return {"legal_rep": mask_name(entity.legal_rep), "phone": mask_phone(entity.phone), "masked": True}


def may_import(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (user.is_superuser or user.role in IMPORT_ROLES)


def may_override_risk(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in OVERRIDE_ROLES
    )


# -- inspections ----------------------------------------------------------------------------------------------

# Who arranges inspections and records penalties for the inspecting unit (inspectors arrange their own routine ones).
INSPECTION_ROLES = frozenset({Role.PLATFORM_COORDINATOR, Role.DEPARTMENT_STAFF, Role.INSPECTOR, Role.LEADER})
UNIT_ROLES = frozenset({Role.PLATFORM_COORDINATOR, Role.DEPARTMENT_STAFF, Role.LEADER})


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    """The inspections of the entities the person sees, and every inspection they are named on."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Inspection.objects.none()
    if scope_of(user).everything:
        return Inspection.objects.all()
    q = Q(entity__in=visible_to(user)) | Q(inspectors=user.pk)
    return Inspection.objects.filter(pk__in=Inspection.objects.filter(q).values("pk"))


def access_inspection(user: Any, inspection_id: int) -> Inspection:
    inspection = (
        inspections_visible_to(user)
        .select_related("entity", "unit", "draw", "event", "created_by")
        .filter(pk=inspection_id)
        .first()
    )
    if inspection is None:
        raise Http404("检查不存在或不在您的管辖范围内")
    return inspection


def inspection_actor_kinds(inspection: Inspection, actor: Any) -> set[str]:
    """What `actor` is with respect to `inspection` (the `rules.Actor` kinds of the table)."""
    if actor is None:
        return {InspectionActor.SYSTEM}
    kinds: set[str] = set()
    if inspection.inspectors.filter(pk=actor.pk).exists():
        kinds.add(InspectionActor.INSPECTOR)
    if actor.is_superuser or (
        actor.role in UNIT_ROLES
        and (
            actor.unit_id == inspection.unit_id or visible_to(actor).filter(pk=inspection.entity_id).exists()
        )
    ):
        kinds.add(InspectionActor.UNIT)
    return kinds


def may_arrange_inspection(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role in INSPECTION_ROLES
    )
