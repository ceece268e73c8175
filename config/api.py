"""The JSON API (django-ninja). Errors have one shape: {"code": ..., "message": ..., "details": ...}."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from grassroots.assessment.api import indicators_router, results_router
from grassroots.convenience.api import applications_router, items_router, rectifications_router
from grassroots.core.api_auth import API_AUTH
from grassroots.core.edge import document_edge_statuses
from grassroots.core.errors import DomainError
from grassroots.draws.api import router as inspection_draws_router
from grassroots.enforcement.api.cases import router as enforcement_cases_router
from grassroots.enforcement.api.powers import router as powers_router
from grassroots.events.api import router as events_router
from grassroots.events.api import types_router
from grassroots.geo.api import divisions_router, grids_router
from grassroots.inbox.api import router as inbox_router
from grassroots.market.api import router as enterprises_router
from grassroots.market.api.inspections import router as inspections_router
from grassroots.meetings.api import router as meetings_router
from grassroots.meetings.api.notices import router as notices_router
from grassroots.org.api import platforms_router, teams_router, units_router
from grassroots.people.api import router as people_router


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        # The edge (grassroots/core/edge.py) may refuse any operation with these statuses.
        return document_edge_statuses(
            super().get_openapi_schema(*args, **kwargs), "#/components/schemas/ErrorOut"
        )


api = Api(
    title="基层治理“四个平台” API",
    version="1",
    urls_namespace="api",
    auth=API_AUTH,
    description="事件闭环、便民服务办件、网格、人员与组织的接口。错误统一为 {code, message, details}。",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    response = api.create_response(request, exc.as_dict(), status=exc.status)
    if exc.status == 429 and isinstance(exc.details, dict) and "retry_after" in exc.details:
        response["Retry-After"] = str(exc.details["retry_after"])
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc) or "对象不存在或不在您的管辖范围内"
    return api.create_response(request, {"code": "not_found", "message": message}, status=404)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    body = {
        "code": "invalid_input",
        "message": "提交的数据不符合要求，请检查标出的字段",
        "details": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals (a body that is not JSON, a failed CSRF check) in the same shape as ours."""
    if exc.status_code == 400:
        body = {"code": "bad_request", "message": "请求内容无法解析，请提交合法的 JSON 或表单"}
    elif str(exc) == "CSRF check Failed":
        body = {"code": "csrf_failed", "message": "CSRF 校验失败，请刷新页面后重试"}
    else:
        body = {"code": "http_error", "message": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {"code": "unauthenticated", "message": "请先登录，或在 Authorization 头中提供有效的令牌"}
    return api.create_response(request, body, status=401)


api.add_router("/people", people_router, tags=["people"])
api.add_router("/events", events_router)
api.add_router("/event-types", types_router)
api.add_router("/inbox", inbox_router)
api.add_router("/service-items", items_router)
api.add_router("/applications", applications_router)
api.add_router("/rectifications", rectifications_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/inspection-draws", inspection_draws_router)
api.add_router("/inspections", inspections_router)
api.add_router("/powers", powers_router)
# Reference data and figures for integrators (read-only; docs/api.md "Reference data and figures").
api.add_router("/divisions", divisions_router)
api.add_router("/grids", grids_router)
api.add_router("/units", units_router)
api.add_router("/platforms", platforms_router)
api.add_router("/teams", teams_router)
api.add_router("/indicators", indicators_router)
api.add_router("/assessment-results", results_router)
api.add_router("/joint-operations", "grassroots.enforcement.api.operations.router")
api.add_router("/meetings", meetings_router)
api.add_router("/notices", notices_router)
api.add_router("/enforcement-cases", enforcement_cases_router)
api.add_router("/hotline", "grassroots.hotline.api.router")
api.add_router("/disputes", "grassroots.governance.api.disputes.router")
api.add_router("/petitions", "grassroots.governance.api.petitions.router")
