"""Errors no view answered itself: a Chinese page for people; the JSON API and Open311 keep their own error shapes.

config/urls.py names these handlers. The pages are templates (404.html, 403.html, 400.html, 500.html); 500.html is
rendered by Django without a request, so it needs no database, session or context processor to show.
"""

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from config.api import api
from grassroots.open311.formats import render_errors

CJK = re.compile(r"[\u4e00-\u9fff]")
# (code, message) in the API's error shape, by status.
API_ERRORS = {
    400: ("bad_request", "请求无效"),
    403: ("forbidden", "没有权限"),
    404: ("not_found", "没有这个接口"),
    500: ("server_error", "服务器内部错误，请稍后重试"),
}


def _for_programs(request: HttpRequest, status: int) -> HttpResponse | None:
    """The API's or Open311's own error answer when the address is theirs; None for pages."""
    code, message = API_ERRORS[status]
    if request.path.startswith("/api/"):
        return api.create_response(request, {"code": code, "message": message}, status=status)
    if request.path.startswith("/open311/"):
        fmt = "json" if request.path.endswith(".json") else "xml"
        return render_errors(fmt, status, [message])
    return None


def _reason(exception: Exception) -> str:
    # Our views say in Chinese why (事件不存在或不在您的管辖范围内); Django's own words are English and for developers.
    message = exception.args[0] if exception.args else ""
    return message if isinstance(message, str) and CJK.search(message) else ""


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {"request_path": quote(request.path), "reason": _reason(exception)}
    return _for_programs(request, 404) or render(request, "404.html", context, status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {"reason": _reason(exception)}
    return _for_programs(request, 403) or render(request, "403.html", context, status=403)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _for_programs(request, 400) or render(request, "400.html", status=400)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return _for_programs(request, 500) or defaults.server_error(request)
