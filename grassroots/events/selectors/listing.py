"""The event list: its filters within the viewer's scope, cursor pages, the live queue's counters, and what a
list row shows of the open supervision orders and requests."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.core.scope import code_prefix_q

from ..choices import OPEN_STATUSES, ExtensionStatus, Source, Status, SupervisionKind
from ..models import Assignment, Event, ExtensionRequest, SupervisionOrder
from ..permissions import visible_to
from .lights import LIGHTS, light_q

MAX_PAGE = 200
# Region codes by the level they name: township 9 digits, village 12, grid 14.
CODE_LENGTHS = {"township": 9, "village": 12, "grid": 14}


# -- what is open on an event: supervision orders, requests awaiting approval -----------------------------------


def open_orders(event_ref: str = "pk") -> QuerySet[SupervisionOrder]:
    """The open supervision orders (督办/催办) of the event at `event_ref`, earliest deadline first."""
    return SupervisionOrder.objects.filter(event_id=OuterRef(event_ref), resolved_at__isnull=True).order_by(
        "deadline", "id"
    )


def pending_requests(event_ref: str = "pk") -> QuerySet[ExtensionRequest]:
    """The requests awaiting approval on the event at `event_ref` (extension requests are the only kind)."""
    return ExtensionRequest.objects.filter(event_id=OuterRef(event_ref), status=ExtensionStatus.PENDING)


def open_items(event_ref: str = "pk") -> dict[str, Any]:
    """Annotations for a list row: the earliest open order's kind and deadline, and whether a request waits;
    correlated subqueries, so a page of rows costs no extra query."""
    orders = open_orders(event_ref)
    return {
        "order_kind": Subquery(orders.values("kind")[:1]),
        "order_deadline": Subquery(orders.values("deadline")[:1]),
        "awaiting_approval": Exists(pending_requests(event_ref)),
    }


def order_label(row: Event | Assignment) -> str:
    """督办 or 催办 for a row annotated with `open_items`; "" without an open order."""
    kind = getattr(row, "order_kind", None)
    return str(SupervisionKind(kind).label) if kind else ""


# -- the list -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    statuses: Sequence[str] = ()
    level: int | None = None
    platform: str = ""
    type_code: str = ""
    source: str = ""
    grid: str = ""
    village: str = ""
    township: str = ""
    unit_id: int | None = None  # held by the unit now, or assigned to it at any time
    holder_unit_id: int | None = None  # held by the unit now
    light: str = ""
    overdue: bool | None = None
    reported_from: dt.datetime | None = None
    reported_to: dt.datetime | None = None
    supervised: bool = False  # under an open supervision order (督办中)
    pending_request: bool = False  # a request of its unit awaits approval (待审批)
    q: str = ""


def _check(filters: EventFilters) -> None:
    errors: dict[str, str] = {}
    unknown = [s for s in filters.statuses if s not in Status.values]
    if unknown:
        errors["status"] = f"未知状态：{', '.join(unknown)}"
    for name, length in CODE_LENGTHS.items():
        code = getattr(filters, name)
        if code and not (code.isdigit() and len(code) == length):
            errors[name] = f"应为 {length} 位数字代码"
    if filters.light and filters.light not in LIGHTS:
        errors["light"] = "应为 green、yellow 或 red"
    if filters.source and filters.source not in Source.values:
        errors["source"] = f"未知来源：{filters.source}"
    if filters.reported_from and filters.reported_to and filters.reported_from > filters.reported_to:
        errors["from"] = "开始时间晚于结束时间"
    if errors:
        raise InvalidInput("筛选条件有误，请按提示修改", details=errors)


def events_list(*, viewer: Any, filters: EventFilters, now: dt.datetime | None = None) -> QuerySet[Event]:
    """The events `viewer` may see that match `filters`, newest first, with what a list row shows joined in."""
    _check(filters)
    now = now or timezone.now()
    events = visible_to(viewer)
    if filters.statuses:
        events = events.filter(status__in=list(filters.statuses))
    if filters.level is not None:
        events = events.filter(level=filters.level)
    if filters.platform:
        events = events.filter(platform=filters.platform)
    if filters.source:
        events = events.filter(source=filters.source)
    if filters.type_code:
        # A major class (大类) selects its subclasses too.
        events = events.filter(
            Q(event_type__code=filters.type_code) | Q(event_type__parent__code=filters.type_code)
        )
    for name in CODE_LENGTHS:
        code = getattr(filters, name)
        if code:
            events = events.filter(code_prefix_q("region_code", code))
    if filters.unit_id is not None:
        assigned = Assignment.objects.filter(unit_id=filters.unit_id).values("event_id")
        events = events.filter(Q(holder_unit_id=filters.unit_id) | Q(pk__in=assigned))
    if filters.holder_unit_id is not None:
        events = events.filter(holder_unit_id=filters.holder_unit_id)
    if filters.light:
        events = events.filter(light_q(filters.light, now))
    if filters.overdue is not None:
        events = events.filter(overdue=filters.overdue)
    if filters.reported_from is not None:
        events = events.filter(reported_at__gte=filters.reported_from)
    if filters.reported_to is not None:
        events = events.filter(reported_at__lte=filters.reported_to)
    if filters.supervised:
        events = events.filter(Exists(open_orders()))
    if filters.pending_request:
        events = events.filter(Exists(pending_requests()))
    if filters.q:
        q = filters.q.strip()
        events = events.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(address__icontains=q)
            | Q(hotline_orders__external_number=q)  # a 12345 work order's number (grassroots.hotline)
        )
    return events.select_related("event_type", "holder_unit", "grid", "village", "township").order_by(
        "-reported_at", "-id"
    )


# -- cursor pagination over (reported_at, id), newest first --------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Event]
    next: str | None


def events_page(*, events: QuerySet[Event], cursor: str | None, limit: int) -> Page:
    """One page of `events` (already ordered newest first) after `cursor`; `next` is None on the last page."""
    rows, after = page_after(events, field="reported_at", cursor=cursor, limit=max(1, min(limit, MAX_PAGE)))
    return Page(items=rows, next=after)


# -- the live queue's counters ------------------------------------------------------------------------------

OPEN_STATUS_ORDER = [s for s in Status if s in OPEN_STATUSES]


def queue_counts(*, events: QuerySet[Event], now: dt.datetime) -> dict[str, Any]:
    """Open events among `events` by light and by status, in one query."""
    counts = {f"light_{light}": Count("pk", filter=light_q(light, now)) for light in LIGHTS}
    counts |= {f"status_{s.value}": Count("pk", filter=Q(status=s)) for s in OPEN_STATUS_ORDER}
    row = events.filter(status__in=OPEN_STATUS_ORDER).order_by().aggregate(total=Count("pk"), **counts)
    return {
        "total": row["total"],
        "lights": {light: row[f"light_{light}"] for light in LIGHTS},
        "statuses": [(s.value, str(s.label), row[f"status_{s.value}"]) for s in OPEN_STATUS_ORDER],
    }
