"""Keyset pagination for the API's lists, newest first: the cursor is the last row's (time, id), opaque to clients
(URL-safe base64 of JSON), so a page never skips or repeats a row however many are added meanwhile."""

import base64
import binascii
import datetime as dt
import json
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from .errors import InvalidInput

M = TypeVar("M", bound=Model)


def cursor_encode(at: dt.datetime, pk: int) -> str:
    raw = json.dumps([at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at_text, pk = json.loads(raw)
        at = dt.datetime.fromisoformat(at_text)
        if at.tzinfo is None or not isinstance(pk, int):
            raise ValueError(cursor)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise InvalidInput(
            "分页游标无效，请从第一页重新查询", code="invalid_cursor", details={"cursor": cursor}
        ) from None
    return at, pk


def page_after(
    rows: QuerySet[M], *, field: str, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of `rows` (already ordered by `field` then id, newest first) after `cursor`, and the next page's
    cursor (None on the last page)."""
    if cursor:
        at, pk = cursor_decode(cursor)
        rows = rows.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk}))
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    last: Any = page[-1] if page else None
    return page, cursor_encode(getattr(last, field), last.pk) if more else None
