"""What every assessment page shares: reading the period, area and subject kind from the query string, the
selectors' options, links that keep the current filters, table cells, the manual ratings a person owes, and Excel
exports of page tables (audited)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from grassroots.core.errors import InvalidInput
from grassroots.core.scope import scope_of
from grassroots.core.watermark import export_reason, watermark_of
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.codes import district_of, township_of
from grassroots.geo.models import Division
from grassroots.people.actors import person_of

from .. import figures as fig
from ..areas import ALL, ALL_NAME, area_default, area_resolve
from ..choices import PartMethod, PeriodKind, SubjectKind
from ..excel import XLSX, Table, tables_workbook
from ..indicators import Rate
from ..models import SchemePart
from ..periods import Period, period_current, period_of, period_options, period_parse, today
from ..permissions import may_rate, may_view
from ..selectors import eligible_units
from ..services import export_record, rating_subject

PAGE_SIZE = 50
EXPORT_LIMIT = 20_000


@dataclass
class Filters:
    period: Period
    area: fig.Area
    kind: str = SubjectKind.TOWNSHIP
    errors: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)  # what to carry in links

    def query(self, **changes: Any) -> str:
        params = {**self.params, **{k: str(v) for k, v in changes.items() if v is not None}}
        params = {k: v for k, v in params.items() if v != ""}
        return "?" + urlencode(params)


PERIOD_INPUT = {
    PeriodKind.DAY: "p_day",
    PeriodKind.WEEK: "p_week",
    PeriodKind.MONTH: "p_month",
    PeriodKind.QUARTER: "p_quarter",
    PeriodKind.YEAR: "p_year",
}


@dataclass
class Cell:
    text: str
    url: str = ""
    title: str = ""
    css: str = ""


def change_cell(change: int | None) -> Cell:
    if change is None:
        return Cell("—", css="muted")
    if change > 0:
        return Cell(f"↑{change}", css="up", title=f"较上期上升 {change} 位")
    if change < 0:
        return Cell(f"↓{-change}", css="down", title=f"较上期下降 {-change} 位")
    return Cell("—", css="muted", title="名次不变")


def rate_cell(rate: Rate, url: str) -> Cell:
    title = f"{rate.numerator} / {rate.denominator}" if rate.denominator else "统计期内无应计数据"
    return Cell(str(rate), url=url, title=title, css="num" if rate.denominator else "num muted")


def parse_period(request: HttpRequest, default_kind: str = PeriodKind.MONTH) -> tuple[Period, dict[str, str]]:
    """The period from `?period=<key>`, or from the selector's inputs (kind + one input per kind)."""
    get = request.GET
    errors: dict[str, str] = {}
    key = get.get("period", "").strip()
    kind = get.get("pk", "").strip()
    if not key and kind in PeriodKind.values:
        if kind == PeriodKind.CUSTOM:
            first, last = get.get("from", "").strip(), get.get("to", "").strip()
            key = f"{first}~{last}" if first or last else ""
        else:
            key = get.get(PERIOD_INPUT[PeriodKind(kind)], "").strip()
            if kind == PeriodKind.QUARTER and key and "-Q" not in key:
                errors["period"] = "季度请按 2026-Q1 的格式填写"
    if key:
        try:
            return period_parse(key), errors
        except InvalidInput as exc:
            errors["period"] = exc.message
    kind = kind if kind in PeriodKind.values and kind != PeriodKind.CUSTOM else default_kind
    return period_current(kind), errors


def parse_filters(
    request: HttpRequest, *, default_kind: str = SubjectKind.TOWNSHIP, default_period: str = PeriodKind.MONTH
) -> Filters:
    period, errors = parse_period(request, default_period)
    area = area_resolve(request.user, request.GET.get("area"))
    kind = request.GET.get("subject", "") or default_kind
    if kind not in SubjectKind.values:
        errors["subject"] = "未知的考核对象"
        kind = default_kind
    params = {"period": period.key, "area": area.param, "subject": kind}
    return Filters(period=period, area=area, kind=kind, errors=errors, params=params)


def area_options(viewer: Any, area: fig.Area) -> list[tuple[str, str, int]]:
    """(code, name, depth) for the area selector: the viewer's root, its townships, and the villages of the
    selected township."""
    scope = scope_of(viewer)
    root = area_default(viewer) if not scope.everything else ""
    rows = Division.objects.filter(valid_to__isnull=True)
    codes: list[tuple[str, str, int]] = []
    if scope.everything:
        districts = list(rows.filter(level=DivisionLevel.DISTRICT).order_by("code"))
        if len(districts) > 1:
            codes.append((ALL, ALL_NAME, 0))
        codes += [(d.code, d.name, 0) for d in districts]
    elif root:
        top = rows.filter(code=root).first()
        if top is not None:
            codes.append((top.code, top.name, 0))
    district = district_of(area.code or root)
    if district and len(root) <= 6:
        for d in rows.filter(level=DivisionLevel.TOWNSHIP, code__startswith=district).order_by("code"):
            codes.append((d.code, d.name, 1))
    township = township_of(area.code) if len(area.code) >= 9 else (root if len(root) == 9 else "")
    if township:
        for d in rows.filter(level=DivisionLevel.VILLAGE, code__startswith=township).order_by("code"):
            codes.append((d.code, d.name, 2))
    seen: set[str] = set()
    out = []
    for code, name, depth in codes:
        if code not in seen:
            seen.add(code)
            out.append((code, name, depth))
    return out


def period_context(filters: Filters) -> dict[str, Any]:
    p = filters.period
    inputs = {
        "p_day": p.first.isoformat() if p.kind == PeriodKind.DAY else "",
        "p_week": p.key if p.kind == PeriodKind.WEEK else "",
        "p_month": p.key if p.kind == PeriodKind.MONTH else "",
        "p_quarter": p.key if p.kind == PeriodKind.QUARTER else "",
        "p_year": p.key if p.kind == PeriodKind.YEAR else "",
        "from": p.first.isoformat(),
        "to": p.last.isoformat(),
    }
    following = _next(p)
    options = {
        kind: period_options(kind, p)
        for kind in (PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    }
    return {
        "period_options": options,
        "hidden": [(k, v) for k, v in filters.params.items() if k not in {"period", "area"} and v],
        "base_query": filters.query(),
        "period": p,
        "period_kinds": PeriodKind.choices,
        "period_inputs": inputs,
        "previous_query": filters.query(period=p.previous().key),
        "next_query": filters.query(period=following.key) if following else "",
    }


def _next(p: Period) -> Period | None:
    if p.kind == PeriodKind.CUSTOM:
        return None
    following = period_of(p.kind, p.last + dt.timedelta(days=1))
    return following if following.first <= today() else None


def paginate(request: HttpRequest, rows: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(rows, size).get_page(request.GET.get("page"))


def event_url(event_id: int) -> str | None:
    try:
        return reverse("events:detail", args=[event_id])
    except NoReverseMatch:
        return None


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def export_response(
    request: HttpRequest, tables: list[Table], *, what: str, filename: str, params: dict[str, Any]
) -> HttpResponse:
    """The requested table (?table=name) or all of them as a workbook, once a reason is given (a ranking of people
    names them); watermarked, and the export is audited with its reason."""
    reason = export_reason(request, title=filename)
    if isinstance(reason, HttpResponse):
        return reason
    person = person_of(request)
    name = request.GET.get("table", "")
    chosen = [t for t in tables if t.name == name] or tables
    rows = sum(len(t.rows) for t in chosen)
    export_record(
        actor=person, what=what, reason=reason, params={**params, "table": name or "all"}, rows=rows
    )
    response = HttpResponse(tables_workbook(chosen, mark=watermark_of(person, reason)), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response


# -- manual ratings ----------------------------------------------------------------------------------------------


def rating_subjects(request: HttpRequest, part: SchemePart, area: fig.Area) -> list[tuple[fig.Subject, Any]]:
    """The subjects of the part's scheme this person may rate (with the object the permission is checked on)."""
    scheme = part.scheme
    subjects = fig.subjects_of(scheme.subject_kind, area)
    eligible = eligible_units(scheme)
    if eligible is not None:
        subjects = [s for s in subjects if s.key in eligible]
    out = []
    for subject in subjects:
        obj = rating_subject(part, subject.key)
        if may_rate(request.user, part.rater, scheme.subject_kind, obj):
            out.append((subject, obj))
    return out


def rating_area(request: HttpRequest) -> fig.Area:
    """Raters from a county department are not region-scoped: their agencies are found wherever they are."""
    user = request.user
    if may_view(user):
        return area_resolve(user, request.GET.get("area") or request.POST.get("area"))
    return fig.Area("", "全部")


def rateable_parts(request: HttpRequest) -> list[tuple[SchemePart, int]]:
    """The manual parts this person rates, with how many subjects each (empty for most people)."""
    area = rating_area(request)
    parts = SchemePart.objects.filter(method=PartMethod.MANUAL, scheme__is_active=True).select_related(
        "scheme"
    )
    out = []
    for part in parts.order_by("scheme__code", "position"):
        count = len(rating_subjects(request, part, area))
        if count:
            out.append((part, count))
    return out
