"""执法人员名录库 maintenance (/draws/inspectors/): the inspectors of the units a person manages, with their
certificates' validity; add, edit, deactivate and reactivate; declared relations (回避申报) per inspector."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today

from ..choices import TargetKind
from ..forms import InspectorForm, RelationForm, VersionForm, add_domain_error
from ..models import Inspector
from ..permissions import access_inspector, access_relation, inspectors_managed_by, managed_units
from ..services import (
    inspector_register,
    inspector_set_active,
    inspector_update,
    relation_declare,
    relation_remove,
)
from ..targets import target_labels
from .common import certificate_state, manager

PAGE_SIZE = 100


@login_required
def inspector_list(request: HttpRequest) -> HttpResponse:
    person = manager(request)
    rows = (
        inspectors_managed_by(person)
        .select_related("person", "unit")
        .annotate(relation_count=Count("relations"))
        .order_by("-active", "unit__code", "certificate_no", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    for inspector in page:
        inspector.certificate_state = certificate_state(inspector.certificate_valid_to, today)  # type: ignore[attr-defined]
    return render(request, "draws/inspector_list.html", {"page": page})


@login_required
def inspector_new(request: HttpRequest) -> HttpResponse:
    person = manager(request)
    units = managed_units(person)
    # Who may be added: active people of the managed units not yet in the pool.
    people = Person.objects.filter(is_active=True, unit__in=units, inspector__isnull=True)
    form = InspectorForm(request.POST or None, units=units, people=people)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                inspector = inspector_register(
                    actor=person, person=form.cleaned_data["person"], **form.service_kwargs()
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"已将 {inspector.person.name} 加入执法人员名录库")
                return redirect("draws:inspector", inspector.pk)
    return render(request, "draws/inspector_new.html", {"form": form}, status=status)


def inspector_page(
    request: HttpRequest, person: Person, inspector: Inspector, *, status: int = 200, **forms: Any
) -> HttpResponse:
    relations = list(inspector.relations.order_by("-declared_at", "-pk"))
    labels = target_labels(relations)
    kinds = dict(TargetKind.choices)
    context = {
        "inspector": inspector,
        "certificate_state": certificate_state(inspector.certificate_valid_to, local_today()),
        "form": forms.get("form") or InspectorForm(units=managed_units(person), inspector=inspector),
        "relation_form": forms.get("relation_form") or RelationForm(),
        "relations": [
            (r, labels.get((r.target_kind, r.target_id), ""), kinds.get(r.target_kind, r.target_kind))
            for r in relations
        ],
    }
    return render(request, "draws/inspector.html", context, status=status)


@login_required
def inspector_edit(request: HttpRequest, inspector_id: int) -> HttpResponse:
    person = manager(request)
    inspector = access_inspector(person, inspector_id)
    if request.method != "POST":
        return inspector_page(request, person, inspector)
    form = InspectorForm(request.POST, units=managed_units(person), inspector=inspector)
    if form.is_valid():
        try:
            inspector_update(
                actor=person,
                inspector=inspector,
                version=form.cleaned_data["version"] or 0,
                **form.service_kwargs(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return inspector_page(request, person, inspector, status=exc.status, form=form)
        messages.success(request, "已保存执法人员信息")
        return redirect("draws:inspector", inspector.pk)
    return inspector_page(request, person, inspector, status=422, form=form)


@login_required
@require_POST
def inspector_active(request: HttpRequest, inspector_id: int, active: bool) -> HttpResponse:
    person = manager(request)
    inspector = access_inspector(person, inspector_id)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "页面已过期，请刷新后重试")
        return redirect("draws:inspector", inspector.pk)
    try:
        inspector_set_active(
            actor=person, inspector=inspector, version=form.cleaned_data["version"], active=active
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        name = inspector.person.name
        messages.success(request, f"{name} 已恢复在库" if active else f"{name} 已移出名录库，不再参加抽取")
    return redirect("draws:inspector", inspector.pk)


@login_required
@require_POST
def relation_add(request: HttpRequest, inspector_id: int) -> HttpResponse:
    person = manager(request)
    inspector = access_inspector(person, inspector_id)
    form = RelationForm(request.POST)
    if form.is_valid():
        target_id, name = form.cleaned_data["target"]
        try:
            relation_declare(
                actor=person,
                inspector=inspector,
                target_kind=TargetKind.MARKET_ENTITY,
                target_id=target_id,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            return inspector_page(request, person, inspector, status=exc.status, relation_form=form)
        messages.success(request, f"已登记与 {name} 的回避关系")
        return redirect("draws:inspector", inspector.pk)
    return inspector_page(request, person, inspector, status=422, relation_form=form)


@login_required
@require_POST
def relation_delete(request: HttpRequest, inspector_id: int, relation_id: int) -> HttpResponse:
    person = manager(request)
    inspector = access_inspector(person, inspector_id)
    relation = access_relation(inspector, relation_id)
    try:
        relation_remove(actor=person, relation=relation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已撤销回避申报")
    return redirect("draws:inspector", inspector.pk)
