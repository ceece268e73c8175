"""The worker's own reports on the phone (我的上报), and one report followed from report to result."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import selectors
from ..permissions import grid_team_required
from .common import PAGE_SIZE, HtmxHttpRequest, phone_page, worker_of

# Where the report page's back arrow leads, by the `from` its links carry (home otherwise).
BACK = {"mine": "mobile:my_reports", "team": "mobile:team", "inbox": "mobile:inbox", "map": "mobile:map"}


@require_GET
@grid_team_required
def my_reports(request: HtmxHttpRequest) -> HttpResponse:
    worker = worker_of(request)
    page = Paginator(selectors.my_reports(worker), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "rows": selectors.event_rows(page.object_list)}
    if request.htmx and request.GET.get("page"):
        return render(request, "mobile/_event_rows.html", context)
    return phone_page(request, "mobile/reports.html", context)


@require_GET
@grid_team_required
def report_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """Status, light, the record of steps, the handling result and the photos of one event: the reporter's own
    or one the worker's scope covers (404 otherwise, as if absent)."""
    worker = worker_of(request)
    shown = selectors.report_shown(viewer=worker, event_id=event_id)
    context = {
        "shown": shown,
        "back": reverse(BACK.get(request.GET.get("from", ""), "mobile:home")),
        # A notification about a task leads here: offer the task's form from the report.
        "is_task": selectors.worker_tasks(worker).filter(pk=event_id).exists(),
    }
    return phone_page(request, "mobile/report_detail.html", context)
