"""The Open311 GeoReport v2 endpoints under /open311/v2/ (plain Django views: exact XML/JSON bodies and types).

Views only read parameters, resolve the jurisdiction and call selectors and services; every refusal comes back
as the spec's error list: 404 unknown service, request, token or jurisdiction; 403 missing or bad api_key;
429 over a client's rate limit; 400 anything else.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from grassroots.core.errors import DomainError, Forbidden, NotFound
from grassroots.events.models import Event, EventType

from .. import selectors, services
from ..choices import CLOSED_LOOP_STATUSES, Channel
from ..formats import CONTENT_TYPES, render_errors, render_list, render_object
from ..models import Open311Request, ServiceAttribute
from ..validation import raw_attributes, redact

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-15T00:00:00+08:00"  # bump when the endpoints or their fields change
SERVICE_NOTICE = "已受理。可凭 service_request_id 查询办理进度。"

View = Callable[..., HttpResponse]


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _descriptions(error: DomainError) -> list[str]:
    details = error.details
    if isinstance(details, dict) and details:
        return [f"{error.message}（{field}：{problem}）" for field, problem in details.items()]
    return [error.message]


def endpoint(*methods: str) -> Callable[[View], View]:
    """A GeoReport endpoint: `.xml` or `.json`, the allowed methods, and domain errors as the spec's errors."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in CONTENT_TYPES:
                return render_errors("xml", 400, [f"不支持的格式 .{fmt}：请使用 .xml 或 .json"])
            if request.method not in methods:
                response = render_errors(fmt, 400, [f"该接口不支持 {request.method} 方法"])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except RateLimited as error:
                response = render_errors(fmt, 429, [error.message])
                response["Retry-After"] = str(error.retry_after)
                return response
            except (NotFound, Http404) as error:
                return render_errors(fmt, 404, [getattr(error, "message", None) or "未找到"])
            except Forbidden as error:
                return render_errors(fmt, 403, [error.message])
            except DomainError as error:
                return render_errors(fmt, 400, _descriptions(error))

        return wrapper

    return decorate


def _param(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


# -- discovery and services -----------------------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "OPEN311_CONTACT", "") or "区县社会治理综合指挥中心",
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "")
        or "提交问题需要 API 密钥：请向区县社会治理综合指挥中心申请（管理后台 “Open311 客户端”）。",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render_object(fmt, "discovery", data)


def _service_row(service: EventType) -> dict[str, Any]:
    parent = service.parent
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description or (f"{parent.name} · {service.name}" if parent else service.name),
        "metadata": bool(getattr(service, "has_attributes", False)),
        "type": "realtime",
        "keywords": ",".join(service.keywords.split()),
        "group": service.get_platform_display(),
    }


@endpoint("GET")
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    selectors.jurisdiction_resolve(request.GET.get("jurisdiction_id"))
    rows = [_service_row(s) for s in selectors.services_public()]
    return render_list(fmt, "services", "service", rows)


def _attribute_row(attribute: ServiceAttribute) -> dict[str, Any]:
    return {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description or None,
        "order": attribute.order,
        "description": attribute.description,
        "values": [{"key": str(v["key"]), "name": str(v["name"])} for v in attribute.values or []],
    }


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    selectors.jurisdiction_resolve(request.GET.get("jurisdiction_id"))
    service = selectors.service_get(service_code)
    attributes = ServiceAttribute.objects.filter(event_type=service).order_by("order")
    data = {"service_code": service.code, "attributes": [_attribute_row(a) for a in attributes]}
    return render_object(fmt, "service_definition", data)


# -- requests -------------------------------------------------------------------------------------------------


def _request_row(event: Event, note: str | None) -> dict[str, Any]:
    # The reverse one-to-one is known to mypy only when it has seen this app first: either way is fine.
    public: Open311Request = event.open311  # type: ignore[attr-defined, unused-ignore]
    return {
        "service_request_id": event.number,
        "status": "closed" if event.status in CLOSED_LOOP_STATUSES else "open",
        "status_notes": note,
        "service_name": event.event_type.name,
        "service_code": event.event_type.code,
        "description": redact(event.description, names=[event.reporter_name]) or None,
        "agency_responsible": selectors.agency_responsible(event),
        "service_notice": None,
        "requested_datetime": event.reported_at,
        "updated_datetime": event.last_step_at or event.reported_at,
        "expected_datetime": selectors.expected_at(event),
        "address": redact(event.address, names=[event.reporter_name]) or None,
        "address_id": public.address_id or None,
        "zipcode": None,
        "lat": round(event.lat, 6) if event.lat is not None else None,
        "long": round(event.lon, 6) if event.lon is not None else None,
        "media_url": public.media_url or None,
    }


def _rows(events: list[Event]) -> list[dict[str, Any]]:
    notes = selectors.latest_notes(events)
    return [_request_row(e, notes.get(e.pk)) for e in events]


@endpoint("GET", "POST")
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    params = request.GET
    district = selectors.jurisdiction_resolve(params.get("jurisdiction_id"))
    ids = selectors.comma_list(params.get("service_request_id"))
    if ids:
        query = selectors.RequestQuery(ids=ids)
    else:
        codes = selectors.comma_list(params.get("service_code"))
        selectors.services_by_codes(codes)
        start, end = selectors.window_parse(params.get("start_date"), params.get("end_date"))
        query = selectors.RequestQuery(
            service_codes=codes, start=start, end=end, statuses=selectors.statuses_parse(params.get("status"))
        )
    events = selectors.requests_find(district=district, query=query)
    return render_list(fmt, "service_requests", "request", _rows(events))


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def _authenticate(request: HttpRequest, district: Any) -> Any:
    key = _param(request.POST, "api_key")
    client = services.open_client_authenticate(key)
    if client is None:
        # One audit row per address and minute, however many bad keys it tries.
        tries = services.rate_limit_hit(key=f"open311-badkey:{_client_address(request)}", limit=0)
        if tries.first_refusal:
            services.abuse_record(
                action="open311.authenticate", reason="missing_key" if not key else "bad_key"
            )
        raise Forbidden("缺少 api_key" if not key else "api_key 无效或已吊销")
    if client.district_id != district.pk:
        raise Forbidden(f"该 api_key 不能向{district.name}提交")
    rate = services.rate_limit_hit(key=f"open311-client:{client.pk}", limit=client.rate_limit_per_minute)
    if not rate.allowed:
        if rate.first_refusal:
            services.abuse_record(
                action="open311.rate_limit", reason="flood", detail={"client": client.pk, "limit": rate.limit}
            )
        raise RateLimited(
            f"提交过于频繁：每分钟最多 {rate.limit} 次，请 {rate.retry_after} 秒后重试",
            retry_after=rate.retry_after,
        )
    return client


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    district = selectors.jurisdiction_resolve(data.get("jurisdiction_id"))
    client = _authenticate(request, district)
    code = _param(data, "service_code")
    if not code:
        raise DomainError("缺少 service_code", details={"service_code": "必填"})
    service = selectors.service_get(code)
    header_key = (request.headers.get("Idempotency-Key") or "").strip()
    field_key = _param(data, "idempotency_key")
    if header_key and field_key and header_key != field_key:
        raise DomainError("请求头 Idempotency-Key 与字段 idempotency_key 不一致")
    place = services.place_resolve(
        district=district,
        lat=_param(data, "lat"),
        lon=_param(data, "long"),
        address_string=_param(data, "address_string"),
        address_id=_param(data, "address_id"),
    )
    result = services.service_request_submit(
        actor=client.person,
        channel=Channel.API,
        client=client,
        event_type=service,
        district=district,
        place=place,
        description=data.get("description") or "",
        raw_attributes=raw_attributes(data),
        first_name=_param(data, "first_name"),
        last_name=_param(data, "last_name"),
        email=_param(data, "email"),
        phone=_param(data, "phone"),
        device_id=_param(data, "device_id"),
        account_id=_param(data, "account_id"),
        media_url=_param(data, "media_url"),
        idempotency_key=header_key or field_key or None,
    )
    public = result.request
    row = {
        "service_request_id": public.event.number,
        "service_notice": SERVICE_NOTICE,
        "account_id": public.account_id or None,
    }
    return render_list(fmt, "service_requests", "request", [row], status=201 if result.created else 200)


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    district = selectors.jurisdiction_resolve(request.GET.get("jurisdiction_id"))
    event = selectors.request_get(district=district, request_id=request_id)
    return render_list(fmt, "service_requests", "request", _rows([event]))


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    district = selectors.jurisdiction_resolve(request.GET.get("jurisdiction_id"))
    public = selectors.request_by_token(district=district, token=token)
    row = {"service_request_id": public.event.number, "token": public.token}
    return render_list(fmt, "service_requests", "request", [row])


@endpoint("GET")
def request_updates(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    district = selectors.jurisdiction_resolve(params.get("jurisdiction_id"))
    start, end = selectors.window_parse(params.get("start_date"), params.get("end_date"))
    updates = selectors.updates_find(
        district=district, start=start, end=end, ids=selectors.comma_list(params.get("service_request_id"))
    )
    rows = [
        {
            "update_id": u.transition.pk,
            "service_request_id": u.event.number,
            "status": u.status,
            "updated_datetime": u.transition.at,
            "description": u.description,
            "media_url": None,
            "external_status_code": u.transition.to_status,
        }
        for u in updates
    ]
    return render_list(fmt, "service_request_updates", "request_update", rows)


@csrf_exempt
def unknown(request: HttpRequest) -> HttpResponse:
    fmt = "json" if request.path.endswith(".json") else "xml"
    return render_errors(fmt, 404, ["没有这个接口：可用接口见 discovery.xml"])
