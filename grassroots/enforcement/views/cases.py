"""The case list (案件列表), under /enforcement/cases/: the cases the person may see, by state, theirs or all, unit,
source and a search of the number or the party, each with its clock light (green, yellow from 80%, red when
overdue, grey while the law pauses it), paginated; the query is `services.case_list.case_rows`, one for any page.
The lead's registration and the case page are `cases_new` and `cases_page`."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.labels import choice_label
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.choices import Role

from ..choices import CaseSource, CaseStatus
from ..models import EnforcementCase
from ..permissions import cases_visible_to, may_open_cases
from ..services.case_list import DONE, LIGHTS, OPEN, CaseFilters, case_light, case_rows, parties_shown
from . import cases_new, cases_page

PER_PAGE = 30
LIST_ROLES = frozenset(
    {
        Role.INSPECTOR,
        Role.DEPARTMENT_STAFF,
        Role.PLATFORM_COORDINATOR,
        Role.LEADER,
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.CENTRE_OPERATOR,
    }
)
TABS: dict[str, tuple[Any, frozenset[str]]] = {
    "open": (_("在办"), OPEN),
    "done": (_("已办结"), DONE),
    "all": (_("全部"), frozenset()),
}
LIGHT_LABELS = {"red": _("超期"), "yellow": _("预警"), "green": _("正常"), "paused": _("暂停计时")}


def reader(request: HttpRequest) -> Any:
    """The enforcement roles, and anyone named on a case (an officer, a hearing's chair)."""
    person = person_of(request)
    if person.is_superuser or person.role in LIST_ROLES:
        return person
    if EnforcementCase.objects.filter(Q(officers=person.pk) | Q(hearing_chair=person.pk)).exists():
        return person
    raise PermissionDenied("您的岗位不使用执法案件页面")


def filters_from(request: HttpRequest, person: Any) -> tuple[CaseFilters, dict[str, str]]:
    """The filters the query string asks for, and the values to show back on the form."""
    get = request.GET
    state = get.get("state", "open")
    if state in TABS:
        statuses = tuple(sorted(TABS[state][1]))
    elif state in CaseStatus.values:
        statuses = (state,)
    else:
        state, statuses = "open", tuple(sorted(OPEN))
    default_mine = "1" if person.role == Role.INSPECTOR else "0"
    mine = get.get("mine", default_mine) == "1"
    unit = get.get("unit", "")
    source = get.get("source", "")
    light = get.get("light", "")
    filters = CaseFilters(
        statuses=statuses,
        mine=mine,
        unit_id=int(unit) if unit.isdigit() else None,
        source=source if source in CaseSource.values else "",
        q=get.get("q", "").strip()[:100],
        light=light if light in LIGHTS else "",
        now=timezone.now(),
    )
    shown = {
        "state": state,
        "mine": "1" if mine else "0",
        "unit": unit,
        "source": filters.source,
        "q": filters.q,
        "light": filters.light,
    }
    return filters, shown


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    filters, shown = filters_from(request, person)
    page = Paginator(case_rows(person, filters), PER_PAGE).get_page(request.GET.get("page"))
    cases = list(page.object_list)
    parties = parties_shown(person, cases, purpose="执法案件列表")
    now = filters.now or timezone.now()
    rows = [
        {
            "case": c,
            "party": parties[c.pk],
            "light": case_light(c, now),
            "status": choice_label(CaseStatus, c.status),
            "source": choice_label(CaseSource, c.source),
        }
        for c in cases
    ]
    query = request.GET.copy()
    query.pop("page", None)
    units = Unit.objects.filter(pk__in=cases_visible_to(person).values("unit_id")).order_by("name")
    context = {
        "page": page,
        "rows": rows,
        "shown": shown,
        "query": query.urlencode(),
        "tabs": [(k, label) for k, (label, _s) in TABS.items()],
        "statuses": CaseStatus.choices,
        "sources": CaseSource.choices,
        "lights": list(LIGHT_LABELS.items()),
        "light_labels": LIGHT_LABELS,
        "units": list(units.values_list("pk", "name")),
        "may_open": may_open_cases(person),
    }
    return render(request, "enforcement/case_list.html", context)


urlpatterns = [
    path("", case_list, name="cases"),
    path("new/", cases_new.case_new, name="case_new"),
    path("<int:case_id>/", cases_page.case_page, name="case"),
    path("<int:case_id>/act/<str:action>/", cases_page.act, name="case_act"),
    path("<int:case_id>/evidence/<int:evidence_id>/", cases_page.evidence_file, name="case_evidence"),
    path("<int:case_id>/documents/<int:document_id>/", cases_page.document_file, name="case_document"),
]
