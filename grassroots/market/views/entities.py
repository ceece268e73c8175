"""The registry's pages: the entity list (scoped, searchable), an entity's credit file (registry part), the risk
override, and the CSV/Excel import with its table of row errors."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.geo.models import Grid
from grassroots.people.actors import person_of
from grassroots.workcal.calendar import local_today

from ..choices import EntityStatus, FoodClass, RiskClass
from ..permissions import (
    access_entity,
    contact_of,
    may_arrange_inspection,
    may_import,
    may_override_risk,
    visible_to,
)
from ..selectors import EntityFilters, entities_filtered
from ..services.imports import COLUMNS, MAX_BYTES, entity_import
from ..services.risk import risk_override_set

PAGE_SIZE = 50


@login_required
def entity_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    filters = EntityFilters.from_query(request.GET)
    scoped = visible_to(person)
    rows = entities_filtered(scoped, filters).select_related("grid").order_by("name", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    grid_ids = scoped.exclude(grid__isnull=True).values("grid_id")
    grids = Grid.objects.filter(pk__in=grid_ids).order_by("code").only("pk", "code", "name")
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "page": page,
        "filters": filters,
        "statuses": EntityStatus.choices,
        "risk_classes": RiskClass.choices,
        "food_classes": FoodClass.choices,
        "grids": grids,
        "query": urlencode(query),
        "may_import": may_import(person),
    }
    return render(request, "market/entity_list.html", context)


class OverrideForm(forms.Form):
    risk_class = forms.ChoiceField(
        label="调整为", choices=[("", "取消人工调整（按计算结果）"), *RiskClass.choices], required=False
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


@login_required
def entity_page(request: HttpRequest, entity_id: int) -> HttpResponse:
    person = person_of(request)
    entity = access_entity(person, entity_id)
    today = local_today()
    licences = list(entity.licences.all())
    for licence in licences:
        licence.days_left = (licence.valid_to - today).days  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "entity": entity,
        "contact": contact_of(person, entity, purpose="查看市场主体信用档案"),
        "licences": licences,
        "listings": list(entity.abnormal_listings.select_related("listed_by", "removed_by")),
        "may_override": may_override_risk(person),
        "may_arrange": may_arrange_inspection(person),
        "override_form": OverrideForm(initial={"risk_class": entity.risk_override}),
    }
    return render(request, "market/entity.html", context)


@login_required
@require_POST
def risk_override(request: HttpRequest, entity_id: int) -> HttpResponse:
    person = person_of(request)
    entity = access_entity(person, entity_id)
    if not may_override_risk(person):
        raise PermissionDenied("只有平台协调员和领导可以调整风险分类")
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            risk_override_set(
                actor=person,
                entity=entity,
                risk_class=form.cleaned_data["risk_class"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "风险分类已调整")
    else:
        messages.error(request, "调整风险分类必须填写理由")
    return redirect("market:entity", entity_id=entity.pk)


class ImportForm(forms.Form):
    file = forms.FileField(label="文件（.csv 或 .xlsx）")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_import(person):
        raise PermissionDenied("只有执法人员、平台协调员和系统管理员可以导入市场主体")
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"文件过大：不得超过 {MAX_BYTES // (1024 * 1024)} MB")
        else:
            result = entity_import(actor=person, data=upload.read(), source=upload.name)
            if result.ok:
                messages.success(
                    request,
                    f"已导入 {upload.name}：新增 {result.created} 户，更新 {result.changed} 户，"
                    f"未变 {result.unchanged} 户",
                )
                return redirect(reverse("market:entities"))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "result": result, "columns": list(COLUMNS)}
    return render(request, "market/import.html", context, status=status)
