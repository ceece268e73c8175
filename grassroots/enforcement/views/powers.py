"""The staff's pages of the power list (权力清单), under /enforcement/powers/: the list with its search, filters and
counts per category, one power with its discretion table, publishing, the Excel import (every bad row shown,
nothing written) and the export. Who reads and who manages: `services.powers_access`."""

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.core.workbooks import XLSX
from grassroots.people.actors import person_of
from grassroots.people.models import Person

from ..choices import PowerCategory
from ..services.powers_access import access_power, may_manage, may_manage_power, may_read, visible_to
from ..services.powers_io import (
    ImportResult,
    max_upload_bytes,
    powers_export,
    powers_import,
    upload_problem,
)
from ..services.powers_publish import power_publish, power_unpublish
from ..services.powers_rules import (
    LEVEL_LABELS,
    discretion_normal,
    discretion_problems,
    publish_problems,
    yuan,
)
from ..services.powers_selectors import (
    PowerFilters,
    category_counts,
    field_names,
    for_list,
    powers_search,
    unit_choices,
)

PAGE_SIZE = 50


def reader(request: HttpRequest) -> Person:
    person = person_of(request)
    if not may_read(person):
        raise PermissionDenied("您的岗位不使用权力清单页面")
    return person


def _query(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


@login_required
def power_list(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    filters = PowerFilters.from_query(request.GET)
    scoped = visible_to(person)
    counts = category_counts(powers_search(scoped, filters.without_category()))
    page = Paginator(for_list(powers_search(scoped, filters)), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "counts": counts,
        "categories": [(c.value, c.label, counts[c.value]) for c in PowerCategory],
        "fields": field_names(scoped),
        "units": unit_choices(scoped),
        "page": page,
        "query": _query(request),
        "category_query": _query(request, "category"),
        "may_manage": may_manage(person),
    }
    return render(request, "enforcement/powers_list.html", context)


def fine_range(low: Any, high: Any) -> str:
    if not low and not high:
        return "—"
    if high is None:
        return f"{yuan(low)} 元以上"
    if low is None or low == 0:
        return f"{yuan(high)} 元以下"
    return f"{yuan(low)}–{yuan(high)} 元"


def discretion_rows(power: Any) -> list[dict[str, Any]]:
    """The discretion table for a page: lightest level first, with the level's Chinese name and the fine's range."""
    return [
        row
        | {"label": LEVEL_LABELS.get(row["level"], row["level"]), "range": fine_range(row["min"], row["max"])}
        for row in discretion_normal(list(power.discretion or []))
    ]


@login_required
def power_detail(request: HttpRequest, code: str) -> HttpResponse:
    person = reader(request)
    power = access_power(person, code)
    discretion = list(power.discretion or [])
    problems = [p.message for p in discretion_problems(discretion)]
    if not power.published:
        problems += [
            p.message
            for p in publish_problems(
                category=power.category, penalty_basis=power.penalty_basis, discretion=discretion
            )
            if p.field != "discretion"
        ]
    context = {
        "power": power,
        "discretion": discretion_rows(power),
        "problems": problems,
        "may_manage": may_manage_power(person, power),
    }
    return render(request, "enforcement/powers_detail.html", context)


@login_required
@require_POST
def power_publication(request: HttpRequest, code: str, action: str) -> HttpResponse:
    person = reader(request)
    power = access_power(person, code)
    try:
        if action == "publish":
            power_publish(actor=person, power=power)
            messages.success(request, f"已公布 {power.code} {power.name}")
        else:
            power_unpublish(actor=person, power=power)
            messages.success(request, f"已撤回公布 {power.code} {power.name}")
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    return redirect(reverse("enforcement:power", args=[power.code]))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("权力清单文件（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        head = upload.read(4)
        upload.seek(0)
        problem = upload_problem(upload.name or "", upload.size or 0, head)
        if problem is not None:
            raise forms.ValidationError(problem)
        return upload


@login_required
def power_import(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_manage(person):
        raise PermissionDenied("只有系统管理员和乡镇综合执法平台协调员可以导入权力清单")
    result: ImportResult | None = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = powers_import(actor=person, data=upload.read(), source=upload.name)
        if result.ok:
            messages.success(
                request,
                f"导入完成：新增 {len(result.created)} 项，更新 {len(result.changed)} 项，"
                f"未变化 {len(result.unchanged)} 项",
            )
            return redirect(reverse("enforcement:powers"))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "result": result, "max_mb": max_upload_bytes() // (1024 * 1024)}
    return render(request, "enforcement/powers_import.html", context, status=status)


@login_required
def power_export(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    template = request.GET.get("template") == "1"
    chosen = (
        visible_to(person).none()
        if template
        else powers_search(visible_to(person), PowerFilters.from_query(request.GET))
    )
    data = powers_export(actor=person, powers=chosen)
    name = "权力清单模板" if template else f"权力清单-{timezone.localdate():%Y%m%d}"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


urlpatterns = [
    path("", power_list, name="powers"),
    path("import/", power_import, name="powers_import"),
    path("export.xlsx", power_export, name="powers_export"),
    path("<str:code>/", power_detail, name="power"),
    path("<str:code>/publish/", power_publication, {"action": "publish"}, name="power_publish"),
    path("<str:code>/unpublish/", power_publication, {"action": "unpublish"}, name="power_unpublish"),
]
