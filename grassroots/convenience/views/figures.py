"""The platform's figures (办件统计) for leaders, the command room and desk staff: the indicators of indicators.py for
a period, per township, window, clerk, item and department, each number a link to the applications behind it; the
最多跑一次 items whose applications needed more visits; and the public aggregate of ratings (好差评公示)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from grassroots.assessment.areas import Area, area_resolve
from grassroots.assessment.choices import PeriodKind
from grassroots.assessment.indicators import Window, window_of
from grassroots.assessment.periods import Period, period_current
from grassroots.assessment.permissions import VIEW_ROLES
from grassroots.assessment.views.common import (
    Cell,
    Filters,
    area_options,
    paginate,
    parse_period,
    period_context,
    rate_cell,
)
from grassroots.core.scope import scope_of
from grassroots.people.models import Person

from .. import indicators as ind
from ..choices import Grade
from ..models import Application, ServiceCentre
from ..permissions import visible_to
from .common import DESK_ROLES, viewer

# Leaders, the command room and the centre see the figures; so does desk staff, for what they can see.
FIGURE_ROLES = DESK_ROLES | VIEW_ROLES
GROUP_ORDER = ["township", "window", "clerk", "item", "department"]
PUBLIC_GROUPS = ["item", "window", "clerk", "department"]
RATING_COUNTS = ["rated", *(f"grade_{g.value}" for g in Grade), "satisfied"]


def _area(request: HttpRequest, person: Person) -> Area:
    """The area asked for, within the viewer's region; unit staff (no region) see what their unit may see."""
    scope = scope_of(person)
    if scope.everything or scope.region_prefix:
        return area_resolve(person, request.GET.get("area"))
    return Area("", "全部")


def _filters(request: HttpRequest, person: Person) -> Filters:
    period, errors = parse_period(request, PeriodKind.MONTH)
    area = _area(request, person)
    return Filters(period=period, area=area, errors=errors, params={"period": period.key, "area": area.code})


def _window(filters: Filters) -> Window:
    return window_of(filters.period.start, filters.period.end, timezone.now())


def _rows(person: Person, filters: Filters) -> Any:
    return ind.applications_in(visible_to(person), filters.area.code)


def _options(person: Person, area: Area) -> list[tuple[str, str, int]]:
    scope = scope_of(person)
    return area_options(person, area) if scope.everything or scope.region_prefix else []


# -- the tables --------------------------------------------------------------------------------------------


@dataclass
class Line:
    name: str
    counts: list[Cell]
    values: list[Cell]

    @property
    def cells(self) -> list[SafeString]:
        """The row's cells as HTML: made here rather than by an include per cell, which cost 0.1 s on a table of
        160 items × 20 figures (bench/bench_service.py)."""
        return [cell_html(c) for c in (*self.counts, *self.values)]


def cell_html(cell: Cell) -> SafeString:
    title = format_html(' title="{}"', cell.title) if cell.title else ""
    text = format_html('<a href="{}">{}</a>', cell.url, cell.text) if cell.url else cell.text
    return format_html('<td class="{}"{}>{}</td>', cell.css or "num", title, text)


def _line(filters: Filters, figures: ind.Figures, group: str | None) -> Line:
    base = reverse("convenience:figure_rows")
    key = {"group": group, "key": figures.key} if group else {}
    counts = [
        Cell(f"{figures.count(name):,}", url=base + filters.query(count=name, **key), css="num")
        for name in ind.HEADLINE_COUNTS
    ]
    values = []
    for code in ind.INDICATORS:
        value = figures.value(code)
        url = base + filters.query(indicator=code, **key)
        if code in ind.AVERAGE_PLACES:
            title = f"{value.numerator} ÷ {value.denominator}" if value.denominator else "统计期内无数据"
            values.append(Cell(str(value), url=url, title=title, css="num"))
        else:
            values.append(rate_cell(value, url))
    return Line(figures.name, counts, values)


def _headers() -> list[str]:
    return [*(ind.COUNTS[n].label for n in ind.HEADLINE_COUNTS), *(i.label for i in ind.INDICATORS.values())]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """办件统计: the area's total and a table per grouping; every number opens its applications."""
    person = viewer(request, FIGURE_ROLES)
    filters = _filters(request, person)
    window = _window(filters)
    rows = _rows(person, filters)
    tables = []
    over_once = []
    total = None
    for group in GROUP_ORDER:
        figures = ind.figures_by(rows, window=window, group=group)
        if group == "township":
            total = ind.total_of(figures, f"{filters.area.name}合计")
        if group == "item":
            over_once = [
                (
                    f,
                    Cell(
                        str(f.count("finished_over_once")),
                        url=reverse("convenience:figure_rows")
                        + filters.query(count="finished_over_once", group="item", key=f.key),
                        css="num",
                    ),
                    f.value("at_most_once_share"),
                )
                for f in figures
                if f.count("finished_over_once")
            ]
        grouping = ind.GROUPINGS[group]
        tables.append((grouping, [_line(filters, f, group) for f in figures]))
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "headers": _headers(),
        "total": _line(filters, total or ind.Figures(None, "合计"), None),
        "tables": tables,
        "over_once": over_once,
        "indicators": list(ind.INDICATORS.values()),
        "window_days": ind.working_days(window),
        **period_context(filters),
    }
    return render(request, "convenience/figures/index.html", context)


# -- the applications behind a figure ----------------------------------------------------------------------


def _drill_params(request: HttpRequest) -> tuple[str, str | None, str, str | None]:
    """(title, indicator code, the count listed, the count marking rows, or None) from the query string."""
    code = request.GET.get("indicator", "")
    if code:
        if code not in ind.INDICATORS:
            raise Http404("指标不存在")
        count, marker = ind.drill_of(code)
        return ind.INDICATORS[code].label, code, count, marker
    count = request.GET.get("count", "")
    if count not in ind.COUNTS:
        raise Http404("指标不存在")
    return ind.COUNTS[count].label, None, count, None


@login_required
def figure_rows(request: HttpRequest) -> HttpResponse:
    """The applications behind one figure, filtered as it was counted; for a rate, its denominator's rows, each
    marked whether it is in the numerator (全部 / 计入 / 未计入)."""
    person = viewer(request, FIGURE_ROLES)
    filters = _filters(request, person)
    title, code, count, marker = _drill_params(request)
    group = request.GET.get("group") or None
    key = request.GET.get("key") or None
    if group is not None and (group not in ind.GROUPINGS or not key):
        raise Http404("统计分组不存在")
    window = _window(filters)
    base = _rows(person, filters)
    listed = ind.drill_rows(base, window=window, count=count, group=group, key=key)
    # The figure itself, counted by the same code as the table (one query).
    figures = ind.figures_by(ind.of_subject(base, group, key), window=window, group=None)[0]
    if code:
        value = figures.value(code)
        figure = f"{title} {value}（{value.numerator} / {value.denominator}）"
        definition = ind.INDICATORS[code].definition
    else:
        figure = f"{title} {figures.count(count):,}"
        definition = ind.COUNTS[count].definition
    show = request.GET.get("show", "")
    if marker is not None:
        hit = ind.application_filters(window)[marker]
        listed = listed.annotate(hit=Case(When(hit, then=True), default=False, output_field=BooleanField()))
        if show in ("hit", "miss"):
            listed = listed.filter(hit=show == "hit")
    filters.params.update({"indicator": code} if code else {"count": count})
    subject = ""
    if group and key:
        filters.params.update(group=group, key=key)
        subject = ind.subject_names(group, [key]).get(key, ind.GROUPINGS[group].none_label)
    if show in ("hit", "miss") and marker is not None:
        filters.params["show"] = show
    page = paginate(
        request,
        listed.select_related("item", "centre__township", "window", "first_clerk", "rating").order_by(
            "-accepted_at", "-id"
        ),
    )
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "title": title,
        "figure": figure,
        "definition": definition,
        "subject": subject,
        "group_label": ind.GROUPINGS[group].label if group else "",
        "marker": marker,
        "marker_label": f"计入{ind.label_of(marker)}" if marker else "",
        "show": show,
        "page": page,
        "show_query": filters.query(show=""),
        "back_query": filters.query(indicator="", count="", group="", key="", show=""),
        **period_context(filters),
    }
    return render(request, "convenience/figures/rows.html", context)


# -- 好差评公示: public, in aggregate --------------------------------------------------------------------------


def public_ratings(request: HttpRequest) -> HttpResponse:
    """好差评公示: ratings per item, window, clerk and department for a period, in aggregate (no applicant, no
    single rating); one centre or all. No login."""
    period, errors = parse_period(request, PeriodKind.YEAR)
    centres = list(ServiceCentre.objects.select_related("township").order_by("township__code"))
    code = (request.GET.get("centre") or "").strip()
    centre = next((c for c in centres if c.township.code == code), None)
    rows = Application.objects.all()
    if centre is not None:
        rows = rows.filter(centre=centre)
    window = window_of(period.start, period.end, timezone.now())
    # One grouping at a time (tabs): the items' table alone runs to 160 rows, too long beside the others on a phone.
    group = request.GET.get("by", "")
    group = group if group in PUBLIC_GROUPS else "window"
    figures = [
        f
        for f in ind.figures_by(rows, window=window, group=group, names=RATING_COUNTS)
        if f.count("rated") and f.key != ind.NONE_KEY
    ]
    figures.sort(key=lambda f: (-f.count("rated"), f.name))
    lines = [(f.name, [f.count(n) for n in RATING_COUNTS[:-1]], f.value("satisfaction")) for f in figures]
    tables = [(ind.GROUPINGS[group].label, lines)]
    tabs = [(g, ind.GROUPINGS[g].label) for g in PUBLIC_GROUPS]
    context = {
        "period": period,
        "errors": errors,
        "centres": centres,
        "centre": centre,
        "grades": [str(g.label) for g in Grade],
        "tables": tables,
        "tabs": tabs,
        "by": group,
        "periods": [(p.key, p.label) for p in _public_periods(period)],
    }
    return render(request, "convenience/figures/public_ratings.html", context)


def _public_periods(chosen: Period) -> list[Period]:
    """This month, quarter and year, last year, and the period asked for."""
    year = period_current(PeriodKind.YEAR)
    kinds = (PeriodKind.MONTH, PeriodKind.QUARTER)
    periods = [*(period_current(k) for k in kinds), year, year.previous()]
    return periods if chosen.key in {p.key for p in periods} else [chosen, *periods]


urlpatterns: list[URLPattern] = [
    path("", index, name="figures"),
    path("list/", figure_rows, name="figure_rows"),
]
