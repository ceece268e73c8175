"""调解成功率: agreements / concluded mediations over the disputes the viewer may see, for a period (a month or a
year, by the day mediation concluded), in total and per mediator, committee, village, township and type
(`services.dispute_figures`); every number opens its records (`figure_rows`)."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from grassroots.core.labels import choice_label
from grassroots.workcal.calendar import SHANGHAI

from ..choices import DisputeOutcome, DisputeStatus
from ..permissions import disputes_visible_to
from ..services.dispute_figures import GROUPINGS, SuccessFigure, success_rate, success_rates
from .dispute_access import reader

TITLES = {
    "mediator": _("按调解员"),
    "committee": _("按调委会"),
    "village": _("按村社区"),
    "township": _("按乡镇"),
    "kind": _("按纠纷类型"),
}


def period_of(request: HttpRequest) -> tuple[str, dt.datetime | None, dt.datetime | None]:
    """`?period=2025-07` (a month), `2025` (a year) or `all`; this year by default."""
    key = request.GET.get("period", str(timezone.localdate().year)).strip()
    if key == "all":
        return key, None, None
    try:
        if len(key) == 4:
            start = dt.datetime(int(key), 1, 1, tzinfo=SHANGHAI)
            return key, start, start.replace(year=start.year + 1)
        year, month = (int(p) for p in key.split("-"))
        start = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    except ValueError:
        return period_of_default()  # an unreadable period: this year
    end = start.replace(year=year + 1, month=1) if month == 12 else start.replace(month=month + 1)
    return key, start, end


def period_of_default() -> tuple[str, dt.datetime | None, dt.datetime | None]:
    year = timezone.localdate().year
    start = dt.datetime(year, 1, 1, tzinfo=SHANGHAI)
    return str(year), start, start.replace(year=year + 1)


def _row(f: SuccessFigure, by: str, period: str) -> dict[str, Any]:
    def link(what: str) -> str:
        query = {"period": period, "what": what} | ({"by": by, "key": f.key} if by else {})
        return f"{reverse('governance:dispute_figure_rows')}?{urlencode(query)}"

    return {"figure": f, "agreements_url": link("agreements"), "concluded_url": link("concluded")}


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    person = reader(request)
    period, since, until = period_of(request)
    scoped = disputes_visible_to(person)
    total = success_rate(scoped, since=since, until=until)
    tables = [
        (
            by,
            TITLES[by],
            [_row(f, by, period) for f in success_rates(scoped, by=by, since=since, until=until)],
        )
        for by in GROUPINGS
    ]
    context = {"period": period, "total": _row(total, "", period), "tables": tables}
    return render(request, "governance/dispute_figures.html", context)


@login_required
def figure_rows(request: HttpRequest) -> HttpResponse:
    """The disputes behind one number: `what` (agreements or concluded), `by` and `key` as the figure's."""
    person = reader(request)
    period, since, until = period_of(request)
    by, key, what = request.GET.get("by", ""), request.GET.get("key", ""), request.GET.get("what", "")
    if what not in {"agreements", "concluded"} or (by and by not in GROUPINGS):
        raise Http404("没有这个统计数")
    scoped = disputes_visible_to(person)
    found: SuccessFigure | None = success_rate(scoped, since=since, until=until)
    if by:
        found = next(
            (f for f in success_rates(scoped, by=by, since=since, until=until) if str(f.key) == key), None
        )
    if found is None:
        raise Http404("没有这个统计数")
    figure = found
    qs = figure.agreements_qs if what == "agreements" else figure.concluded_qs
    rows = qs.select_related("village", "committee").order_by("-concluded_at", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "figure": figure,
        "what": what,
        "period": period,
        "page": page,
        "rows": [
            (d, choice_label(DisputeStatus, d.status), choice_label(DisputeOutcome, d.outcome))
            for d in page.object_list
        ],
        "query": urlencode({"period": period, "what": what, "by": by, "key": key}),
    }
    return render(request, "governance/dispute_figure_rows.html", context)
