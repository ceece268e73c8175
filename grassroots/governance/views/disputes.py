"""The dispute queue (矛盾纠纷), under /governance/disputes/: the disputes the person may see, open, done or all,
theirs or all, by village, type, risk, source, time-limit light and a search, each with its clock light, paginated;
the query is `services.dispute_list.dispute_rows`, one for any page. Registration, the dispute page and the figures
are `dispute_new`, `dispute_page` and `dispute_figures`."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.labels import choice_label
from grassroots.geo.models import Division
from grassroots.people.choices import Role

from ..choices import DisputeSource, DisputeStatus, DisputeType, RiskLevel
from ..permissions import disputes_visible_to
from ..services.dispute_list import (
    DONE,
    LIGHTS,
    OPEN,
    DisputeFilters,
    dispute_light,
    dispute_rows,
    masked_parties,
)
from . import dispute_figures, dispute_new, dispute_page
from .dispute_access import reader

PER_PAGE = 30
TABS: dict[str, tuple[Any, frozenset[str]]] = {
    "open": (_("在办"), OPEN),
    "done": (_("已办结"), DONE),
    "all": (_("全部"), frozenset()),
}
LIGHT_LABELS = {"red": _("超期"), "yellow": _("预警"), "green": _("正常")}


def _choice(value: str, values: list[str]) -> str:
    return value if value in values else ""


def filters_from(request: HttpRequest, person: Any) -> tuple[DisputeFilters, dict[str, str]]:
    """The filters the query string asks for, and the values to show back on the form."""
    get = request.GET
    state = get.get("state", "open")
    if state in TABS:
        statuses = tuple(sorted(TABS[state][1]))
    elif state in DisputeStatus.values:
        statuses = (state,)
    else:
        state, statuses = "open", tuple(sorted(OPEN))
    mine = get.get("mine", "1" if person.role == Role.MEDIATOR else "0") == "1"
    village = get.get("village", "")
    filters = DisputeFilters(
        statuses=statuses,
        mine=mine,
        village_id=int(village) if village.isdigit() else None,
        kind=_choice(get.get("kind", ""), DisputeType.values),
        risk=_choice(get.get("risk", ""), RiskLevel.values),
        source=_choice(get.get("source", ""), DisputeSource.values),
        q=get.get("q", "").strip()[:100],
        light=_choice(get.get("light", ""), list(LIGHTS)),
        now=timezone.now(),
    )
    shown = {
        "state": state,
        "mine": "1" if mine else "0",
        "village": village,
        "kind": filters.kind,
        "risk": filters.risk,
        "source": filters.source,
        "q": filters.q,
        "light": filters.light,
    }
    return filters, shown


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    filters, shown = filters_from(request, person)
    page = Paginator(dispute_rows(person, filters), PER_PAGE).get_page(request.GET.get("page"))
    now = filters.now or timezone.now()
    rows = [
        {
            "dispute": d,
            "parties": masked_parties(d),
            "light": dispute_light(d, now),
            "status": choice_label(DisputeStatus, d.status),
            "kind": choice_label(DisputeType, d.kind),
            "source": choice_label(DisputeSource, d.source),
        }
        for d in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    villages = Division.objects.filter(pk__in=disputes_visible_to(person).values("village_id")).order_by(
        "code"
    )
    context = {
        "page": page,
        "rows": rows,
        "shown": shown,
        "query": query.urlencode(),
        "tabs": [(k, label) for k, (label, _s) in TABS.items()],
        "kinds": DisputeType.choices,
        "risks": RiskLevel.choices,
        "sources": DisputeSource.choices,
        "lights": list(LIGHT_LABELS.items()),
        "villages": list(villages.values_list("pk", "name")),
    }
    return render(request, "governance/dispute_list.html", context)


urlpatterns = [
    path("", dispute_list, name="disputes"),
    path("new/", dispute_new.dispute_new, name="dispute_new"),
    path("figures/", dispute_figures.figures, name="dispute_figures"),
    path("figures/rows/", dispute_figures.figure_rows, name="dispute_figure_rows"),
    path("<int:dispute_id>/", dispute_page.dispute_page, name="dispute"),
    path("<int:dispute_id>/act/<str:action>/", dispute_page.act, name="dispute_act"),
    path(
        "<int:dispute_id>/documents/<int:document_id>/", dispute_page.document_file, name="dispute_document"
    ),
]
