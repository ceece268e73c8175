"""执法统计: the cases' figures (grassroots/enforcement/figures) for a period, over the cases the viewer may see: the
total, one table per unit and per officer, and the further sections registered in `figures.SECTIONS` (joint
operations, plans); every number a link to the records behind it, listed with the figure's own filter."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
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
from grassroots.core.masking import mask_name
from grassroots.core.scope import scope_of
from grassroots.people.actors import person_of
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .. import figures as fig
from ..choices import PartyKind
from ..models import EnforcementCase
from ..permissions import HEAD_ROLES, OPEN_ROLES
from ..registry import case_url

# Leaders, the command room, coordinators, the enforcement units' staff and officers.
FIGURE_ROLES = VIEW_ROLES | HEAD_ROLES | OPEN_ROLES | {Role.PLATFORM_COORDINATOR}
# The columns of the total and of each grouping's table: counts (c) and rates (r).
COLUMNS = [
    ("c", "filed"),
    ("c", "not_filed"),
    ("c", "closed"),
    ("c", "closed_on_time"),
    ("c", "closed_late"),
    ("r", "on_time_rate"),
    ("c", "penalties"),
    ("c", "simple"),
    ("r", "simple_share"),
    ("c", "amount"),
    ("c", "hearings"),
    ("c", "overdue_now"),
]
ROWS_URL = "enforcement:figure_rows"
SECTION_ROWS_URL = "enforcement:figure_section_rows"


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


def _section_context(person: Person, filters: Filters, window: Window) -> fig.SectionContext:
    return fig.SectionContext(
        person=person, area=filters.area.code, area_name=filters.area.name, window=window
    )


# -- cells ---------------------------------------------------------------------------------------------------


class Cells:
    """Cells of one subject's figures, linking to their cases with the page's filters."""

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


def _section_tables(
    provider: fig.SectionProvider, section: fig.Section, filters: Filters
) -> list[tuple[fig.SectionTable, list[tuple[str, list[Cell]]]]]:
    base = reverse(SECTION_ROWS_URL, args=[provider.code])

    def cell(f: fig.SectionFigure) -> Cell:
        url = base + filters.query(figure=f.key) if f.records is not None else ""
        return Cell(f.text, url=url, title=f.title, css="num")

    return [
        (table, [(label, [cell(f) for f in figures]) for label, figures in table.rows])
        for table in section.tables
    ]


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """执法统计: the total, a table per unit and per officer, then the registered sections."""
    person = viewer(request)
    filters = _filters(request, person)
    window = _window(filters)
    cases = fig.scope_for(person, filters.area.code)
    total = fig.figures_by(cases, window=window, group=None)[0]
    total.name = f"{filters.area.name}合计"
    tables = []
    for code, grouping in fig.GROUPINGS.items():
        lines = [
            (f.name, Cells(filters, f, code).columns())
            for f in fig.figures_by(cases, window=window, group=code)
        ]
        tables.append((grouping, lines))
    context_for_sections = _section_context(person, filters, window)
    sections = []
    for provider in fig.SECTIONS:
        section = provider.build(context_for_sections)
        sections.append((provider, section, _section_tables(provider, section, filters)))
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "headers": _headers(),
        "total": (total.name, Cells(filters, total, None).columns()),
        "tables": tables,
        "sections": sections,
        "counts": list(fig.COUNTS.values()),
        "values": [(fig.VALUES[n], d) for n, d in fig.VALUE_DEFINITIONS.items()],
        "indicators": list(fig.INDICATORS.values()),
        **period_context(filters),
    }
    return render(request, "enforcement/figures.html", context)


# -- the cases behind a figure -------------------------------------------------------------------------------


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


def _subject(request: HttpRequest) -> tuple[str | None, str | None]:
    group = request.GET.get("group") or None
    key = request.GET.get("key") or None
    if group is None:
        return None, None
    if group not in fig.GROUPINGS or not key or not key.isdigit():
        raise Http404("统计分组不存在")
    return group, key


def _figure_text(title: str, code: str | None, count: str, figures: fig.Figures) -> str:
    if code:
        value = figures.value(code)
        return f"{title} {value}（{value.numerator} / {value.denominator}）"
    if count == "amount":
        return f"{title} {figures.amount:,.2f}（{figures.count('penalties')} 件处罚决定）"
    return f"{title} {figures.count(count):,}"


def _listed(rows: Iterable[EnforcementCase]) -> list[dict[str, Any]]:
    """One page of cases as the list shows them: the party's name masked for a person (the list is for counting;
    the case's page shows it whole to those who work on the case)."""
    out = []
    for case in rows:
        party = case.party_name if case.party_kind == PartyKind.ORGANISATION else mask_name(case.party_name)
        officers = "、".join(p.name for p in case.officers.all())
        out.append({"case": case, "url": case_url(case), "party": party, "officers": officers})
    return out


@login_required
def figure_rows(request: HttpRequest) -> HttpResponse:
    """The cases behind one figure, filtered as it was counted; for a rate, its denominator's cases, each marked
    whether it is in the numerator (全部 / 计入 / 未计入)."""
    person = viewer(request)
    filters = _filters(request, person)
    title, code, count, marker = _drill_params(request)
    group, key = _subject(request)
    window = _window(filters)
    cases = fig.scope_for(person, filters.area.code)
    listed = fig.drill_rows(cases, window=window, count=count, group=group, key=key)
    figures = fig.figure_of(cases, window=window, group=group, key=key)
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
        subject = fig.subject_names(group, [key]).get(key, key)
    ordered = listed.select_related("unit").prefetch_related("officers").order_by("-created_at", "-pk")
    page = paginate(request, ordered)
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
        "subject": subject,
        "group_label": fig.GROUPINGS[group].label if group else "",
        "marker": marker,
        "marker_label": f"计入{fig.label_of(marker)}" if marker else "",
        "show": show,
        "page": page,
        "rows": _listed(page.object_list),
        "show_query": filters.query(show=""),
        "back_query": filters.query(indicator="", count="", group="", key="", show=""),
        **period_context(filters),
    }
    return render(request, "enforcement/figures_rows.html", context)


@login_required
def section_rows(request: HttpRequest, code: str) -> HttpResponse:
    """The records behind one number of a registered section, as its provider lists them."""
    person = viewer(request)
    provider = fig.section_of(code)
    if provider is None:
        raise Http404("统计栏目不存在")
    filters = _filters(request, person)
    section = provider.build(_section_context(person, filters, _window(filters)))
    key = request.GET.get("figure", "")
    figure = section.figure(key)
    if figure is None or figure.records is None:
        raise Http404("指标不存在")
    filters.params["figure"] = key
    page = paginate(request, provider.order(figure.records))
    rows = [
        {"url": provider.record_url(record), "cells": [column.text(record) for column in provider.columns]}
        for record in page.object_list
    ]
    context = {
        "filters": filters,
        "area_options": _options(person, filters.area),
        "provider": provider,
        "figure": figure,
        "headers": [column.header for column in provider.columns],
        "page": page,
        "rows": rows,
        "back_query": filters.query(figure=""),
        **period_context(filters),
    }
    return render(request, "enforcement/figures_section_rows.html", context)


urlpatterns = [
    path("", index, name="figures"),
    path("records/", figure_rows, name="figure_rows"),
    path("sections/<slug:code>/", section_rows, name="figure_section_rows"),
]
