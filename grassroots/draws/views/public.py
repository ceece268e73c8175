"""Public pages under /s/draws/ (一公开): plans, the digests and seed commitments published before each draw, and
after it the seed, the result and the data to re-run it. No login; no personal data beyond inspector names and
certificate numbers."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from ..choices import PlanStatus
from ..models import Draw, DrawPlan
from .common import draw_rows, draws_context


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
