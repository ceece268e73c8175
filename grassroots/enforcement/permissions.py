"""Who sees which enforcement case, who is what on a case (the actor kinds of `rules.Actor`), who may open one,
and who sees the party's identity unmasked (every such read audited). Out of scope answers 404.

负责人 (HEAD) is a leader or platform coordinator whose scope covers the case's unit: its area (a township leader
over the township's enforcement team) or the unit itself. 法制审核 (REVIEWER) is department staff of the case's
unit who is not an officer on it: the legal officer of the team, who must not review their own case.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.models import Unit
from grassroots.people.choices import Role

from .models import EnforcementCase
from .rules import Actor

HEAD_ROLES = frozenset({Role.LEADER, Role.PLATFORM_COORDINATOR})
REVIEWER_ROLES = frozenset({Role.DEPARTMENT_STAFF})
# Who registers leads for their own unit (the head may too).
OPEN_ROLES = frozenset({Role.INSPECTOR, Role.DEPARTMENT_STAFF})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def is_head(user: Any, unit: Unit) -> bool:
    """A leader or platform coordinator over the unit's area or of the unit (or an administrator)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.role not in HEAD_ROLES:
        return False
    return scope_of(user).covers(region_code=unit.division.code, unit_id=unit.pk)


def may_open_case(user: Any, unit: Unit) -> bool:
    """Officers and staff of the unit register leads; so does its head."""
    if not _signed_in(user):
        return False
    return (user.role in OPEN_ROLES and user.unit_id == unit.pk) or is_head(user, unit)


def may_open_cases(user: Any) -> bool:
    """Whether the person registers leads for some unit (theirs, or one they head): offers to 立案查处 show to them."""
    if not _signed_in(user):
        return False
    return (
        user.is_superuser or user.role in HEAD_ROLES or (user.role in OPEN_ROLES and user.unit_id is not None)
    )


def cases_visible_to(user: Any) -> QuerySet[EnforcementCase]:
    """The cases of the person's unit, of the units in their area, and every case they are named on."""
    if not _signed_in(user):
        return EnforcementCase.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return EnforcementCase.objects.all()
    q = Q(officers=user.pk) | Q(hearing_chair=user.pk)
    if scope.unit_id:
        q |= Q(unit_id=scope.unit_id)
    if scope.region_prefix:
        q |= code_prefix_q("unit__division__code", scope.region_prefix)
    return EnforcementCase.objects.filter(pk__in=EnforcementCase.objects.filter(q).values("pk"))


def access_case(user: Any, case_id: int) -> EnforcementCase:
    case = (
        cases_visible_to(user)
        .select_related("unit__division", "power", "event", "inspection", "market_entity")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("案件不存在或不在您的管辖范围内")
    return case


def case_actor_kinds(case: EnforcementCase, actor: Any) -> set[str]:
    """What `actor` is with respect to `case` (the kinds of `rules.Actor`)."""
    if actor is None:
        return {Actor.SYSTEM}
    if not _signed_in(actor):
        return set()
    kinds: set[str] = set()
    # From the prefetched officers where the caller prefetched them (lists), else one small query.
    officer = any(o.pk == actor.pk for o in case.officers.all())
    if officer:
        kinds.add(Actor.OFFICER)
    if is_head(actor, case.unit):
        kinds.add(Actor.HEAD)
    if not officer and actor.role in REVIEWER_ROLES and actor.unit_id == case.unit_id:
        kinds.add(Actor.REVIEWER)
    if not officer and case.hearing_chair_id == actor.pk:
        kinds.add(Actor.CHAIR)
    return kinds


PARTY_FIELDS = ["party_name", "party_id_number", "party_phone"]


def party_of(person: Any, case: EnforcementCase, *, purpose: str) -> dict[str, Any]:
    """The party's name, identity number and phone as `person` may see them: those who work on the case see them
    whole (the read is audited); others see them masked. An organisation's name and code are public."""
    if case_actor_kinds(case, person) - {Actor.SYSTEM}:
        audit_record_read(actor=person, objects=[case], fields=PARTY_FIELDS, purpose=purpose)
        return {
            "name": case.party_name,
            "id_number": case.party_id_number,
            "phone": case.party_phone,
            "masked": False,
        }
    organisation = case.party_kind == "organisation"
    return {
        "name": case.party_name if organisation else mask_name(case.party_name),
        "id_number": case.party_id_number if organisation else mask_id_number(case.party_id_number),
        "phone": mask_phone(case.party_phone),
        "masked": True,
    }
