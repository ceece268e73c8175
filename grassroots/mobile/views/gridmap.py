"""The grid map on the phone: the command room's map page (its markup, scripts and data endpoints) inside the
phone's shell, with each event linking to its phone page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from grassroots.core.errors import DomainError
from grassroots.dashboard.coords import display_crs
from grassroots.dashboard.selectors import MapFilters, map_filters_from
from grassroots.dashboard.views import LABEL_ZOOM, map_text, period_labels, scope_label
from grassroots.events.choices import Status
from grassroots.events.models import EventType
from grassroots.org.choices import PlatformKind

from ..permissions import grid_team_required
from .common import phone_page

_ID_SENTINEL = 987654321  # replaced by each marker's id in the browser


def _event_url_pattern() -> str:
    url = reverse("mobile:report_detail", args=[_ID_SENTINEL]).replace(str(_ID_SENTINEL), "{id}")
    return f"{url}?from=map"


@require_GET
@grid_team_required
def grid_map(request: HttpRequest) -> HttpResponse:
    """The context `dashboard.views.map_page` gives its template, but events open on the phone and there is no
    queue to link to (the command queue is not the grid team's)."""
    try:
        filters = map_filters_from(request.GET)
    except DomainError:
        filters = MapFilters()
    config: dict[str, Any] = {
        "gridsUrl": reverse("dashboard:map_grids"),
        "eventsUrl": reverse("dashboard:map_events"),
        "eventUrl": _event_url_pattern(),
        "queueUrl": None,
        "tileUrl": settings.MAP_TILE_URL,
        "crs": display_crs(),
        "statuses": {value: str(label) for value, label in Status.choices},
        "labelZoom": LABEL_ZOOM,
        "text": map_text(),
    }
    context = {
        "filters": filters,
        "config": config,
        "platforms": PlatformKind.choices,
        "types": EventType.objects.filter(parent__isnull=True, is_active=True).order_by("code"),
        "periods": list(period_labels().items()),
        "scope_label": scope_label(request.user),
    }
    return phone_page(request, "mobile/map.html", context)
