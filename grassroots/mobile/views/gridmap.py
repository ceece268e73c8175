"""The grid map on the phone: the command room's map page (its markup, scripts and data endpoints) inside the
phone's shell, with each event linking to its phone page."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from grassroots.dashboard.views import map_context

from ..permissions import grid_team_required
from .common import phone_page

_ID_SENTINEL = 987654321  # replaced by each marker's id in the browser


def _event_url_pattern() -> str:
    url = reverse("mobile:report_detail", args=[_ID_SENTINEL]).replace(str(_ID_SENTINEL), "{id}")
    return f"{url}?from=map"


@require_GET
@grid_team_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """The command room's map page, but events open on the phone and there is no queue to link to (the command
    queue is not the grid team's)."""
    context = map_context(request, event_url=_event_url_pattern(), queue_url=None)
    return phone_page(request, "mobile/map.html", context)
