"""The public power list (行政处罚法 第三十四条: 裁量基准 are published): anyone searches the published powers from a
phone (words of the name, violation or code; a field; a township) and opens one with its discretion table. No
login; a power not published answers 404 as if it did not exist."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.geo.models import Division

from ..choices import PowerCategory
from ..models import Power
from ..services.powers_selectors import PowerFilters, category_counts, field_names, for_list, powers_search
from .powers import discretion_rows

PAGE_SIZE = 30


def published() -> QuerySet[Power]:
    return Power.objects.filter(published=True)


def power_list(request: HttpRequest) -> HttpResponse:
    filters = PowerFilters.from_query(request.GET, staff=False)
    rows = powers_search(published(), filters)
    page = Paginator(for_list(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    townships = Division.objects.filter(
        code__in=published().order_by().values("unit__division__code").distinct()
    ).order_by("code")
    wanted = {
        "q": filters.q,
        "category": filters.category,
        "field": filters.field,
        "township": filters.township,
    }
    counts = category_counts(powers_search(published(), filters.without_category()))
    context = {
        "filters": filters,
        "page": page,
        "query": urlencode({k: v for k, v in wanted.items() if v}),
        "fields": field_names(published()),
        "categories": [(c.value, c.label, counts[c.value]) for c in PowerCategory if counts[c.value]],
        "townships": list(townships.values_list("code", "name")),
    }
    return render(request, "enforcement/public/powers.html", context)


def power_detail(request: HttpRequest, code: str) -> HttpResponse:
    power = published().select_related("unit__division").filter(code=code).first()
    if power is None:
        raise Http404("没有这项职权，或它尚未公布")
    return render(
        request, "enforcement/public/power.html", {"power": power, "discretion": discretion_rows(power)}
    )
