"""Creating a plan and editing it while it is a draft (/draws/plans/new/, /draws/plans/N/edit/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from grassroots.core.errors import DomainError

from ..choices import PlanStatus
from ..forms import PlanForm, add_domain_error
from ..permissions import access_plan, can_manage, managed_units
from ..services import plan_create, plan_update
from .common import manager


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    person = manager(request)
    form = PlanForm(request.POST or None, units=managed_units(person))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                plan = plan_create(actor=person, **form.service_kwargs())
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "已新建抽查计划（草稿），确认无误后冻结名录")
                return redirect("draws:plan", plan.pk)
    return render(request, "draws/plan_form.html", {"form": form, "plan": None}, status=status)


@login_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    person = manager(request)
    plan = access_plan(person, plan_id)
    if not can_manage(person, plan):
        raise PermissionDenied("您无权管理该抽查计划")
    form = PlanForm(request.POST or None, units=managed_units(person), plan=plan)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            version = form.cleaned_data["version"] or 0
            try:
                plan_update(actor=person, plan=plan, version=version, **form.service_kwargs())
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "已保存计划")
                return redirect("draws:plan", plan.pk)
    # A frozen plan is what was published: the page says so and offers no button (the service refuses too).
    refused = (
        "" if plan.status == PlanStatus.DRAFT else f"计划当前状态为“{plan.get_status_display()}”，不能再修改"
    )
    context = {"form": form, "plan": plan, "refused": refused}
    return render(request, "draws/plan_form.html", context, status=status)
