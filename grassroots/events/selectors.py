"""Reads of events that carry rules: the list's filters within the viewer's scope, the status light, cursor
pagination, the detail with everything it shows, the reporter masked by role, the actions a viewer may take, and
the type catalogue as a tree. The API and the pages both read through here, so they cannot drift apart."""

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from grassroots.audit.services import audit_record_read
from grassroots.core.errors import InvalidInput
from grassroots.core.masking import mask_email, mask_name
from grassroots.core.refcache import reference_cached
from grassroots.core.scope import code_prefix_q
from grassroots.geo.codes import district_of, township_of
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role
from grassroots.people.selectors import personal_data, sees_personal_data

from . import routing, rules
from .choices import (
    ACTIVE_ASSIGNMENT,
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    Source,
    Status,
    SupervisionKind,
)
from .models import Assignment, Event, EventType, ExtensionRequest, SupervisionOrder, TimeLimit, Transition
from .permissions import access_event, visible_to
from .services.core import holder_unit_ids

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


@reference_cached(EventType, TimeLimit)
def event_type_by_code(code: str) -> EventType | None:
    """The type with this code, active or not (read on every report, so memoised per process)."""
    return EventType.objects.filter(code=code).first()


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


def actor_namer(*, viewer: Any, event: Event) -> Callable[[Any], str | None]:
    """How people on the event's record are named to `viewer`: the reporter is masked for the handling side."""
    hidden = hides_reporter(viewer, event)

    def name(person: Any) -> str | None:
        if person is None:
            return None
        if hidden and person.pk == event.reporter_id:
            return mask_name(person.name)
        return str(person.name)

    return name


# -- what the viewer may do ---------------------------------------------------------------------------------

# The actions in the order of the loop (the table's order), for buttons and the API's list.
ACTION_ORDER = list(dict.fromkeys(step.action for step in rules.TABLE))


def allowed_actions(*, event: Event, viewer: Any, holder_ids: set[int] | None = None) -> list[str]:
    """What the table lets this viewer try now (the services may still refuse on finer conditions).

    `holder_ids` are the units holding an active assignment, when the caller has them already.
    """
    holders = holder_unit_ids(event) if holder_ids is None else holder_ids
    kinds = rules.actor_kinds(event, viewer, holders)
    return [action for action in ACTION_ORDER if rules.refusal(action, event, kinds) is None]


# What a unit may do with its own assignment: the table's holder steps, narrowed by where its assignment is
# (in joint handling each unit signs and feeds back for itself; "start handling" is said once).
UNIT_ACTIONS = ("sign", "handle", "feed_back", "return", "request_extension")
_UNIT_ACTION_STATES = {
    "sign": {AssignmentStatus.DISPATCHED},
    "handle": {AssignmentStatus.SIGNED},
    "feed_back": {AssignmentStatus.SIGNED, AssignmentStatus.HANDLING},
    "request_extension": set(ACTIVE_ASSIGNMENT),
    "return": set(ACTIVE_ASSIGNMENT),
}


def unit_actions(*, event: Event, assignment: Assignment | None) -> list[str]:
    """The holder steps open to the unit of `assignment` now (no queries)."""
    if assignment is None or assignment.status not in ACTIVE_ASSIGNMENT:
        return []
    kinds = {rules.Actor.HOLDER}
    return [
        action
        for action in UNIT_ACTIONS
        if assignment.status in _UNIT_ACTION_STATES[action] and rules.refusal(action, event, kinds) is None
    ]


def narrow_for_unit(actions: list[str], *, event: Event, assignment: Assignment | None) -> list[str]:
    """`allowed_actions` without the holder steps the viewer's own assignment is past (or not yet at)."""
    mine = set(unit_actions(event=event, assignment=assignment))
    return [a for a in actions if a not in _UNIT_ACTION_STATES or a in mine]


def active_assignment_of(event: Event, unit_id: int | None) -> Assignment | None:
    """The unit's current assignment on `event`, from the prefetched assignments (latest round first)."""
    if not unit_id:
        return None
    mine = [a for a in event.assignments.all() if a.unit_id == unit_id and a.status in ACTIVE_ASSIGNMENT]
    return max(mine, key=lambda a: (a.round, a.pk), default=None)


# -- dispatch: where an event may go, and where it probably should ------------------------------------------

NOT_HANDLERS = (UnitKind.COMMAND_ROOM, UnitKind.COMMAND_CENTRE)
UNIT_KIND_ORDER = [
    UnitKind.DISPATCHED_AGENCY,
    UnitKind.TOWNSHIP_OFFICE,
    UnitKind.VILLAGE_COMMITTEE,
    UnitKind.COUNTY_DEPARTMENT,
]


def dispatch_units(*, region_code: str) -> list[Unit]:
    """The active handling units for an event at `region_code`: its township's offices, agencies and village
    committees, and the district's departments (for level-4 work); agencies first, then by code."""
    township, district = township_of(region_code), district_of(region_code)
    q = Q(kind=UnitKind.COUNTY_DEPARTMENT, division__code=district) if len(district) == 6 else Q(pk__in=[])
    if len(township) == 9:
        q |= code_prefix_q("division__code", township)
    units = Unit.objects.filter(q, is_active=True).exclude(kind__in=NOT_HANDLERS).order_by("code")
    order = {kind: i for i, kind in enumerate(UNIT_KIND_ORDER)}
    return sorted(units, key=lambda u: (order.get(UnitKind(u.kind), 9), u.code))


@dataclass
class UnitSuggestion:
    unit: Unit
    reasons: list[str]


def dispatch_suggestions(*, event: Event, history: int = 2) -> list[UnitSuggestion]:
    """Units to offer first, in this order: the type's default unit, the units that led the most events of the
    same type in this grid (returned assignments do not count: that was the wrong unit), the platform's lead."""
    found: dict[int, UnitSuggestion] = {}

    def add(unit: Unit | None, reason: str) -> None:
        if unit is None or not unit.is_active or unit.kind in NOT_HANDLERS:
            return
        found.setdefault(unit.pk, UnitSuggestion(unit=unit, reasons=[])).reasons.append(reason)

    add(routing.default_unit_for(event), gettext("分类默认处置单位"))
    if event.grid_id is not None and history > 0:
        rows = list(
            Assignment.objects.filter(
                event__grid_id=event.grid_id,
                event__event_type_id=event.event_type_id,
                role=AssignmentRole.LEAD,
            )
            .exclude(status__in=[AssignmentStatus.RETURNED, AssignmentStatus.CANCELLED])
            .exclude(event_id=event.pk)
            .values("unit_id")
            .annotate(n=Count("event_id", distinct=True))
            .order_by("-n", "unit_id")[:history]
        )
        units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
        for row in rows:
            add(units.get(row["unit_id"]), gettext("本网格同类事件办理 %(n)s 件") % {"n": row["n"]})
    if event.township_id is not None and event.platform:
        platform = (
            Platform.objects.filter(township_id=event.township_id, kind=event.platform)
            .select_related("lead_unit")
            .first()
        )
        if platform is not None:
            add(
                platform.lead_unit,
                gettext("%(platform)s平台牵头单位") % {"platform": PlatformKind(event.platform).label},
            )
    return list(found.values())


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


# -- the department desk: one unit's assignments ------------------------------------------------------------

DESK_TABS = ("to_sign", "in_hand", "due_soon", "overdue", "returned", "history")
# What the unit is done with: fed back (awaiting the check, or reworked in a later round) or passed.
DESK_DONE = (AssignmentStatus.FED_BACK, AssignmentStatus.DONE)


def _desk_q(tab: str, now: dt.datetime) -> Q:
    active = Q(status__in=ACTIVE_ASSIGNMENT)
    if tab == "to_sign":
        return Q(status=AssignmentStatus.DISPATCHED)
    if tab == "in_hand":
        return Q(status__in=[AssignmentStatus.SIGNED, AssignmentStatus.HANDLING])
    if tab == "due_soon":
        return active & light_q("yellow", now)
    if tab == "overdue":
        return active & light_q("red", now)
    if tab == "returned":
        return Q(status=AssignmentStatus.RETURNED)
    if tab == "history":
        return Q(status__in=DESK_DONE)
    raise ValueError(tab)


def _desk_cards(rows: QuerySet[Assignment]) -> QuerySet[Assignment]:
    """What a desk card shows, joined in: the event, its type and place, its open order and pending request."""
    return rows.select_related("event", "event__event_type", "event__grid", "event__village").annotate(
        **open_items("event_id")
    )


def desk_assignments(*, unit_id: int, tab: str, now: dt.datetime) -> QuerySet[Assignment]:
    """The unit's assignments on one tab of its desk: most urgent first (returned and done ones: latest first)."""
    rows = _desk_cards(Assignment.objects.filter(_desk_q(tab, now), unit_id=unit_id))
    if tab == "returned":
        return rows.order_by("-returned_at", "-id")
    if tab == "history":
        return rows.order_by(F("fed_back_at").desc(nulls_last=True), "-id")
    return rows.order_by("deadline", "id")


def desk_assignment(*, unit_id: int, event_id: int) -> Assignment | None:
    """The unit's latest assignment on the event, as its desk card shows it."""
    return (
        _desk_cards(Assignment.objects.filter(event_id=event_id, unit_id=unit_id))
        .order_by("-round", "-id")
        .first()
    )


def desk_counts(*, unit_id: int, now: dt.datetime) -> dict[str, int]:
    """How many rows each desk tab has, in one query."""
    counts = {tab: Count("pk", filter=_desk_q(tab, now)) for tab in DESK_TABS}
    return Assignment.objects.filter(unit_id=unit_id).aggregate(**counts)
