"""市场监管统计: the platform's figures (grassroots/market/figures) for a period, over what the viewer may see: the
registry by risk class with the 双随机 coverage, inspections by kind, publication, and one table per unit and per
inspector; every number a link to the records behind it (`figure_rows`), listed with the figure's own filter."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from grassroots.assessment.areas import Area, area_resolve
from grassroots.assessment.choices import PeriodKind
from grassroots.assessment.indicators import Window, window_of
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
from grassroots.draws.algorithm import RISK_CLASSES
from grassroots.people.actors import person_of
from grassroots.people.models import Person

from .. import figures as fig
from ..permissions import INSPECTION_ROLES

# Leaders, the command room, coordinators, the inspecting units' staff and inspectors.
FIGURE_ROLES = INSPECTION_ROLES | VIEW_ROLES
# The columns of the total and of each grouping's table: counts (c) and rates (r).
COLUMNS = [
    ("c", "planned"),
    ("c", "done"),
    ("r", "done_rate"),
    ("c", "drawn_targets"),
    ("c", "findings"),
    ("c", "due_rectify"),
    ("r", "on_time_rectification"),
    ("c", "penalties"),
    ("c", "amount"),
]
ROWS_URL = "market:figure_rows"


def viewer(request: HttpRequest) -> Person:
    person = person_of(request)
    if not person.is_superuser and person.role not in FIGURE_ROLES:
        raise PermissionDenied("您的岗位不使用此页面")
    return person


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


def _options(person: Person, area: Area) -> list[tuple[str, str, int]]:
    scope = scope_of(person)
    return area_options(person, area) if scope.everything or scope.region_prefix else []


# -- cells ---------------------------------------------------------------------------------------------------


class Cells:
    """Cells of one subject's figures, linking to their rows with the page's filters."""

    def __init__(self, filters: Filters, figures: fig.Figures, group: str | None) -> None:
        self.filters, self.figures = filters, figures
        self.key = {"group": group, "key": figures.key} if group else {}

    def url(self, **what: str) -> str:
        return reverse(ROWS_URL) + self.filters.query(**what, **self.key)

    def count(self, name: str) -> Cell:
        if name == "amount":
            return Cell(f"{self.figures.amount:,.2f}", url=self.url(count=name), css="num")
        return Cell(f"{self.figures.count(name):,}", url=self.url(count=name), css="num")

    def rate(self, code: str) -> Cell:
        return rate_cell(self.figures.value(code), self.url(indicator=code))

    def columns(self) -> list[Cell]:
        return [self.count(n) if kind == "c" else self.rate(n) for kind, n in COLUMNS]


def _headers() -> list[str]:
    return [fig.label_of(n) if kind == "c" else fig.INDICATORS[n].label for kind, n in COLUMNS]


def _percent(rate: str) -> str:
    """A plan's rate ("0.04") as the percent people read ("4%")."""
    return f"{(Decimal(rate) * 100).normalize():f}%"


def _risk_rows(cells: Cells, rates: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for r in RISK_CLASSES:
        rows.append(
            {
                "label": f"{r} 类",
                "cells": [cells.count(f"class_{r}"), cells.count(f"drawn_{r}"), cells.rate(f"coverage_{r}")],
                "plan_rate": "、".join(_percent(x) for x in rates[r]) or "—",
            }
        )
    rows.append(
        {
            "label": "合计",
            "cells": [cells.count("operating"), cells.count("drawn_entities"), cells.rate("draw_coverage")],
            "plan_rate": "",
        }
    )
    return rows


def _kind_rows(cells: Cells) -> list[dict[str, Any]]:
    return [
        {"label": label, "cells": [cells.count(f"planned_{k}"), cells.count(f"done_{k}")]}
        for k, label in fig.KIND_LABELS.items()
    ] + [{"label": "合计", "cells": [cells.count("planned"), cells.count("done")]}]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """市场监管统计: the total, the registry and draws, and a table per unit and per inspector."""
    person = viewer(request)
    filters = _filters(request, person)
    window = _window(filters)
    scope = fig.scope_for(person, filters.area.code)
    total = fig.figures_by(scope, window=window, group=None)[0]
    total.name = f"{filters.area.name}合计"
    cells = Cells(filters, total, None)
    tables = []
    for code, grouping in fig.GROUPINGS.items():
        lines = [
            (f.name, Cells(filters, f, code).columns())
            for f in fig.figures_by(scope, window=window, group=code)
        ]
        tables.append((grouping, lines))
    publication = [
        "draws",
        "drawn_targets",
        "drawn_done",
        "publish_due",
        "published_on_time",
        "published_late",
    ]
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "headers": _headers(),
        "total": (total.name, cells.columns()),
        "risk_rows": _risk_rows(cells, fig.plan_rates(scope, window)),
        "kind_rows": _kind_rows(cells),
        "publication_headers": [fig.label_of(n) for n in publication]
        + [fig.INDICATORS["on_time_publication"].label],
        "publication": [cells.count(n) for n in publication] + [cells.rate("on_time_publication")],
        "tables": tables,
        "counts": list(fig.COUNTS.values()),
        "indicators": list(fig.INDICATORS.values()),
        **period_context(filters),
    }
    return render(request, "market/figures.html", context)


# -- the rows behind a figure --------------------------------------------------------------------------------


def _drill_params(request: HttpRequest) -> tuple[str, str | None, str, str | None]:
    """(title, indicator code, the count listed, the count marking rows or None) from the query string."""
    code = request.GET.get("indicator", "")
    if code:
        if code not in fig.INDICATORS:
            raise Http404("指标不存在")
        count, marker = fig.drill_of(code)
        return fig.INDICATORS[code].label, code, count, marker
    count = request.GET.get("count", "")
    if count not in fig.COUNTS and count not in fig.VALUES:
        raise Http404("指标不存在")
    return fig.label_of(count), None, count, None


def _subject(request: HttpRequest, relation: str) -> tuple[str | None, str | None]:
    group = request.GET.get("group") or None
    key = request.GET.get("key") or None
    if group is None:
        return None, None
    if group not in fig.GROUPINGS or not key or relation not in fig.GROUPINGS[group].fields:
        raise Http404("统计分组不存在")
    return group, key


def _ordered(rows: QuerySet[Any], relation: str) -> QuerySet[Any]:
    if relation == fig.Relation.ENTITY:
        return rows.select_related("grid").order_by("name", "pk")
    if relation == fig.Relation.INSPECTION:
        return (
            rows.select_related("entity", "unit", "draw__plan")
            .prefetch_related("inspectors")
            .order_by("-created_at", "-pk")
        )
    if relation == fig.Relation.FINDING:
        return rows.select_related("inspection__entity", "inspection__unit").order_by("rectify_by", "pk")
    if relation == fig.Relation.PENALTY:
        return rows.select_related("entity", "inspection__unit").order_by("-decided_on", "-pk")
    return rows.select_related("plan").order_by("drawn_at", "pk")


def _figure_text(title: str, code: str | None, count: str, figures: fig.Figures) -> str:
    if code:
        value = figures.value(code)
        return f"{title} {value}（{value.numerator} / {value.denominator}）"
    if count == "amount":
        return f"{title} {figures.amount:,.2f}（{figures.count('penalties')} 件处罚）"
    return f"{title} {figures.count(count):,}"


@login_required
def figure_rows(request: HttpRequest) -> HttpResponse:
    """The records behind one figure, filtered as it was counted; for a rate, its denominator's records, each
    marked whether it is in the numerator (全部 / 计入 / 未计入)."""
    person = viewer(request)
    filters = _filters(request, person)
    title, code, count, marker = _drill_params(request)
    relation = fig.relation_of(count)
    group, key = _subject(request, relation)
    window = _window(filters)
    scope = fig.scope_for(person, filters.area.code)
    listed = fig.drill_rows(scope, window=window, count=count, group=group, key=key)
    figures = fig.figure_of(scope, window=window, relation=relation, group=group, key=key)
    show = request.GET.get("show", "")
    if marker is not None:
        hit = fig.count_filters(window)[marker]
        listed = listed.annotate(hit=Case(When(hit, then=True), default=False, output_field=BooleanField()))
        if show in ("hit", "miss"):
            listed = listed.filter(hit=show == "hit")
            filters.params["show"] = show
    filters.params.update({"indicator": code} if code else {"count": count})
    subject = ""
    if group and key:
        filters.params.update(group=group, key=key)
        subject = fig.subject_names(group, [key]).get(key, fig.GROUPINGS[group].none_label)
    page = paginate(request, _ordered(listed, relation))
    if code:
        definition = fig.INDICATORS[code].definition
    else:
        definition = fig.VALUE_DEFINITIONS.get(count) or fig.COUNTS[count].definition
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "title": title,
        "figure": _figure_text(title, code, count, figures),
        "definition": definition,
        "relation": relation,
        "subject": subject,
        "group_label": fig.GROUPINGS[group].label if group else "",
        "marker": marker,
        "marker_label": f"计入{fig.label_of(marker)}" if marker else "",
        "show": show,
        "page": page,
        "show_query": filters.query(show=""),
        "back_query": filters.query(indicator="", count="", group="", key="", show=""),
        **period_context(filters),
    }
    return render(request, "market/figures_rows.html", context)
