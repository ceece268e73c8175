"""Who may see and manage a draw plan: coordinators and leaders whose region covers one of the plan's units,
department staff and inspectors of those units. Out of scope answers 404, like an absent plan."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.errors import Forbidden
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.people.choices import Role

from .models import DrawPlan

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
