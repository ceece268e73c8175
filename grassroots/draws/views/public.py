"""Public pages under /s/draws/ (一公开): plans, the digests and seed commitments published before each draw, and
after it the seed, the result and the data to re-run it; the published item list and the inspector pool (一单两库).
No login; no personal data beyond inspector names, certificate numbers, units and validity."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from grassroots.workcal.calendar import local_today

from ..choices import PlanStatus, TargetKind
from ..models import Draw, DrawPlan, InspectionItem, Inspector
from .common import certificate_state, draw_rows, draws_context

PAGE_SIZE = 100


def plans(request: HttpRequest) -> HttpResponse:
    public = (
        DrawPlan.objects.exclude(status=PlanStatus.DRAFT)
        .prefetch_related("units", "snapshots", "draws")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(request, "draws/public/plans.html", {"plans": public})


def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    found = get_object_or_404(DrawPlan.objects.exclude(status=PlanStatus.DRAFT), pk=plan_id)
    return render(request, "draws/public/plan.html", draws_context(found))


def draw(request: HttpRequest, draw_id: int) -> HttpResponse:
    found = get_object_or_404(Draw.objects.select_related("plan", "snapshot"), pk=draw_id)
    return render(request, "draws/public/draw.html", draw_rows(found))


def draw_data(request: HttpRequest, draw_id: int) -> JsonResponse:
    """Everything needed to re-run the draw (docs/draws.md), as published."""
    found = get_object_or_404(Draw.objects.select_related("snapshot"), pk=draw_id)
    body = {
        "algorithm": found.algorithm,
        "seed": found.seed,
        "seed_hash": found.seed_hash,
        "targets_digest": found.targets_digest,
        "inspectors_digest": found.inspectors_digest,
        "inputs": found.inputs,
        "targets": found.snapshot.targets,
        "inspectors": found.snapshot.inspectors,
        "result": found.result,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def items(request: HttpRequest) -> HttpResponse:
    """抽查事项清单: every published item."""
    rows = InspectionItem.objects.filter(published=True).select_related("unit").order_by("code", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(TargetKind.choices)
    for item in page:
        item.kind_label = kinds.get(item.target_kind, item.target_kind)  # type: ignore[attr-defined]
    return render(request, "draws/public/items.html", {"page": page})


def inspectors(request: HttpRequest) -> HttpResponse:
    """执法检查人员名录库: the active inspectors with their certificate and unit; no phone, no ID number."""
    rows = (
        Inspector.objects.filter(active=True)
        .order_by("unit__code", "certificate_no", "pk")
        .values("person__name", "certificate_no", "certificate_valid_to", "unit__name")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    shown = [row | {"state": certificate_state(row["certificate_valid_to"], today)} for row in page]
    return render(request, "draws/public/inspectors.html", {"page": page, "rows": shown})
