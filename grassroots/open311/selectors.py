"""Reads for the public: the jurisdiction, the services, the published requests and each step they took.

Only events filed by the public (with an `Open311Request` row) are published, and only what the public may know:
type, place, times, public status and notes, the responsible unit. Never the reporter.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from grassroots.core.errors import InvalidInput, NotFound
from grassroots.core.scope import code_prefix_q
from grassroots.events.choices import AssignmentRole, SuspensionKind
from grassroots.events.models import Assignment, Event, EventType, Transition
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division

from .choices import INTERNAL_ACTIONS, PUBLIC_STATUS, REQUEST_STATUSES, PublicStatus
from .models import Open311Request, ServiceAttribute
from .validation import parse_datetime

MAX_SPAN = dt.timedelta(days=90)
MAX_RESULTS = 1000


# -- jurisdiction ---------------------------------------------------------------------------------------------


def _districts() -> QuerySet[Division]:
    return Division.objects.filter(level=DivisionLevel.DISTRICT, valid_to__isnull=True)


def jurisdiction_default() -> Division | None:
    """The district this server answers for when no `jurisdiction_id` is given.

    `settings.OPEN311_JURISDICTION` names it by its code; any other value (a domain name, say) is an alias of the
    first district. Unset: the first district.
    """
    configured = str(getattr(settings, "OPEN311_JURISDICTION", "") or "")
    if configured:
        named = _districts().filter(code=configured).first()
        if named is not None:
            return named
    return _districts().order_by("code").first()


def jurisdiction_resolve(jurisdiction_id: str | None) -> Division:
    """The district a `jurisdiction_id` names: empty or the configured alias → the default; a district code."""
    wanted = (jurisdiction_id or "").strip()
    configured = str(getattr(settings, "OPEN311_JURISDICTION", "") or "")
    district = None
    if not wanted or wanted == configured:
        district = jurisdiction_default()
    elif wanted.isdigit() and len(wanted) == 6:
        district = _districts().filter(code=wanted).first()
    if district is None:
        raise NotFound(f"未知的 jurisdiction_id：{wanted}", code="unknown_jurisdiction")
    return district


# -- services -------------------------------------------------------------------------------------------------


def services_public() -> QuerySet[EventType]:
    """The event types the public may report: public, active, leaves of the tree (subclasses)."""
    # A class whose subclasses are all off stays a class; a subclass may name an older version of its class.
    children = EventType.objects.in_force().filter(parent__code=OuterRef("code"))
    return (
        EventType.objects.in_force()
        .filter(is_public=True, is_active=True)
        .exclude(Exists(children))
        .select_related("parent")
        .annotate(has_attributes=Exists(ServiceAttribute.objects.filter(event_type=OuterRef("pk"))))
        .order_by("code")
    )


def service_get(code: str) -> EventType:
    service = services_public().filter(code=code).first()
    if service is None:
        raise NotFound(f"未知的 service_code：{code}", code="unknown_service")
    return service


def services_by_codes(codes: Sequence[str]) -> list[EventType]:
    found = {s.code: s for s in services_public().filter(code__in=list(codes))}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise NotFound(f"未知的 service_code：{', '.join(unknown)}", code="unknown_service")
    return [found[c] for c in codes]


# -- requests -------------------------------------------------------------------------------------------------


def comma_list(value: str | None) -> list[str]:
    """`a,b, c` → ["a", "b", "c"]; empty items dropped, order kept, duplicates removed."""
    return list(dict.fromkeys(p.strip() for p in (value or "").split(",") if p.strip()))


def window_parse(
    start: str | None, end: str | None, *, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The date window of a query: at most 90 days; by default the last 90 days."""
    now = now or timezone.now()
    start_at = parse_datetime(start, field="start_date") if start and start.strip() else None
    end_at = parse_datetime(end, field="end_date") if end and end.strip() else None
    if start_at is None and end_at is None:
        return now - MAX_SPAN, now
    if start_at is None:
        assert end_at is not None
        return end_at - MAX_SPAN, end_at
    if end_at is None:
        return start_at, start_at + MAX_SPAN
    if end_at < start_at:
        raise InvalidInput("end_date 早于 start_date")
    if end_at - start_at > MAX_SPAN:
        raise InvalidInput("start_date 与 end_date 的跨度不能超过 90 天")
    return start_at, end_at


def statuses_parse(value: str | None) -> set[str] | None:
    """Loop statuses for `status=open,closed`; None when not filtered."""
    wanted = comma_list(value)
    if not wanted:
        return None
    unknown = [w for w in wanted if w not in REQUEST_STATUSES]
    if unknown:
        raise InvalidInput(f"status 只能是 open 或 closed：{', '.join(unknown)}")
    return set().union(*(REQUEST_STATUSES[w] for w in wanted))


def _published(district: Division) -> QuerySet[Event]:
    lead = (
        Assignment.objects.filter(role=AssignmentRole.LEAD).select_related("unit").order_by("-round", "-id")
    )
    return (
        Event.objects.filter(open311__isnull=False)
        .filter(code_prefix_q("region_code", district.code))
        .select_related("event_type", "open311", "holder_unit")
        .prefetch_related(Prefetch("assignments", queryset=lead, to_attr="lead_assignments"))
    )


@dataclass(frozen=True)
class RequestQuery:
    ids: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: set[str] | None = None


def requests_find(*, district: Division, query: RequestQuery) -> list[Event]:
    """Published requests: by id (overriding everything else), or by type, window and status; newest first."""
    events = _published(district)
    if query.ids:
        return list(events.filter(number__in=list(query.ids)).order_by("-reported_at", "-id")[:MAX_RESULTS])
    if query.service_codes:
        events = events.filter(event_type__code__in=list(query.service_codes))
    if query.start is not None:
        events = events.filter(reported_at__gte=query.start)
    if query.end is not None:
        events = events.filter(reported_at__lte=query.end)
    if query.statuses is not None:
        events = events.filter(status__in=sorted(query.statuses))
    return list(events.order_by("-reported_at", "-id")[:MAX_RESULTS])


def request_get(*, district: Division, request_id: str) -> Event:
    event = _published(district).filter(number=request_id).first()
    if event is None:
        raise NotFound(f"未知的 service_request_id：{request_id}", code="unknown_request")
    return event


def request_by_token(*, district: Division, token: str) -> Open311Request:
    found = (
        Open311Request.objects.select_related("event")
        .filter(token=token)
        .filter(code_prefix_q("event__region_code", district.code))
        .first()
    )
    if found is None:
        raise NotFound("未知的 token", code="unknown_token")
    return found


def agency_responsible(event: Event) -> str | None:
    """The unit answering for the event: the lead unit of its latest dispatch, else the unit holding it."""
    leads: list[Assignment] | None = getattr(event, "lead_assignments", None)
    if leads is None:  # not prefetched
        leads = list(
            event.assignments.filter(role=AssignmentRole.LEAD)
            .select_related("unit")
            .order_by("-round", "-id")
        )
    if leads:
        return leads[0].unit.name
    return event.holder_unit.name if event.holder_unit_id and event.holder_unit else None


def expected_at(event: Event) -> dt.datetime | None:
    if PUBLIC_STATUS[event.status] in {PublicStatus.CLOSED, PublicStatus.DUPLICATE}:
        return None
    return event.due_at or event.deadline


# -- the steps of each request --------------------------------------------------------------------------------


def _unit(transition: Transition) -> str:
    return transition.unit.name if transition.unit_id and transition.unit else "承办单位"


def public_note(transition: Transition) -> str:
    """What the public is told about one step: a fixed sentence, never the staff's free text."""
    action, to = transition.action, transition.to_status
    data = transition.data or {}
    if action == "report":
        return "已收到您的反映，等待受理"
    if action == "verify":
        return {
            "verifying": "已安排网格员现场核实",
            "verified": "经现场核实，情况属实",
            "invalid": "经现场核实，反映的情况不存在或已消除",
        }.get(to, "核实中")
    if action == "check":
        if to == "checking":
            return "已安排人员现场核查处置结果"
        if to == "checked":
            return "处置结果经核查合格"
        return "处置结果核查未通过，已要求重新处置"
    if action == "decide_extension":
        return "承办单位的延期申请已获批准" if data.get("approve") else "承办单位的延期申请未获批准"
    if action == "decide_suspension":
        if not data.get("approve"):
            return "承办单位的暂停办理申请未获批准"
        kind = data.get("kind")
        reason = SuspensionKind(kind).label if kind in SuspensionKind.values else "其他"
        return f"因{reason}暂停办理，期间不计入办理时限"
    if action == "sign" and to != "signed":
        return f"{_unit(transition)}已签收"
    return {
        "self_handle": "网格员已现场处置",
        "register": "已立案，等待派遣",
        "void": "经审查，不属于本平台受理范围",
        "merge": "与已受理的同一问题合并办理",
        "dispatch": f"已派遣{_unit(transition)}处置",
        "sign": f"{_unit(transition)}已签收",
        "handle": f"{_unit(transition)}正在处置",
        "return": "承办单位申请调整，正在重新派遣",
        "request_extension": "承办单位申请延长办理时限",
        "request_suspension": "承办单位申请暂停办理",
        "resume": "已恢复办理",
        "feed_back": f"{_unit(transition)}已处置完毕，等待核查",
        "callback": "已回访反映人",
        "settle": "指挥室已直接答复办理",
        "refer_to_leaders": "已提交领导研判",
        "decide_route": "领导已研判，按研判意见分流办理",
        "inform_reporter": "办理结果已反馈反映人",
        "close": "已办结",
        "archive": "已归档",
        "reopen": "问题重新办理",
        "escalate": "已提交上级协调办理",
        "deescalate": "已交由属地办理",
        "supervise": "已督办",
    }.get(action, "办理进展更新")


@dataclass
class Update:
    transition: Transition
    event: Event
    status: str
    description: str


def updates_find(
    *,
    district: Division,
    start: dt.datetime,
    end: dt.datetime,
    ids: Sequence[str] = (),
) -> list[Update]:
    """Every public step of published requests in the window, oldest first (a client polls from its last one)."""
    transitions = (
        Transition.objects.filter(event__open311__isnull=False, at__gte=start, at__lte=end)
        .filter(code_prefix_q("event__region_code", district.code))
        .exclude(action__in=sorted(INTERNAL_ACTIONS))
        .select_related("event", "unit")
        .order_by("at", "id")
    )
    if ids:
        transitions = transitions.filter(event__number__in=list(ids))
    return [
        Update(transition=t, event=t.event, status=PUBLIC_STATUS[t.to_status], description=public_note(t))
        for t in transitions[:MAX_RESULTS]
    ]


@dataclass
class Timeline:
    event: Event
    steps: list[Update] = field(default_factory=list)


def request_timeline(event: Event) -> Timeline:
    """One request's public steps, for the report page's status look-up."""
    transitions = (
        Transition.objects.filter(event=event)
        .exclude(action__in=sorted(INTERNAL_ACTIONS))
        .select_related("unit")
        .order_by("seq")
    )
    return Timeline(
        event=event,
        steps=[
            Update(transition=t, event=event, status=PUBLIC_STATUS[t.to_status], description=public_note(t))
            for t in transitions
        ],
    )


def status_notes(event: Event) -> str | None:
    last = (
        Transition.objects.filter(event=event)
        .exclude(action__in=sorted(INTERNAL_ACTIONS))
        .select_related("unit")
        .order_by("-seq")
        .first()
    )
    return public_note(last) if last else None


def latest_notes(events: Sequence[Event]) -> dict[int, str]:
    """The public note of each event's last public step, in one query."""
    if not events:
        return {}
    latest: dict[int, Transition] = {}
    rows = (
        Transition.objects.filter(event_id__in=[e.pk for e in events])
        .exclude(action__in=sorted(INTERNAL_ACTIONS))
        .select_related("unit")
        .order_by("event_id", "seq")
    )
    for t in rows:
        latest[t.event_id] = t
    return {event_id: public_note(t) for event_id, t in latest.items()}


def public_summary(event: Event) -> dict[str, Any]:
    """What the report page shows for a request (no reporter, no staff notes)."""
    return {
        "number": event.number,
        "service_name": event.event_type.name,
        "status": PUBLIC_STATUS[event.status],
        "reported_at": event.reported_at,
        "updated_at": event.last_step_at or event.reported_at,
        "address": event.address,
        "agency": agency_responsible(event),
        # Only once a unit has it: before that the running clock is the command room's, not the completion's.
        "expected_at": event.due_at
        if PUBLIC_STATUS[event.status] in {PublicStatus.OPEN, PublicStatus.IN_PROGRESS}
        else None,
    }
