"""Staff pages under /draws/: the plan list and a plan's page (freeze, draw, re-draw, publish); creating and
editing a plan is views/plan_edit.py, the lists views/items.py and views/inspectors.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.people.actors import person_of
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..forms import PublishForm, RedrawForm
from ..models import DrawPlan
from ..permissions import MANAGER_ROLES, PAGE_ROLES, access_plan, can_manage, may_manage_lists, visible_to
from ..pools import target_pool
from ..rules import ACTION_LABELS, PLAN_MOVES
from ..services import draw_publish, plan_draw, plan_freeze, plan_redraw
from ..services.plans import results_summary
from .common import draws_context


def viewer(request: HttpRequest) -> Person:
    person = person_of(request)
    if person.role not in PAGE_ROLES and not person.is_superuser:
        raise PermissionDenied("您的岗位不使用此页面")
    return person


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    plans = visible_to(person).prefetch_related("units").order_by("-created_at", "-pk")[:200]
    context = {"plans": plans, "may_manage": may_manage_lists(person)}
    return render(request, "draws/plan_list.html", context)


def approvers_for(plan: DrawPlan, person: Person) -> list[Person]:
    """Who else may manage the plan: staff of its units, coordinators and leaders whose region covers them."""
    units = list(plan.units.select_related("division"))
    unit_ids = {u.pk for u in units}
    codes = [u.division.code for u in units if u.division_id]
    candidates = Person.objects.filter(role__in=MANAGER_ROLES, is_active=True).exclude(pk=person.pk)
    return [
        p
        for p in candidates.order_by("name")[:500]
        if p.unit_id in unit_ids
        or (
            p.role in {Role.PLATFORM_COORDINATOR, Role.LEADER}
            and p.region_code
            and any(code.startswith(p.region_code) for code in codes)
        )
    ]


def page(
    request: HttpRequest, plan: DrawPlan, person: Person, *, status: int = 200, **forms: Any
) -> HttpResponse:
    manages = can_manage(person, plan)
    context = draws_context(plan, staff=True) | {"manages": manages}
    if manages:
        context["redraw_form"] = forms.get("redraw_form") or RedrawForm(approvers=approvers_for(plan, person))
        current = plan.draws.filter(superseded_at__isnull=True).order_by("-sequence").first()
        summary = results_summary(current) if current is not None else ""
        context["publish_form"] = forms.get("publish_form") or PublishForm(initial={"summary": summary})
    return render(request, "draws/plan.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    person = viewer(request)
    return page(request, access_plan(person, plan_id), person)


@login_required
@require_POST
def plan_act(request: HttpRequest, plan_id: int, action: str) -> HttpResponse:
    person = viewer(request)
    plan = access_plan(person, plan_id)
    if action not in PLAN_MOVES:
        raise Http404("没有这个操作")
    if not can_manage(person, plan):
        raise PermissionDenied("您无权管理该抽查计划")
    forms: dict[str, Any] = {}
    try:
        if action == "freeze":
            plan_freeze(actor=person, plan=plan, targets=target_pool(plan))
        elif action == "draw":
            plan_draw(actor=person, plan=plan)
        elif action == "redraw":
            form = forms["redraw_form"] = RedrawForm(request.POST, approvers=approvers_for(plan, person))
            if not form.is_valid():
                return page(request, plan, person, status=422, **forms)
            plan_redraw(
                actor=person,
                plan=plan,
                reason=form.cleaned_data["reason"],
                approved_by=form.cleaned_data["approver"],
                targets=target_pool(plan),
            )
        else:
            publish = forms["publish_form"] = PublishForm(request.POST)
            if not publish.is_valid():
                return page(request, plan, person, status=422, **forms)
            draw_publish(actor=person, plan=plan, summary=publish.cleaned_data["summary"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return page(request, access_plan(person, plan_id), person, status=422, **forms)
    messages.success(request, _("已%(action)s") % {"action": ACTION_LABELS[action]})
    return redirect("draws:plan", plan.pk)
