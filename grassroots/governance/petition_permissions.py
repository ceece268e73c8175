"""Who sees which petition, who is what on one (the actor kinds of `petition_rules.Actor`), who registers one, and
who sees the petitioners unmasked (every such read audited). Out of scope answers 404.

A petition is located by its village (or township: `region_code`) and owned by the handling unit (信访办): people
whose scope covers the place or the unit see it, and so does the leader who took it. The petitioners are personal
data: the handling unit's staff and the leader see them whole, others masked.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.scope import scope_of
from grassroots.org.models import Unit

from .models import Petition, PetitionPetitioner
from .permissions import HEAD_ROLES, _signed_in
from .petition_rules import Actor

PETITIONER_FIELDS = ["name", "id_number", "phone", "address"]


def is_office(user: Any, unit: Unit) -> bool:
    """Staff of the handling unit, or a leader or coordinator whose area covers it (or an administrator)."""
    if not _signed_in(user):
        return False
    if user.is_superuser or user.unit_id == unit.pk:
        return True
    return user.role in HEAD_ROLES and scope_of(user).covers(region_code=unit.division.code, unit_id=unit.pk)


def may_register(user: Any, unit: Unit) -> bool:
    """The handling unit registers what reaches it (and those over it)."""
    return is_office(user, unit)


def petitions_visible_to(user: Any) -> QuerySet[Petition]:
    """The petitions of the person's area and unit, and those they took as leader."""
    if not _signed_in(user):
        return Petition.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Petition.objects.all()
    q = scope.q(region_field="region_code", unit_field="unit_id") | Q(leader=user.pk)
    return Petition.objects.filter(q)


def access_petition(user: Any, petition_id: int) -> Petition:
    petition = (
        petitions_visible_to(user)
        .select_related("unit__division", "village", "township", "leader")
        .filter(pk=petition_id)
        .first()
    )
    if petition is None:
        raise Http404("信访件不存在或不在您的管辖范围内")
    return petition


def petition_actor_kinds(petition: Petition, actor: Any) -> set[str]:
    """What `actor` is with respect to `petition` (the kinds of `petition_rules.Actor`)."""
    if actor is None:
        return {Actor.SYSTEM}
    if not _signed_in(actor):
        return set()
    kinds: set[str] = set()
    if petition.leader_id is not None and petition.leader_id == actor.pk:
        kinds.add(Actor.LEADER)
    if is_office(actor, petition.unit):
        kinds.add(Actor.OFFICE)
    return kinds


def sees_petitioners(person: Any, petition: Petition) -> bool:
    return bool(petition_actor_kinds(petition, person) - {Actor.SYSTEM})


def mask_petitioner(p: PetitionPetitioner) -> dict[str, Any]:
    return {
        "position": p.position,
        "name": mask_name(p.name),
        "id_number": mask_id_number(p.id_number),
        "phone": mask_phone(p.phone),
        "address": "*" * min(len(p.address), 6),
        "masked": True,
    }


def petitioners_of(person: Any, petition: Petition, *, purpose: str) -> list[dict[str, Any]]:
    """The petitioners as `person` may see them: the handling unit and the leader whole (the read audited, once
    for the petition); everyone else masked, leaving no read row."""
    rows = list(PetitionPetitioner.objects.filter(petition=petition).order_by("position", "pk"))
    if not sees_petitioners(person, petition):
        return [mask_petitioner(p) for p in rows]
    if rows:
        audit_record_read(actor=person, objects=[petition], fields=PETITIONER_FIELDS, purpose=purpose)
    return [
        {
            "position": p.position,
            "name": p.name,
            "id_number": p.id_number,
            "phone": p.phone,
            "address": p.address,
            "masked": False,
        }
        for p in rows
    ]
