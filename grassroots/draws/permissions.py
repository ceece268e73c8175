"""Who may see and manage a draw plan: coordinators and leaders whose region covers one of the plan's units,
department staff and inspectors of those units. Out of scope answers 404, like an absent plan.

The same people keep the item list and the inspector pool (一单两库) of the units they manage."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.errors import Forbidden
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.models import Unit
from grassroots.people.choices import Role

from .models import DeclaredRelation, DrawPlan, InspectionItem, Inspector

# Who manages plans (freeze, draw, re-draw, publish); inspectors only read them.
MANAGER_ROLES = frozenset({Role.PLATFORM_COORDINATOR, Role.LEADER, Role.DEPARTMENT_STAFF})
PAGE_ROLES = MANAGER_ROLES | {Role.INSPECTOR}


def visible_to(user: Any) -> QuerySet[DrawPlan]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return DrawPlan.objects.none()
    if user.is_superuser:
        return DrawPlan.objects.all()
    if user.role not in PAGE_ROLES:
        return DrawPlan.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return DrawPlan.objects.all()
    q = Q(pk__in=[])
    if scope.region_prefix and user.role in {Role.PLATFORM_COORDINATOR, Role.LEADER}:
        q |= code_prefix_q("units__division__code", scope.region_prefix)
    if scope.unit_id:
        q |= Q(units=scope.unit_id)
    return DrawPlan.objects.filter(pk__in=DrawPlan.objects.filter(q).values("pk"))


def access_plan(user: Any, plan_id: int) -> DrawPlan:
    plan = visible_to(user).select_related("created_by").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("抽查计划不存在或不在您的管辖范围内")
    return plan


def can_manage(user: Any, plan: DrawPlan) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return user.role in MANAGER_ROLES and visible_to(user).filter(pk=plan.pk).exists()


def guard_manager(user: Any, plan: DrawPlan) -> None:
    if not can_manage(user, plan):
        raise Forbidden("您无权管理该抽查计划", code="draw_not_manager")


# -- 一单两库: the units a manager keeps the lists of ------------------------------------------------------------


def may_manage_lists(user: Any) -> bool:
    """Whether the person's role keeps plans and lists at all (the pages answer 403 to other roles)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or user.role in MANAGER_ROLES)


def managed_units(user: Any) -> QuerySet[Unit]:
    """The units whose plans, items and inspectors the person manages: their own unit (department staff), the units
    in their region (coordinators, leaders), every unit (district-wide scope)."""
    if not may_manage_lists(user):
        return Unit.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Unit.objects.all()
    q = Q(pk__in=[])
    if scope.region_prefix and user.role in {Role.PLATFORM_COORDINATOR, Role.LEADER}:
        q |= code_prefix_q("division__code", scope.region_prefix)
    if scope.unit_id:
        q |= Q(pk=scope.unit_id)
    return Unit.objects.filter(q)


def manages_unit(user: Any, unit_id: int | None) -> bool:
    return unit_id is not None and managed_units(user).filter(pk=unit_id).exists()


def guard_unit(user: Any, unit_id: int | None) -> None:
    """Refuse a change to the lists of a unit the person does not manage; None (the system) is not refused."""
    if user is not None and not manages_unit(user, unit_id):
        raise Forbidden("您无权维护该单位的抽查事项或执法人员", code="draw_not_unit_manager")


def items_managed_by(user: Any) -> QuerySet[InspectionItem]:
    return InspectionItem.objects.filter(unit__in=managed_units(user))


def inspectors_managed_by(user: Any) -> QuerySet[Inspector]:
    return Inspector.objects.filter(unit__in=managed_units(user))


def access_item(user: Any, item_id: int) -> InspectionItem:
    item = items_managed_by(user).select_related("unit").filter(pk=item_id).first()
    if item is None:
        raise Http404("抽查事项不存在或不在您的管辖范围内")
    return item


def access_inspector(user: Any, inspector_id: int) -> Inspector:
    inspector = inspectors_managed_by(user).select_related("person", "unit").filter(pk=inspector_id).first()
    if inspector is None:
        raise Http404("执法人员不存在或不在您的管辖范围内")
    return inspector


def guard_relation(user: Any, inspector: Inspector) -> None:
    """An inspector declares their own relations (回避申报); a manager of their unit records them too."""
    if user is None or user.pk == inspector.person_id:
        return
    guard_unit(user, inspector.unit_id)


def access_relation(inspector: Inspector, relation_id: int) -> DeclaredRelation:
    relation = inspector.relations.filter(pk=relation_id).first()
    if relation is None:
        raise Http404("回避申报不存在")
    return relation
