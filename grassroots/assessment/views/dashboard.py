"""The leader dashboard (领导驾驶舱): headline figures, trend, platform and level split, overdue units, the ranking,
and the hot-spot map of grid polygons coloured by the number of events (Leaflet, no tiles needed)."""

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from ..choices import PeriodKind, SubjectKind
from ..excel import Table
from ..indicators import Rate
from ..permissions import require_viewer
from ..selectors import dashboard as dashboard_data
from ..selectors import hotspots as hotspots_data
from ..selectors import major_types
from .common import area_options, change_cell, export_response, parse_filters, period_context, wants_export

CARDS = [
    ("reported", "上报事件", "count"),
    ("closed", "结案事件", "count"),
    ("completion", "办结率", "rate"),
    ("on_time_completion", "按期结案率", "rate"),
    ("on_time_handling", "按期处置率", "rate"),
    ("satisfaction", "满意率", "rate"),
    ("solved_in_village", "问题不出村率", "rate"),
    ("overdue_close", "超期事件", "count"),
]
LEVELS = [(1, "一级（网格）"), (2, "二级（村社）"), (3, "三级（乡镇）"), (4, "四级（区县）")]


def _pct(rate: Rate) -> float | None:
    return None if rate.percent is None else float(rate.percent)


def target_band(rate: Rate, target: float) -> str:
    """'good' at or above the target, 'warn' within 10 points of it, 'bad' below that, 'none' when nothing closed
    (a 0.00% must not look like success)."""
    percent = _pct(rate)
    if percent is None:
        return "none"
    if percent >= target:
        return "good"
    return "warn" if percent >= target - 10 else "bad"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_viewer(request.user)
    filters = parse_filters(request, default_period=PeriodKind.MONTH)
    data = dashboard_data(viewer=request.user, period=filters.period, area=filters.area)
    ranking_label = SubjectKind(data.ranking_kind).label
    ranking_table = Table(
        "ranking",
        f"{filters.area.name}{ranking_label}按期结案率排名 {filters.period.label}",
        ["名次", "升降", "名称", "所属", "上报数", "应结案数", "按期结案数", "按期结案率", "办结率"],
        [
            [
                r.rank,
                r.change,
                r.figures.subject.name,
                r.figures.subject.parent,
                r.figures.counts.get("reported", 0),
                r.figures.counts.get("due_close", 0),
                r.figures.counts.get("closed_on_time", 0),
                r.figures.rate("on_time_completion"),
                r.figures.rate("completion"),
            ]
            for r in data.ranking
        ],
    )
    overdue_table = Table(
        "overdue_units",
        f"{filters.area.name}超期处置单位 {filters.period.label}",
        ["单位", "类型", "应处置数", "超期数", "按期处置率"],
        [
            [
                s.name,
                s.parent,
                c.get("due_handle", 0),
                c.get("overdue_handle", 0),
                Rate(c.get("handled_on_time", 0), c.get("due_handle", 0)),
            ]
            for s, c in data.overdue_units
        ],
    )
    platform_total = sum(n for _, _, n in data.platforms)
    platform_table = Table(
        "platforms",
        f"{filters.area.name}平台分布 {filters.period.label}",
        ["平台", "上报数", "占比"],
        [[label, n, Rate(n, platform_total)] for _, label, n in data.platforms],
    )
    closed_total = sum(data.totals.get(f"closed_l{level}", 0) for level, _ in LEVELS)
    level_table = Table(
        "levels",
        f"{filters.area.name}结案层级分布 {filters.period.label}",
        ["层级", "结案数", "占比"],
        [
            [
                label,
                data.totals.get(f"closed_l{level}", 0),
                Rate(data.totals.get(f"closed_l{level}", 0), closed_total),
            ]
            for level, label in LEVELS
        ],
    )
    trend_table = Table(
        "trend",
        f"{filters.area.name}趋势 {filters.period.label}",
        ["时段", "上报数", "结案数", "应结案数", "按期结案数", "按期结案率"],
        [
            [
                b.label,
                data.trend["reported"][i],
                data.trend["closed"][i],
                data.trend["due_close"][i],
                data.trend["closed_on_time"][i],
                Rate(data.trend["closed_on_time"][i], data.trend["due_close"][i]),
            ]
            for i, b in enumerate(data.buckets)
        ],
    )
    tables = [ranking_table, overdue_table, platform_table, level_table, trend_table]
    if wants_export(request):
        return export_response(
            request,
            tables,
            what="assessment.dashboard",
            filename=f"领导驾驶舱 {filters.area.name} {filters.period.label}",
            params=filters.params,
        )
    cards: list[dict[str, Any]] = []
    for code, label, kind in CARDS:
        if kind == "rate":
            rate = data.rate(code)
            cards.append(
                {
                    "label": label,
                    "value": str(rate),
                    "title": f"{rate.numerator} / {rate.denominator}",
                    "url": reverse("assessment:indicator", args=[code]) + filters.query(),
                }
            )
        else:
            cards.append(
                {
                    "label": label,
                    "value": data.totals.get(code, 0),
                    "title": "",
                    "url": reverse("assessment:count", args=[code]) + filters.query(),
                }
            )
    charts: dict[str, Any] = {
        "trend": {
            "labels": [b.short_label for b in data.buckets],
            "reported": data.trend["reported"],
            "closed": data.trend["closed"],
            "on_time": [
                _pct(Rate(data.trend["closed_on_time"][i], data.trend["due_close"][i]))
                for i in range(len(data.buckets))
            ],
        },
        "platforms": [{"name": label, "value": n} for _, label, n in data.platforms],
        "levels": {
            "labels": [label for _, label in LEVELS],
            "values": [data.totals.get(f"closed_l{level}", 0) for level, _ in LEVELS],
        },
        "overdue": {
            "labels": [s.name for s, _ in reversed(data.overdue_units)],
            "values": [c.get("overdue_handle", 0) for _, c in reversed(data.overdue_units)],
        },
        "hotspots_url": reverse("assessment:hotspots") + filters.query(),
    }
    ranking_lines = [
        {
            "rank": r.rank,
            "change": change_cell(r.change),
            "subject": r.figures.subject,
            "rate": r.figures.rate("on_time_completion"),
            "due": r.figures.counts.get("due_close", 0),
        }
        for r in data.ranking[:12]
    ]
    context = {
        "filters": filters,
        "area_options": area_options(request.user, filters.area),
        "data": data,
        "cards": cards,
        "charts": charts,
        "solved_in_village": data.rate("solved_in_village"),
        "solved_in_village_band": target_band(
            data.rate("solved_in_village"), settings.SOLVED_IN_VILLAGE_TARGET
        ),
        "solved_in_village_target": settings.SOLVED_IN_VILLAGE_TARGET,
        "ranking_label": ranking_label,
        "ranking_lines": ranking_lines,
        "ranking_more": len(data.ranking) > 12,
        "ranking_url": reverse("assessment:index") + filters.query(subject=data.ranking_kind),
        "overdue_lines": data.overdue_units,
        "platform_table": platform_table,
        "types": major_types(),
        "export_query": filters.query(export="xlsx"),
        **period_context(filters),
    }
    return render(request, "assessment/dashboard.html", context)


@login_required
def hotspots(request: HttpRequest) -> JsonResponse:
    """Grid polygons with their event counts for the period (optionally one event type) as GeoJSON."""
    require_viewer(request.user)
    filters = parse_filters(request)
    type_code = request.GET.get("type", "").strip()[:16]
    return JsonResponse(
        hotspots_data(viewer=request.user, period=filters.period, area=filters.area, type_code=type_code)
    )
