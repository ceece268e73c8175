"""The staff's catalogue pages (事项清单): the items of each township type's list with the lists' counts, an item with
its versions and materials, the Excel import (every bad row shown, nothing written) and the export.

Everyone on the desk reads; importing and publishing need `may_manage_catalogue`."""

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError
from grassroots.core.workbooks import XLSX
from grassroots.people.choices import Role
from grassroots.workflow.choices import CatalogueStatus
from grassroots.workflow.publishing import publish

from ..choices import ItemKind
from ..models import Application, ServiceItem
from ..permissions import may_manage_catalogue
from ..services.catalogue_columns import channels_label
from ..services.catalogue_io import (
    ImportResult,
    catalogue_export,
    catalogue_import,
    max_upload_bytes,
    upload_problem,
)
from .common import AGENT_ROLES, DESK_ROLES, viewer

READ_ROLES = DESK_ROLES | AGENT_ROLES | {Role.SYSTEM_ADMIN}
# The lists of DOMAIN.md §7 (seed 004: 164 / 124 / 79, villages 36), by the item's flag that puts it on each.
LISTS = {
    "central": ("中心镇（街道）", "in_central"),
    "developing": ("发展型乡镇", "in_developing"),
    "ecological": ("生态型乡镇", "in_ecological"),
    "village": ("村级", "at_village"),
}
FLAGS = {"at_most_once": "最多跑一次", "zero_visit": "零跑腿", "no_meeting": "不见面"}


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    return {
        "list": get.get("list") if get.get("list") in LISTS else "",
        "flags": [f for f in get.getlist("flag") if f in FLAGS],
        "kind": get.get("kind") if get.get("kind") in ItemKind.values else "",
        "q": (get.get("q") or "").strip()[:50],
        "drafts": get.get("status") == "draft",
    }


def _items(filters: dict[str, Any]) -> QuerySet[ServiceItem]:
    items = (
        ServiceItem.objects.filter(status=CatalogueStatus.DRAFT)
        if filters["drafts"]
        else ServiceItem.objects.in_force()
    )
    if filters["list"]:
        items = items.filter(**{LISTS[filters["list"]][1]: True})
    for flag in filters["flags"]:
        items = items.filter(**{flag: True})
    if filters["kind"]:
        items = items.filter(kind=filters["kind"])
    if q := filters["q"]:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q.upper()) | Q(keywords__icontains=q))
    return items.order_by("code")


def _list_counts() -> dict[str, int]:
    """How many items are in force on each list, and how many drafts wait: two queries."""
    counts = ServiceItem.objects.in_force().aggregate(
        all=Count("id"), **{key: Count("id", filter=Q(**{flag: True})) for key, (_, flag) in LISTS.items()}
    )
    counts["drafts"] = ServiceItem.objects.filter(status=CatalogueStatus.DRAFT).count()
    return counts


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    person = viewer(request, READ_ROLES)
    filters = _filters(request)
    counts = _list_counts()
    page = Paginator(_items(filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "lists": [(key, label, counts[key]) for key, (label, _) in LISTS.items()],
        "counts": counts,
        "flags": list(FLAGS.items()),
        "kinds": ItemKind.choices,
        "page": page,
        "query": query.urlencode(),
        "may_manage": may_manage_catalogue(person),
    }
    return render(request, "convenience/catalogue/list.html", context)


@login_required
def item(request: HttpRequest, code: str) -> HttpResponse:
    person = viewer(request, READ_ROLES)
    versions = list(ServiceItem.objects.filter(code=code).order_by("-version"))
    if not versions:
        raise Http404("没有这个事项")
    in_force = set(ServiceItem.objects.in_force().filter(code=code).values_list("pk", flat=True))
    wanted = request.GET.get("version")
    shown = next((v for v in versions if str(v.version) == wanted), None) or next(
        (v for v in versions if v.pk in in_force), versions[0]
    )
    applications = dict(
        Application.objects.filter(item__code=code)
        .values_list("item_id")
        .annotate(n=Count("id"))
        .values_list("item_id", "n")
    )
    rows = [(v, v.pk in in_force, applications.get(v.pk, 0)) for v in versions]
    context = {
        "item": shown,
        "versions": rows,
        "in_force": shown.pk in in_force,
        "materials": list(shown.materials.all()),
        "channels": channels_label(shown.channels),
        "may_manage": may_manage_catalogue(person),
        "problems": shown.catalogue_problems() if shown.status == CatalogueStatus.DRAFT else [],
    }
    return render(request, "convenience/catalogue/item.html", context)


@login_required
@require_POST
def publish_draft(request: HttpRequest, code: str) -> HttpResponse:
    person = viewer(request)
    if not may_manage_catalogue(person):
        raise PermissionDenied("只有系统管理员和便民服务中心负责人可以发布事项")
    draft = ServiceItem.objects.filter(code=code, status=CatalogueStatus.DRAFT).first()
    if draft is None:
        raise Http404("该事项没有待发布的草稿")
    try:
        publish(draft, actor=person, valid_from=timezone.now())
    except DomainError as exc:
        messages.error(request, f"{draft.version_label}：{exc.message}")
    else:
        messages.success(request, f"已发布 {draft.version_label}，即日起生效")
    return redirect(reverse("convenience:catalogue_item", args=[code]))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("事项清单文件（.xlsx）"),
        error_messages={"required": _("请选择要上传的 Excel 文件"), "empty": _("上传的文件是空的")},
    )
    publish_now = forms.BooleanField(
        label=_("导入后立即发布（新事项和有变化的事项即日起生效；否则保存为草稿）"), required=False
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
def import_page(request: HttpRequest) -> HttpResponse:
    person = viewer(request)
    if not may_manage_catalogue(person):
        raise PermissionDenied("只有系统管理员和便民服务中心负责人可以导入事项清单")
    result: ImportResult | None = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = catalogue_import(
            actor=person,
            data=upload.read(),
            source=upload.name,
            publish_now=form.cleaned_data["publish_now"],
        )
        if result.ok:
            messages.success(request, _summary(result))
            target = reverse("convenience:catalogue")
            drafts_left = (result.created or result.changed) and not result.published
            return redirect(target + "?status=draft" if drafts_left else target)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "result": result, "max_mb": max_upload_bytes() // (1024 * 1024)}
    return render(request, "convenience/catalogue/import.html", context, status=status)


def _summary(result: ImportResult) -> str:
    text = (
        f"导入完成：新增 {len(result.created)} 项，更新 {len(result.changed)} 项，"
        f"未变化 {len(result.unchanged)} 项"
    )
    if result.published:
        text += f"，已发布 {len(result.published)} 项"
    elif result.created or result.changed:
        text += "；新版本为草稿，发布后生效"
    return text


@login_required
def export(request: HttpRequest) -> HttpResponse:
    person = viewer(request, READ_ROLES)
    template = request.GET.get("template") == "1"
    items = ServiceItem.objects.none() if template else _items(_filters(request))
    data = catalogue_export(actor=person, items=items)
    name = "事项清单模板" if template else f"事项清单-{timezone.localdate():%Y%m%d}"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.xlsx"
    return response


urlpatterns = [
    path("", catalogue, name="catalogue"),
    path("import/", import_page, name="catalogue_import"),
    path("export.xlsx", export, name="catalogue_export"),
    path("<str:code>/", item, name="catalogue_item"),
    path("<str:code>/publish/", publish_draft, name="catalogue_publish"),
]
