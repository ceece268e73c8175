"""The public 办事指南: a resident searches the items in force from a phone (by name, keyword or code; village-level
only if they like) and opens an item's guide, which prints on A4. No login; drafts and old versions never show."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from grassroots.workflow.choices import CatalogueStatus

from ..choices import MaterialNeed, TownshipType
from ..models import ServiceCentre, ServiceItem
from ..services.catalogue_columns import channels_label


def published() -> QuerySet[ServiceItem]:
    """The versions a resident may read: published and in force now (a retired item no longer shows)."""
    return ServiceItem.objects.in_force().filter(status=CatalogueStatus.PUBLISHED)


def guide(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:50]
    village = request.GET.get("village") == "1"
    items = published()
    if q:
        items = items.filter(Q(name__icontains=q) | Q(keywords__icontains=q) | Q(code__iexact=q.upper()))
    if village:
        items = items.filter(at_village=True)
    page = Paginator(
        items.only(
            "code",
            "name",
            "kind",
            "promised_limit",
            "statutory_limit",
            "at_most_once",
            "zero_visit",
            "no_meeting",
            "at_village",
            "department",
        ).order_by("code"),
        30,
    ).get_page(request.GET.get("page"))
    query = urlencode({**({"q": q} if q else {}), **({"village": "1"} if village else {})})
    context = {"q": q, "village": village, "page": page, "query": query}
    return render(request, "convenience/public/guide.html", context)


def guide_item(request: HttpRequest, code: str) -> HttpResponse:
    item = published().filter(code=code).prefetch_related("materials").first()
    if item is None:
        raise Http404("没有这个事项，或该事项已停止办理")
    types = [t for t in TownshipType.values if item.on_list(t)]
    centres = ServiceCentre.objects.filter(township_type__in=types).select_related("township")
    materials = list(item.materials.all())
    context = {
        "item": item,
        "materials": materials,
        "channels": channels_label(item.channels),
        "centres": list(centres.order_by("township__code")[:20]),
        "has_tolerated": any(m.need == MaterialNeed.TOLERATED for m in materials),
    }
    return render(request, "convenience/public/guide_item.html", context)


urlpatterns = [
    path("", guide, name="guide"),
    path("<str:code>/", guide_item, name="guide_item"),
]
