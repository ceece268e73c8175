"""Who sees which joint operation, who starts one, and what a person is on one (the kinds of
`operation_rules.Actor`). Out of scope answers 404, like the cases (`permissions.cases_visible_to`).

An operation is seen by the staff of its lead unit and of every participating unit, and by anyone whose region
covers one of those units' divisions (the township's leader and coordinators over all of the township's units).
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.models import Unit
from grassroots.people.choices import Role

from ..models.operations import JointOperation, OperationUnit
from ..permissions import HEAD_ROLES, is_head
from .operation_rules import Actor

# Staff who act for their own unit: officers, department staff, and the unit's own coordinators.
STAFF_ROLES = frozenset({Role.INSPECTOR, Role.DEPARTMENT_STAFF, *HEAD_ROLES})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def acts_for(user: Any, unit: Unit) -> bool:
    """Staff of the unit, or a head over it (a leader or coordinator of its area, or an administrator)."""
    if not _signed_in(user):
        return False
    return (user.role in STAFF_ROLES and user.unit_id == unit.pk) or is_head(user, unit)


def may_create_operation(user: Any, unit: Unit) -> bool:
    """The lead unit's staff or its head start an operation (the initiating agency's written plan)."""
    return acts_for(user, unit)


def may_create_operations(user: Any) -> bool:
    """Whether the person leads operations for some unit (the 新建 button shows to them)."""
    if not _signed_in(user):
        return False
    return (
        user.is_superuser
        or user.role in HEAD_ROLES
        or (user.role in STAFF_ROLES and user.unit_id is not None)
    )


def lead_units_of(user: Any) -> QuerySet[Unit]:
    """The units the person may lead an operation for."""
    if not _signed_in(user):
        return Unit.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Unit.objects.filter(is_active=True)
    q = Q(pk=user.unit_id) if user.role in STAFF_ROLES and user.unit_id else Q(pk__in=[])
    if user.role in HEAD_ROLES:
        q |= scope.q(region_field="division__code", unit_field="pk")
    return Unit.objects.filter(q, is_active=True)


def operations_visible_to(user: Any) -> QuerySet[JointOperation]:
    """The operations the person's unit leads or takes part in, and those of the units in their area."""
    if not _signed_in(user):
        return JointOperation.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return JointOperation.objects.all()
    q = Q(pk__in=[])
    if scope.unit_id:
        q |= Q(lead_unit_id=scope.unit_id) | Q(participants__unit_id=scope.unit_id)
    if scope.region_prefix:
        q |= code_prefix_q("lead_unit__division__code", scope.region_prefix)
        q |= code_prefix_q("participants__unit__division__code", scope.region_prefix)
    return JointOperation.objects.filter(pk__in=JointOperation.objects.filter(q).values("pk"))


def access_operation(user: Any, operation_id: int) -> JointOperation:
    operation = (
        operations_visible_to(user).select_related("lead_unit__division").filter(pk=operation_id).first()
    )
    if operation is None:
        raise Http404("行动不存在或不在您的管辖范围内")
    return operation


def recording_units(user: Any, operation: JointOperation) -> list[OperationUnit]:
    """The participating units whose results and tasks the person records: their own unit, or those they head."""
    if not _signed_in(user):
        return []
    rows = operation.participants.select_related("unit__division")
    return [row for row in rows if acts_for(user, row.unit)]


def operation_actor_kinds(operation: JointOperation, actor: Any) -> set[str]:
    """What `actor` is with respect to `operation` (the kinds of `operation_rules.Actor`)."""
    kinds: set[str] = set()
    if not _signed_in(actor):
        return kinds
    if acts_for(actor, operation.lead_unit):
        kinds.add(Actor.LEAD)
    if recording_units(actor, operation):
        kinds.add(Actor.UNIT)
    return kinds
