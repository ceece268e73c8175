"""The grid head's view of the team (网格团队): each member's on-site tasks and latest reports, and the grid's
open events with their status lights."""

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from grassroots.events.selectors import queue_counts

from .. import selectors
from ..permissions import grid_team_required, leads_grid_team
from .common import PAGE_SIZE, HtmxHttpRequest, phone_page, worker_of


@require_GET
@grid_team_required
def team(request: HtmxHttpRequest) -> HttpResponse:
    head = worker_of(request)
    if not leads_grid_team(head):
        raise Http404("页面不存在")
    now = timezone.now()
    events = selectors.grid_open_events(head)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "rows": selectors.event_rows(page.object_list, now),
        "row_from": "team",
    }
    if request.htmx and request.GET.get("page"):
        return render(request, "mobile/_event_rows.html", context)
    context |= {
        "members": selectors.grid_team(viewer=head, now=now),
        "counts": queue_counts(events=events, now=now),
    }
    return phone_page(request, "mobile/team.html", context)
