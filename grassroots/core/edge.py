"""The edge of every request: what no view should have to think about, answered in each audience's error shape.

- A body larger than settings.REQUEST_MAX_BYTES is refused from its Content-Length header, before a byte is read (413).
- A file in a multipart body is refused once settings.UPLOAD_FILE_MAX_BYTES of it have arrived: the rest of the body
  is not read and no view sees the request (413, `UploadLimitHandler`).
- Input a view did not foresee (an integer past 64 bits that SQLite cannot bind, a date past year 9999 once moved to
  UTC, a multipart body without a boundary) is a refusal of the input, not a server error (400/422).
- Anything the API answers with a status of 400 or more is in its JSON error shape, even when ninja or Django wrote
  it (ninja's plain-text 405); Open311 keeps its own error list. Pages keep Django's handlers (config/errors.py).
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError

from grassroots.core.errors import InvalidInput

# (status, code, message) for what the edge refuses.
TOO_LARGE = (413, "request_too_large", "请求内容过大（上限 {mb} MB），请压缩或分批上传附件")
UNPARSEABLE = (400, "bad_request", "请求内容无法解析（例如表单缺少 boundary），请提交合法的 JSON 或表单")
FILE_TOO_LARGE = (413, "file_too_large", "附件过大（单个文件上限 {mb} MB），未读完即拒收")
OUT_OF_RANGE = (422, "invalid_input", "提交的数字或日期超出允许范围")
STATUS_CODES = {405: "method_not_allowed", 406: "not_acceptable", 415: "unsupported_media_type"}
# Statuses the edge itself may answer on any API operation; the OpenAPI document lists them for every operation.
EDGE_STATUSES = {400: "请求无法解析（如表单缺少 boundary）", 413: "请求内容过大，未读取即拒绝"}

INT64_MAX = 2**63 - 1
# Out-of-range input shows up as one of these where a view passed it on unchecked.
RANGE_ERRORS = (OverflowError,)


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """`{code, message}` for the API, the spec's error list for Open311, plain text elsewhere."""
    if request.path.startswith("/open311/"):
        from grassroots.open311.formats import render_errors

        fmt = "json" if ".json" in request.path else "xml"
        return render_errors(fmt, status, [message])
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def too_large(request: HttpRequest) -> HttpResponse | None:
    """413 when the declared length passes the limit (the body is never read)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        status, code, message = UNPARSEABLE
        return refusal(request, status, code, message)
    limit: int = settings.REQUEST_MAX_BYTES
    if length > limit:
        status, code, message = TOO_LARGE
        return refusal(request, status, code, message.format(mb=limit // (1024 * 1024)))
    return None


class UploadTooLarge(RequestDataTooBig):
    """A file in the body passed UPLOAD_FILE_MAX_BYTES while it was being read."""


# Set on the request by the handler, so the edge answers 413 whichever layer was reading the body when it stopped
# (the CSRF check reads a page's form before its view; ninja reads the API's in its view).
UPLOAD_REFUSED = "_grassroots_upload_refused"


class UploadLimitHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes as they arrive and stops reading past the limit (a
    body whose Content-Length is within REQUEST_MAX_BYTES may still carry one file far past any upload's limit)."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.UPLOAD_FILE_MAX_BYTES:
            if self.request is not None:
                setattr(self.request, UPLOAD_REFUSED, True)
            raise UploadTooLarge(f"file {self.file_name!r} past {settings.UPLOAD_FILE_MAX_BYTES} bytes")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def upload_refused(request: HttpRequest) -> HttpResponse:
    status, code, message = FILE_TOO_LARGE
    return refusal(request, status, code, message.format(mb=settings.UPLOAD_FILE_MAX_BYTES // (1024 * 1024)))


# Dates a governance record can carry; outside this window a date is a typo or a probe (and 0001-01-01 in local time
# does not exist in UTC).
YEARS = (1900, 2200)


def check_year(value: dt.date, *, field: str) -> dt.date:
    """The date or datetime when its year is plausible; InvalidInput naming the field otherwise."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise InvalidInput(
            f"{field} 的年份须在 {YEARS[0]}–{YEARS[1]} 之间",
            code="out_of_range",
            details={field: "年份超出范围"},
        )
    return value


def check_int64(value: int, *, field: str) -> int:
    """The value when a 64-bit column can hold it; InvalidInput naming the field otherwise."""
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise InvalidInput(
            f"{field} 超出允许范围", code="out_of_range", details={field: "超出 64 位整数范围"}
        )
    return value


class EdgeMiddleware:
    """Size before the body, refusals in shape (see the module docstring). Placed first after SecurityMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = too_large(request)
        if refused is not None:
            return refused
        response = self.get_response(request)
        if getattr(request, UPLOAD_REFUSED, False):
            return upload_refused(request)
        if request.path.startswith("/api/") and response.status_code >= 400 and not _is_json(response):
            code = STATUS_CODES.get(response.status_code, "http_error")
            shaped = JsonResponse({"code": code, "message": _text(response)}, status=response.status_code)
            if response.has_header("Allow"):
                shaped["Allow"] = response["Allow"]
            return shaped
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(("/api/", "/open311/")):
            return None
        if getattr(request, UPLOAD_REFUSED, False):
            return upload_refused(request)
        if isinstance(exception, RANGE_ERRORS):
            status, code, message = OUT_OF_RANGE
            status = 400 if request.path.startswith("/open311/") else status
        elif isinstance(exception, (MultiPartParserError, TooManyFieldsSent)):
            status, code, message = UNPARSEABLE
        elif isinstance(exception, RequestDataTooBig):
            status, code, message = TOO_LARGE
            message = message.format(mb=settings.REQUEST_MAX_BYTES // (1024 * 1024))
        else:
            return None
        return refusal(request, status, code, message)


def _is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _text(response: HttpResponse) -> str:
    content = getattr(response, "content", b"")
    text = content.decode("utf-8", "replace").strip() if isinstance(content, bytes) else ""
    return text[:200] if text and "<" not in text else f"请求未被接受（HTTP {response.status_code}）"


def document_edge_statuses(schema: dict[str, Any], error_ref: str) -> dict[str, Any]:
    """The OpenAPI document with the edge's statuses listed on every operation (they can answer anywhere)."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            statuses = dict(EDGE_STATUSES)
            if operation.get("security"):
                statuses[401] = "未登录或令牌无效"
                statuses[429] = "认证失败次数过多，稍后再试（people/throttle.py）"
            if operation.get("parameters") or operation.get("requestBody"):
                # ninja's own validation answers 422 for any parameter or body it cannot parse.
                statuses[422] = "提交的数据不符合要求"
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                statuses[404] = "对象不存在或不在您的管辖范围内"
            documented = {str(status) for status in responses}
            for status, description in statuses.items():
                if str(status) in documented:
                    continue
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": error_ref}}},
                    },
                )
    return schema
