"""The indicator table (subjects × indicators, ranked, with the change since the previous period) and the
drill-down behind every figure: the rows counted in its denominator, each marked if it is in the numerator."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, Q, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from grassroots.core.scope import scope_of

from .. import figures as fig
from ..areas import area_resolve
from ..choices import SubjectKind
from ..count_filters import assignment_filters
from ..excel import Table
from ..external import external_source
from ..indicators import (
    COUNTS,
    DERIVED_COUNTS,
    INDICATORS,
    Relation,
    count_label,
    counts_for,
    indicators_for,
)
from ..permissions import may_view, require_viewer
from ..selectors import indicator_table
from .common import (
    EXPORT_LIMIT,
    Cell,
    Filters,
    area_options,
    change_cell,
    event_url,
    export_response,
    paginate,
    parse_filters,
    period_context,
    rate_cell,
    rateable_parts,
    wants_export,
)


def default_kind(area: fig.Area) -> str:
    return {
        "district": SubjectKind.TOWNSHIP,
        "township": SubjectKind.VILLAGE,
        "village": SubjectKind.GRID,
    }.get(str(area.level), SubjectKind.TOWNSHIP)


def kinds_for(viewer: Any) -> list[tuple[str, str]]:
    kinds = [
        SubjectKind.TOWNSHIP,
        SubjectKind.VILLAGE,
        SubjectKind.GRID,
        SubjectKind.PLATFORM,
        SubjectKind.UNIT,
        SubjectKind.PERSON,
    ]
    scope = scope_of(viewer)
    if scope.everything or (scope.region_prefix and len(scope.region_prefix) <= 6):
        kinds.insert(0, SubjectKind.DISTRICT)
    return [(k.value, str(k.label)) for k in kinds]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """考核指标: every subject of a kind in the area, every indicator of that kind, ranked."""
    # A county department's rater has no figures to see here, only ratings to enter.
    if not may_view(request.user) and rateable_parts(request):
        return redirect("assessment:rating_list")
    require_viewer(request.user)
    area = area_resolve(request.user, request.GET.get("area"))
    filters = parse_filters(request, default_kind=default_kind(area))
    kind = filters.kind
    if kind not in {k for k, _ in kinds_for(request.user)}:
        raise Http404("页面不存在")
    indicators = indicators_for(kind)
    sort = request.GET.get("sort", "")
    if sort not in {i.code for i in indicators}:
        sort = (
            "on_time_completion"
            if "on_time_completion" in {i.code for i in indicators}
            else indicators[0].code
        )
    filters.params["sort"] = sort
    rows = indicator_table(
        viewer=request.user, kind=kind, period=filters.period, area=filters.area, sort=sort
    )
    counts = counts_for(kind)
    headers = [
        "名次",
        "升降",
        "名称",
        "所属",
        *(count_label(c) for c in counts),
        *(i.label for i in indicators),
    ]
    table = Table(
        "indicators",
        f"{filters.area.name}{SubjectKind(kind).label}考核指标 {filters.period.label}",
        headers,
        [
            [
                r.rank,
                r.change,
                r.figures.subject.name,
                r.figures.subject.parent,
                *(r.figures.counts.get(c, 0) for c in counts),
                *(r.figures.rate(i.code) for i in indicators),
            ]
            for r in rows
        ],
        note=f"按{INDICATORS[sort].label}排名；“—”表示统计期内无应计数据。",
    )
    if wants_export(request):
        return export_response(
            request, [table], what="assessment.indicators", filename=table.title, params=filters.params
        )
    page = paginate(request, rows)
    indicator_url = reverse("assessment:index")
    lines = []
    for r in page.object_list:
        key = r.figures.key
        base = filters.query(key=key)
        lines.append(
            {
                "rank": r.rank,
                "change": change_cell(r.change),
                "subject": r.figures.subject,
                "counts": [
                    Cell(str(r.figures.counts.get(c, 0)), url=reverse("assessment:count", args=[c]) + base)
                    if c in COUNTS
                    else Cell(str(r.figures.counts.get(c, 0)))
                    for c in counts
                ],
                "rates": [
                    rate_cell(r.figures.rate(i.code), reverse("assessment:indicator", args=[i.code]) + base)
                    for i in indicators
                ],
            }
        )
    context = {
        "filters": filters,
        "area_options": area_options(request.user, filters.area),
        "kinds": kinds_for(request.user),
        "kind": kind,
        "kind_label": SubjectKind(kind).label,
        "indicators": indicators,
        "counts": [(c, count_label(c)) for c in counts],
        "sort": sort,
        "colspan": 3 + len(counts) + len(indicators),
        "page": page,
        "lines": lines,
        "table": table,
        "export_query": filters.query(export="xlsx", table="indicators"),
        "index_url": indicator_url,
        **period_context(filters),
    }
    template = (
        "assessment/_indicator_rows.html"
        if getattr(request, "htmx", False) and request.GET.get("page")
        else "assessment/index.html"
    )
    return render(request, template, context)


# -- drill-down ------------------------------------------------------------------------------------------------


def subject_of(kind: str, key: str, area: fig.Area) -> fig.Subject:
    found = [s for s in fig.subjects_of(kind, area, [key]) if s.key == key]
    if not found:
        raise Http404("考核对象不存在或不在您的管辖范围内")
    return found[0]


def _rows_for(request: HttpRequest, filters: Filters, count: str, key: str | None) -> Any:
    kind = filters.kind if key else None
    return fig.drill_rows(
        viewer=request.user, count=count, kind=kind, key=key, period=filters.period, area=filters.area
    )


def _columns(relation: str) -> list[str]:
    if relation == Relation.ASSIGNMENT:
        return [
            "事件编号",
            "标题",
            "处置单位",
            "角色",
            "轮次",
            "派遣时间",
            "处置期限",
            "反馈时间",
            "任务状态",
        ]
    if relation == Relation.VERIFICATION:
        return ["事件编号", "标题", "网格", "核实开始", "事件状态"]
    return ["事件编号", "标题", "分类", "网格", "层级", "上报时间", "结案期限", "结案时间", "状态"]


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _row_values(relation: str, row: Any) -> tuple[int, list[str]]:
    if relation == Relation.ASSIGNMENT:
        e = row.event
        return e.pk, [
            e.number or "",
            e.title,
            row.unit.name,
            row.get_role_display(),
            str(row.round),
            _fmt(row.dispatched_at),
            _fmt(row.deadline),
            _fmt(row.fed_back_at),
            row.get_status_display(),
        ]
    if relation == Relation.VERIFICATION:
        e = row.event
        return e.pk, [
            e.number or "",
            e.title,
            e.grid.name if e.grid else "",
            _fmt(row.at),
            e.get_status_display(),
        ]
    e = row
    return e.pk, [
        e.number or "",
        e.title,
        e.event_type.name,
        e.grid.name if e.grid else "",
        str(e.level),
        _fmt(e.reported_at),
        _fmt(e.due_at),
        _fmt(e.closed_at),
        e.get_status_display(),
    ]


def _select(relation: str, rows: Any) -> Any:
    if relation == Relation.ASSIGNMENT:
        return rows.select_related("event", "unit").order_by("-dispatched_at", "-id")
    if relation == Relation.VERIFICATION:
        return rows.select_related("event", "event__grid").order_by("-at", "-id")
    return rows.select_related("event_type", "grid").order_by("-reported_at", "-id")


def _drill(
    request: HttpRequest,
    *,
    title: str,
    definition: str,
    count: str,
    marker: Q | None,
    marker_label: str,
    figure: str,
) -> HttpResponse:
    require_viewer(request.user)
    filters = parse_filters(request)
    key = request.GET.get("key") or None
    subject = subject_of(filters.kind, key, filters.area) if key else None
    if key:
        filters.params["key"] = key
    relation = COUNTS[count].relation
    source = external_source(relation)
    if relation in fig.EXTERNAL_RELATIONS:
        if source is None or (key and filters.kind not in source.kinds):
            raise Http404("指标不存在")
        window = fig.window_of(filters.period.start, filters.period.end, fig.as_of_default(None))
        rows = source.rows(window, filters.area.code, key)
        columns = list(source.columns)
        title_of = f"{subject.name if subject else filters.area.name} {title} {filters.period.label}"
        if wants_export(request):
            data = [source.values(row) for row in list(rows)[:EXPORT_LIMIT]]
            table = Table("rows", title_of, columns, data, note=definition)
            return export_response(
                request,
                [table],
                what=f"assessment.drill.{count}",
                filename=table.title,
                params=filters.params,
            )
        page = paginate(request, rows)
        lines = [{"url": source.url(r), "values": source.values(r), "hit": None} for r in page.object_list]
        return _render_drill(request, filters, title, definition, subject, figure, columns, page, lines)
    rows = _rows_for(request, filters, count, key)
    if marker is not None:
        rows = rows.annotate(hit=Case(When(marker, then=True), default=False, output_field=BooleanField()))
        show = request.GET.get("show", "")
        if show == "hit":
            rows = rows.filter(hit=True)
        elif show == "miss":
            rows = rows.filter(hit=False)
        filters.params["show"] = show
    rows = _select(relation, rows)
    columns = _columns(relation) + ([marker_label] if marker is not None else [])
    scope_name = subject.name if subject else filters.area.name
    if wants_export(request):
        data = []
        for row in rows[:EXPORT_LIMIT]:
            _, values = _row_values(relation, row)
            data.append(values + (["是" if row.hit else "否"] if marker is not None else []))
        table = Table("rows", f"{scope_name} {title} {filters.period.label}", columns, data, note=definition)
        return export_response(
            request, [table], what=f"assessment.drill.{count}", filename=table.title, params=filters.params
        )
    page = paginate(request, rows)
    lines = []
    for row in page.object_list:
        event_id, values = _row_values(relation, row)
        lines.append({"url": event_url(event_id), "values": values, "hit": getattr(row, "hit", None)})
    return _render_drill(
        request, filters, title, definition, subject, figure, columns, page, lines, marker_label=marker_label
    )


def _render_drill(
    request: HttpRequest,
    filters: Filters,
    title: str,
    definition: str,
    subject: Any,
    figure: str,
    columns: list[str],
    page: Any,
    lines: list[dict[str, Any]],
    *,
    marker_label: str = "",
) -> HttpResponse:
    context = {
        "filters": filters,
        "area_options": area_options(request.user, filters.area),
        "title": title,
        "definition": definition,
        "subject": subject,
        "scope_name": subject.name if subject else filters.area.name,
        "figure": figure,
        "columns": columns,
        "marker": bool(marker_label),
        "marker_label": marker_label,
        "show": request.GET.get("show", ""),
        "page": page,
        "lines": lines,
        "back_query": filters.query(key=None, show=None, page=None),
        "export_query": filters.query(export="xlsx", table="rows"),
        **period_context(filters),
    }
    return render(request, "assessment/drill.html", context)


@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """The rows behind a rate: its denominator, each marked whether it is counted in the numerator."""
    if code not in INDICATORS:
        raise Http404("指标不存在")
    require_viewer(request.user)
    definition = INDICATORS[code]
    filters = parse_filters(request)
    key = request.GET.get("key") or None
    if code == "platform_share":
        # The denominator is the whole area; the list is the platform's own events (the numerator).
        count, marker, marker_label = "reported", None, ""
    else:
        count = definition.denominator
        window = fig.window_of(filters.period.start, filters.period.end, fig.as_of_default(None))
        if definition.numerator == "dispatched_ok":
            marker = ~assignment_filters(window)["returned"]
        else:
            numerator = definition.numerator
            source = fig.relation_source(
                COUNTS[numerator].relation,
                viewer=request.user,
                area=filters.area,
                window=window,
                names=[numerator],
            )
            marker = source.filters[numerator]
        marker_label = f"计入{count_label(definition.numerator)}"
    counts = fig.counts_by_key(
        viewer=request.user,
        area=filters.area,
        window=fig.window_of(filters.period.start, filters.period.end, fig.as_of_default(None)),
        kind=filters.kind if key else None,
        names=[
            n for n in (definition.numerator, definition.denominator, "dispatched", "returned") if n in COUNTS
        ],
    )
    figures = fig.ind.with_derived(counts.get(key, {}))
    if code == "platform_share":
        figures["reported_scope"] = sum(c.get("reported", 0) for k, c in counts.items())
    rate = fig.rate_of(code, figures)
    figure = f"{definition.label} {rate}（{rate.numerator} / {rate.denominator}）"
    return _drill(
        request,
        title=definition.label,
        definition=definition.definition,
        count=count,
        marker=marker,
        marker_label=marker_label,
        figure=figure,
    )


@login_required
def count(request: HttpRequest, name: str) -> HttpResponse:
    """The rows behind a count."""
    if name not in COUNTS:
        raise Http404("指标不存在")
    definition = COUNTS[name]
    return _drill(
        request,
        title=definition.label,
        definition=definition.definition,
        count=name,
        marker=None,
        marker_label="",
        figure="",
    )


__all__ = ["DERIVED_COUNTS", "count", "index", "indicator"]
