"""The public report page (/report/): phone first, in Chinese, no account — file a report, follow it later.

Abuse is refused with a message saying why and written to the audit log as denied: floods (a per-address counter
in the database, shared by all workers), anything but photos, oversized bodies, script in the text, bots that
fill the hidden field. Forms carry Django's CSRF token.
"""

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from grassroots.core.errors import InvalidInput
from grassroots.core.scope import code_prefix_q
from grassroots.events.choices import AttachmentKind
from grassroots.events.models import Event
from grassroots.events.uploads import MAX_BYTES
from grassroots.geo.models import Division, Grid

from .. import selectors, services
from ..choices import PAGE_STATUS_LABELS, Channel, PublicStatus
from ..forms import LookupForm, PublicReportForm
from ..models import Open311Request, ServiceAttribute
from ..validation import attributes_of, raw_attributes, redact

REPORTS_PER_WINDOW = 5  # per address
REPORT_WINDOW_SECONDS = 600
LOOKUPS_PER_MINUTE = 30
MAX_BODY = services.MAX_PHOTOS * MAX_BYTES[AttachmentKind.PHOTO] + 1024 * 1024
# Refusals that are abuse (audited) rather than a mistake in the form.
ABUSE_CODES = {"script_rejected", "unsupported_file_type", "file_too_large", "empty_file", "too_many_files"}
FLOOD_MESSAGE = "提交过于频繁，请 {minutes} 分钟后再试。情况紧急请直接拨打 12345 热线。"


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _context(district: Division | None, **extra: Any) -> dict[str, Any]:
    return {"district": district, **extra}


def _form_context(
    request: HttpRequest, form: PublicReportForm, district: Division | None, **extra: Any
) -> dict:
    code = form.data.get("service_code") if form.is_bound else ""
    service = selectors.services_public().filter(code=code).first() if code else None
    answers = raw_attributes(request.POST) if form.is_bound else {}
    return _context(
        district,
        form=form,
        questions=questions(attributes_of(service) if service else [], answers),
        lookup=LookupForm(),
        **extra,
    )


def questions(attributes: list[ServiceAttribute], answers: dict[str, list[str]]) -> list[dict[str, Any]]:
    """Each attribute with what was answered, ready for the form (so an answer survives a refused submit)."""
    rows = []
    for attribute in attributes:
        given = answers.get(attribute.code, [])
        rows.append(
            {
                "attribute": attribute,
                "value": given[0] if given else "",
                "options": [(key, name, key in given) for key, name in attribute.value_names().items()],
            }
        )
    return rows


def _refuse(
    request: HttpRequest,
    form: PublicReportForm,
    district: Division | None,
    *,
    reason: str,
    message: str,
    status: int,
    audit: bool = True,
) -> HttpResponse:
    if audit:
        services.abuse_record(action="open311.page_report", reason=reason)
    context = _form_context(request, form, district, refusal=message)
    return render(request, "open311/report.html", context, status=status)


@csrf_exempt  # checked by `_report`, once the body is known to be of a sane size
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The form, and filing it. An oversized body is refused before anything reads it (the CSRF check would)."""
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        form = PublicReportForm(services=list(selectors.services_public()))
        return _refuse(
            request,
            form,
            selectors.jurisdiction_default(),
            reason="oversized",
            message="上传内容过大：最多 3 张照片，每张不超过 10 MB",
            status=400,
        )
    return _report(request)


@csrf_protect
def _report(request: HttpRequest) -> HttpResponse:
    district = selectors.jurisdiction_default()
    services_list = list(selectors.services_public())
    if request.method == "GET":
        form = PublicReportForm(services=services_list)
        return render(request, "open311/report.html", _form_context(request, form, district))
    form = PublicReportForm(request.POST, services=services_list)
    if district is None:
        return render(request, "open311/report.html", _form_context(request, form, district), status=503)
    if request.POST.get("website"):
        return _refuse(
            request, form, district, reason="honeypot", message="提交未被接受，请刷新页面后重试", status=400
        )
    if not form.is_valid():  # a mistake in the form does not count against the limit below
        return render(request, "open311/report.html", _form_context(request, form, district))
    flood = services.rate_limit_hit(
        key=f"report-ip:{_address(request)}", limit=REPORTS_PER_WINDOW, window_seconds=REPORT_WINDOW_SECONDS
    )
    if not flood.allowed:
        return _refuse(
            request,
            form,
            district,
            reason="flood",
            message=FLOOD_MESSAGE.format(minutes=max(1, round(flood.retry_after / 60))),
            status=429,
            audit=flood.first_refusal,
        )
    data = form.cleaned_data
    photos = request.FILES.getlist("photos")
    service = selectors.service_get(data["service_code"])
    try:
        services.photos_check(photos)
        place = services.place_resolve(
            district=district,
            lat="" if data["lat"] is None else str(data["lat"]),
            lon="" if data["lon"] is None else str(data["lon"]),
            address_string=data["address"],
        )
        result = services.service_request_submit(
            actor=services.public_page_actor(district),
            channel=Channel.WEB,
            event_type=service,
            district=district,
            place=place,
            description=data["description"],
            raw_attributes=raw_attributes(request.POST),
            last_name=data["name"],
            phone=data["phone"],
            idempotency_key=data["nonce"],
            files=photos,
        )
    except InvalidInput as error:
        if error.code in ABUSE_CODES:
            return _refuse(request, form, district, reason=error.code, message=error.message, status=400)
        details = error.details if isinstance(error.details, dict) else {}
        messages = [str(p) for f, p in details.items() if f.startswith("attribute[")] or [error.message]
        for message in messages:
            form.add_error(None, message)
        return render(request, "open311/report.html", _form_context(request, form, district))
    return redirect(f"{reverse('report:track_token', args=[result.request.token])}?new=1")


@require_GET
def attributes(request: HttpRequest) -> HttpResponse:
    """The extra questions of one service (an HTMX fragment swapped in when the type changes)."""
    code = request.GET.get("service_code", "")
    service = selectors.services_public().filter(code=code).first() if code else None
    return render(
        request,
        "open311/_attributes.html",
        {"questions": questions(attributes_of(service) if service else [], {})},
    )


@require_GET
@cache_control(public=True, max_age=600)
def grids(request: HttpRequest) -> JsonResponse:
    """The district's grid outlines for the map (drawn instead of map tiles, which closed networks lack)."""
    district = selectors.jurisdiction_default()
    cache_key = f"open311:grids:{district.code if district else ''}"
    data = cache.get(cache_key)
    if data is None:
        rows = Grid.objects.filter(code_prefix_q("code", district.code)) if district else Grid.objects.none()
        data = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": name}, "geometry": boundary}
                for name, boundary in rows.order_by("code").values_list("name", "boundary")
            ],
        }
        cache.set(cache_key, data, 600)
    return JsonResponse(data)


def _lookup_allowed(request: HttpRequest) -> bool:
    decision = services.rate_limit_hit(key=f"lookup-ip:{_address(request)}", limit=LOOKUPS_PER_MINUTE)
    if not decision.allowed and decision.first_refusal:
        services.abuse_record(action="open311.page_lookup", reason="flood")
    return decision.allowed


def _track(request: HttpRequest, event: Event, *, new: bool = False) -> HttpResponse:
    timeline = selectors.request_timeline(event)
    summary = selectors.public_summary(event)
    summary["address"] = redact(summary["address"], names=[event.reporter_name])
    context = _context(
        selectors.jurisdiction_default(),
        summary=summary,
        status_label=PAGE_STATUS_LABELS.get(event.status) or PublicStatus(summary["status"]).label,
        steps=list(reversed(timeline.steps)),
        new=new,
        lookup=LookupForm(initial={"number": event.number}),
    )
    return render(request, "open311/track.html", context)


@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """Look a request up by its number."""
    form = LookupForm(request.GET or None)
    district = selectors.jurisdiction_default()
    if not form.is_bound:
        return render(request, "open311/lookup.html", _context(district, lookup=form))
    if not _lookup_allowed(request):
        form.add_error(None, "查询过于频繁，请稍后再试")
        return render(request, "open311/lookup.html", _context(district, lookup=form), status=429)
    if form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        event = (
            Event.objects.filter(open311__isnull=False, number=number)
            .select_related("event_type", "holder_unit")
            .first()
        )
        if event is not None:
            return _track(request, event)
        form.add_error("number", "没有找到这个编号的反映事项，请核对后重试")
    return render(request, "open311/lookup.html", _context(district, lookup=form), status=404)


@require_GET
def track_token(request: HttpRequest, token: str) -> HttpResponse:
    """A request by its private tracking link (shown once filed)."""
    allowed = _lookup_allowed(request)
    public = (
        Open311Request.objects.select_related("event__event_type", "event__holder_unit")
        .filter(token=token)
        .first()
    )
    if public is None or not allowed:
        context = _context(
            selectors.jurisdiction_default(),
            lookup=LookupForm(),
            error="链接无效或查询过于频繁，请用事件编号查询",
        )
        return render(request, "open311/lookup.html", context, status=404 if allowed else 429)
    return _track(request, public.event, new=request.GET.get("new") == "1")
