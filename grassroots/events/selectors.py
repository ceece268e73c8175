"""Reads of events that carry rules: the list's filters within the viewer's scope, the status light, cursor
pagination, the detail with everything it shows, the reporter masked by role, and the type catalogue as a tree."""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record_read
from grassroots.core.errors import InvalidInput
from grassroots.core.masking import mask_email
from grassroots.core.scope import code_prefix_q
from grassroots.people.choices import Role
from grassroots.people.selectors import personal_data, sees_personal_data

from .choices import Status
from .models import Assignment, Event, EventType, ExtensionRequest, SupervisionOrder, Transition
from .permissions import access_event, visible_to

MAX_PAGE = 200
Light = Literal["green", "yellow", "red"]
LIGHTS = ("green", "yellow", "red")
# Region codes by the level they name: township 9 digits, village 12, grid 14.
CODE_LENGTHS = {"township": 9, "village": 12, "grid": 14}


# -- the status light ---------------------------------------------------------------------------------------


def light_of(
    *, overdue: bool, warn_at: dt.datetime | None, deadline: dt.datetime | None, now: dt.datetime
) -> Light | None:
    """Red when flagged overdue or past the deadline, yellow from the warning point (80%), else green.

    None when no clock runs (the stage has no deadline).
    """
    if overdue or (deadline is not None and now > deadline):
        return "red"
    if deadline is None:
        return None
    if warn_at is not None and now >= warn_at:
        return "yellow"
    return "green"


def light_q(light: str, now: dt.datetime) -> Q:
    """The events whose `light_of` is `light` at `now`, as a filter (the same rule, in SQL)."""
    red = Q(overdue=True) | Q(deadline__lt=now)
    if light == "red":
        return red
    running = Q(overdue=False, deadline__gte=now)
    if light == "yellow":
        return running & Q(warn_at__lte=now)
    return running & (Q(warn_at__isnull=True) | Q(warn_at__gt=now))


# -- the list -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    statuses: Sequence[str] = ()
    level: int | None = None
    platform: str = ""
    type_code: str = ""
    grid: str = ""
    village: str = ""
    township: str = ""
    unit_id: int | None = None
    light: str = ""
    overdue: bool | None = None
    reported_from: dt.datetime | None = None
    reported_to: dt.datetime | None = None
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
    if filters.light:
        events = events.filter(light_q(filters.light, now))
    if filters.overdue is not None:
        events = events.filter(overdue=filters.overdue)
    if filters.reported_from is not None:
        events = events.filter(reported_at__gte=filters.reported_from)
    if filters.reported_to is not None:
        events = events.filter(reported_at__lte=filters.reported_to)
    if filters.q:
        q = filters.q.strip()
        events = events.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(address__icontains=q)
        )
    return events.select_related("event_type", "holder_unit", "grid", "village", "township").order_by(
        "-reported_at", "-id"
    )


# -- cursor pagination over (reported_at, id), newest first --------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: list[Event]
    next: str | None


def cursor_encode(event: Event) -> str:
    raw = json.dumps([event.reported_at.isoformat(), event.pk]).encode()
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


def events_page(*, events: QuerySet[Event], cursor: str | None, limit: int) -> Page:
    """One page of `events` (already ordered newest first) after `cursor`; `next` is None on the last page."""
    limit = max(1, min(limit, MAX_PAGE))
    if cursor:
        at, pk = cursor_decode(cursor)
        events = events.filter(Q(reported_at__lt=at) | Q(reported_at=at, pk__lt=pk))
    rows = list(events[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next=cursor_encode(rows[-1]) if more else None)


# -- one event ----------------------------------------------------------------------------------------------


def event_detail(*, viewer: Any, event_id: int) -> Event:
    """The event with its history, assignments, orders, requests, files and merged reports; 404 out of scope."""
    event = access_event(viewer, event_id)
    return (
        Event.objects.select_related(
            "event_type",
            "holder_unit",
            "grid",
            "village",
            "township",
            "first_receiver",
            "verifier",
            "merged_into",
        )
        .prefetch_related(
            Prefetch(
                "transitions", queryset=Transition.objects.select_related("actor", "unit").order_by("seq")
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit").order_by("round", "role", "id"),
            ),
            Prefetch(
                "supervision_orders",
                queryset=SupervisionOrder.objects.select_related("unit", "issued_by").order_by(
                    "issued_at", "id"
                ),
            ),
            Prefetch(
                "extension_requests",
                queryset=ExtensionRequest.objects.select_related("assignment__unit").order_by(
                    "requested_at", "id"
                ),
            ),
            "attachments",
            Prefetch("merged", queryset=Event.objects.order_by("reported_at", "id")),
        )
        .get(pk=event.pk)
    )


# -- the type catalogue -------------------------------------------------------------------------------------


def event_types_tree() -> list[tuple[EventType, list[EventType]]]:
    """Active major classes with their active subclasses, in code order (two queries)."""
    types = list(EventType.objects.filter(is_active=True).prefetch_related("limits").order_by("code"))
    children: dict[int, list[EventType]] = {}
    for t in types:
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    return [(t, children.get(t.pk, [])) for t in types if t.parent_id is None]


# -- the reporter, as a viewer may see them -----------------------------------------------------------------

# Handling units never see who reported (DOMAIN.md §10), whatever else their role allows.
HANDLING_ROLES = frozenset(
    {Role.DEPARTMENT_STAFF, Role.VILLAGE_STAFF, Role.INSPECTOR, Role.WINDOW_CLERK, Role.MEDIATOR}
)
REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email")


def hides_reporter(viewer: Any, event: Event) -> bool:
    """Whether `viewer` is on the handling side of `event`: by role, or because their unit was assigned it."""
    if getattr(viewer, "is_superuser", False):
        return False
    if getattr(viewer, "role", "") in HANDLING_ROLES:
        return True
    unit_id = getattr(viewer, "unit_id", None)
    return bool(unit_id) and any(a.unit_id == unit_id for a in event.assignments.all())


def event_reporter_shown(*, viewer: Any, event: Event, purpose: str) -> dict[str, Any]:
    """The reporter's name, phone and email masked by role; an unmasked read by anyone else is audited."""
    hidden = hides_reporter(viewer, event)
    shown = personal_data(
        viewer=None if hidden else viewer,
        name=event.reporter_name,
        phone=event.reporter_phone,
        id_number="",
        subject_id=None if hidden else event.reporter_id,
    )
    masked = hidden or not sees_personal_data(viewer, event.reporter_id)
    email = mask_email(event.reporter_email) if masked and event.reporter_email else event.reporter_email
    own = event.reporter_id is not None and event.reporter_id == getattr(viewer, "pk", None)
    if not masked and not own and any(getattr(event, f) for f in REPORTER_FIELDS):
        audit_record_read(actor=viewer, objects=[event], fields=REPORTER_FIELDS, purpose=purpose)
    return {
        "name": shown["name"],
        "phone": shown["phone"],
        "email": email,
        "anonymous": event.anonymous,
        "masked": masked,
    }
