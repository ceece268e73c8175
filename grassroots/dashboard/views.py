"""The command room's overview and map pages, and the map's two GeoJSON endpoints.

Views gate by role (404 otherwise), parse the filters and hand over to `selectors`; the overview serves its
figures fragment to HTMX's 30-second refresh from the same view.
"""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from grassroots.core.errors import DomainError
from grassroots.core.navigation import phone_redirect
from grassroots.events.choices import Status
from grassroots.events.models import EventType
from grassroots.org.choices import PlatformKind

from .coords import display_crs
from .permissions import require_map, require_overview
from .selectors import (
    MAX_MARKERS,
    MapFilters,
    map_events_collection,
    map_filters_from,
    map_grid_layer,
    overview_figures,
    queue_url,
)


class HtmxHttpRequest(HttpRequest):
    """A request as HtmxMiddleware leaves it (django-htmx's documented typing recipe)."""

    htmx: HtmxDetails


REFRESH_SECONDS = 30
# Grid names are drawn on the map from this zoom level on (a township fits the screen at about 12–13).
LABEL_ZOOM = 14
# A number no event has yet, replaced by each marker's id in the browser (one reverse() per page, not per marker).
_ID_SENTINEL = 987654321


def signed_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`login_required`, except that an HTMX refresh after the session ended sends the whole page to the login
    page (HX-Redirect) instead of swapping the login form into a panel."""
    guarded = login_required(view)

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            login = redirect_to_login(request.htmx.current_url or request.get_full_path())
            return HttpResponse(status=204, headers={"HX-Redirect": login["Location"]})
        return guarded(request, *args, **kwargs)

    return wrapped


def scope_label(user: Any) -> str:
    """The territory a page speaks for, in the header: the person's grid, division or unit."""
    if user.is_superuser:
        return _("全部区域")
    for attr in ("grid", "division", "unit"):
        if getattr(user, f"{attr}_id", None):
            return str(getattr(user, attr).name)
    return ""


@signed_in
@require_GET
def overview(request: HtmxHttpRequest) -> HttpResponse:
    require_overview(request.user)
    data = overview_figures(viewer=request.user)
    screen = request.GET.get("screen") == "1"
    context = {
        "data": data,
        "screen": screen,
        "refresh_seconds": REFRESH_SECONDS,
        "refresh_url": f"{request.path}?screen=1" if screen else request.path,
        "trend": data.trend.as_chart(),
        "scope_label": scope_label(request.user),
    }
    template = "dashboard/_overview_figures.html" if request.htmx else "dashboard/overview.html"
    return render(request, template, context)


def period_labels() -> dict[str, str]:
    return {"": _("全部在办"), "today": _("今日上报"), "7d": _("近 7 天上报"), "30d": _("近 30 天上报")}


def map_text() -> dict[str, Any]:
    """The words the map script shows, translated here so the script carries no user-facing text."""
    return {
        "open": _("在办"),
        "overdue": _("超期"),
        "overdueRate": _("超期率"),
        "gridQueue": _("查看本网格在办事件"),
        "openEvent": _("打开事件详情"),
        "noNumber": _("待编号"),
        "lights": {"red": _("超期"), "yellow": _("预警"), "green": _("正常"), "none": _("未计时")},
        "legendOpen": _("在办事件数（件）"),
        "legendRate": _("超期率（超期 ÷ 在办）"),
        "noOpen": _("无在办"),
        "loading": _("正在加载……"),
        "failed": _("加载失败，请稍后重试"),
        "markers": _("地图上共 {n} 个事件点位"),
        "truncated": _("点位过多，仅显示最近上报的 %(n)s 个；请缩小筛选范围") % {"n": MAX_MARKERS},
    }


def event_url_pattern() -> str:
    """The event page's URL with `{id}` for the id; the API's detail until the event page exists."""
    try:
        url = reverse("events:detail", args=[_ID_SENTINEL])
    except NoReverseMatch:
        url = reverse("api:event_read", args=[_ID_SENTINEL])
    return url.replace(str(_ID_SENTINEL), "{id}")


def map_context(request: HttpRequest, *, event_url: str, queue_url: str | None) -> dict[str, Any]:
    """What the map template needs: its filters from the query string and the settings of its script. The phone's
    map uses it too, with events opening on the phone and no queue link."""
    try:
        filters = map_filters_from(request.GET)
    except DomainError:
        filters = MapFilters()
    config = {
        "gridsUrl": reverse("dashboard:map_grids"),
        "eventsUrl": reverse("dashboard:map_events"),
        "eventUrl": event_url,
        "queueUrl": queue_url,
        "crs": display_crs(),
        "statuses": {value: str(label) for value, label in Status.choices},
        "labelZoom": LABEL_ZOOM,
        "text": map_text(),
    }
    return {
        "filters": filters,
        "config": config,
        "platforms": PlatformKind.choices,
        "types": EventType.objects.in_force().filter(parent__isnull=True, is_active=True).order_by("code"),
        "periods": list(period_labels().items()),
        "scope_label": scope_label(request.user),
    }


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    require_map(request.user)
    phone = phone_redirect(request, "mobile:map")
    if phone is not None:
        return phone
    context = map_context(request, event_url=event_url_pattern(), queue_url=queue_url())
    return render(request, "dashboard/map.html", context)


def _error(exc: DomainError) -> JsonResponse:
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


@login_required
@require_GET
def map_grids(request: HttpRequest) -> HttpResponse:
    require_map(request.user)
    layer = map_grid_layer(viewer=request.user, crs=display_crs())
    etag = f'"{layer.version}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(layer.body, content_type="application/geo+json; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def map_events(request: HttpRequest) -> HttpResponse:
    require_map(request.user)
    try:
        filters = map_filters_from(request.GET)
    except DomainError as exc:
        return _error(exc)
    collection = map_events_collection(
        viewer=request.user, filters=filters, crs=display_crs(), now=timezone.now()
    )
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
