"""Who sees which dispute, who is what on a dispute (the actor kinds of `rules.Actor`), who may register one, and
who sees the parties' identities unmasked (every such read audited). Out of scope answers 404.

A dispute is located by its grid or village (`region_code`) and owned by its committee: people whose scope covers
the place (grid workers, village staff, township leaders) or who staff the committee see it, and so do its named
mediators. The parties are personal data: the mediators and the committee see them whole, others masked.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.audit.services import audit_record_read
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.scope import scope_of
from grassroots.org.models import Unit
from grassroots.people.choices import Role

from .choices import PartyKind
from .models import Dispute, DisputeParty
from .rules import Actor

HEAD_ROLES = frozenset({Role.LEADER, Role.PLATFORM_COORDINATOR})
PARTY_FIELDS = ["name", "id_number", "phone", "address"]


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def is_committee(user: Any, committee: Unit) -> bool:
    """A mediator of the committee, or a leader or coordinator whose area covers it (or an administrator)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    if user.role == Role.MEDIATOR and user.unit_id == committee.pk:
        return True
    return user.role in HEAD_ROLES and scope_of(user).covers(
        region_code=committee.division.code, unit_id=committee.pk
    )


def may_register(user: Any, region_code: str, committee: Unit) -> bool:
    """Whoever's scope covers the place reports a dispute there (a grid worker on patrol, village staff, the
    command room), and the committee registers its own."""
    if not _signed_in(user):
        return False
    return scope_of(user).covers(region_code=region_code) or is_committee(user, committee)


def disputes_visible_to(user: Any) -> QuerySet[Dispute]:
    """The disputes of the person's area and committee, and those they mediate."""
    if not _signed_in(user):
        return Dispute.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Dispute.objects.all()
    q = scope.q(region_field="region_code", unit_field="committee_id") | Q(mediators=user.pk)
    return Dispute.objects.filter(pk__in=Dispute.objects.filter(q).values("pk"))


def access_dispute(user: Any, dispute_id: int) -> Dispute:
    dispute = (
        disputes_visible_to(user)
        .select_related("committee__division", "village", "township", "grid")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Http404("纠纷不存在或不在您的管辖范围内")
    return dispute


def dispute_actor_kinds(dispute: Dispute, actor: Any) -> set[str]:
    """What `actor` is with respect to `dispute` (the kinds of `rules.Actor`)."""
    if actor is None:
        return {Actor.SYSTEM}
    if not _signed_in(actor):
        return set()
    kinds: set[str] = set()
    if dispute.mediators.filter(pk=actor.pk).exists():
        kinds.add(Actor.MEDIATOR)
    if is_committee(actor, dispute.committee):
        kinds.add(Actor.COMMITTEE)
    return kinds


def parties_of(person: Any, dispute: Dispute, *, purpose: str) -> list[dict[str, Any]]:
    """The parties as `person` may see them: the mediators and the committee see them whole (the read is
    audited, once for the dispute); others see a person's name, ID number, phone and address masked. An
    organisation's name and code are public; its phone is still masked."""
    parties = list(DisputeParty.objects.filter(dispute=dispute).order_by("position", "pk"))
    whole = bool(dispute_actor_kinds(dispute, person) - {Actor.SYSTEM})
    if whole and parties:
        audit_record_read(actor=person, objects=[dispute], fields=PARTY_FIELDS, purpose=purpose)
    rows = []
    for p in parties:
        organisation = p.kind == PartyKind.ORGANISATION
        rows.append(
            {
                "position": p.position,
                "side": p.side,
                "kind": p.kind,
                "name": p.name if whole or organisation else mask_name(p.name),
                "id_number": p.id_number if whole or organisation else mask_id_number(p.id_number),
                "phone": p.phone if whole else mask_phone(p.phone),
                "address": p.address if whole else ("*" * min(len(p.address), 6)),
                "masked": not whole,
            }
        )
    return rows
