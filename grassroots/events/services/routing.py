"""Modes and routes (seed 000's 直办/交办/督办, seed 003's routing) and 双反馈 (the result to both ends).

- 直办: `event_settle`, the command room's answer closes the matter without a dispatch; the callback follows.
- 督办: `supervised_clock` and `open_supervision` are used by every dispatch round of a supervised event: a
  stricter limit (`EVENTS_SUPERVISED_LIMIT_RATIO` of the type's limit) and a supervision order owned by a leader.
- 领导研判: `event_refer_to_leaders`, `event_decide_route`.
- 双反馈: `event_inform_reporter`, `feedback_missing` (closing is refused while anything is missing).
"""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.notifications.services import notify_after_commit
from grassroots.people.actors import Actor
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import Mode, Status, SupervisionKind, SupervisionReason
from ..clock import CALLBACK_HOURS, Clock, hours_clock
from ..models import Event, SupervisionOrder
from ..routes import LEADERS, ROUTES, route_label
from .core import authorize, commit_step, require, stage_clock_fields

# 督办's stricter limit: a share of the type's limit at the level. domain-rules.md gives no figure for a
# supervised matter's limit, so the default is local (half the normal limit), a setting to change per site.
DEFAULT_SUPERVISED_LIMIT_RATIO = Decimal("0.5")


def supervised_ratio() -> Decimal:
    return Decimal(str(getattr(settings, "EVENTS_SUPERVISED_LIMIT_RATIO", DEFAULT_SUPERVISED_LIMIT_RATIO)))


def leaders_for(event: Event) -> list[Person]:
    """The leaders whose area holds the event (a township's or the district's)."""
    leaders = Person.objects.filter(role=Role.LEADER, is_active=True).exclude(region_code="")
    return [p for p in leaders if event.region_code.startswith(p.region_code)]


def require_leader(event: Event, leader: Person | None) -> Person:
    """督办 is owned by a leader of the event's area."""
    leader = leader or event.leader
    if leader is None:
        raise InvalidInput("督办事件须指定责任领导", details={"leader_id": "必填"})
    if leader.role != Role.LEADER or not event.region_code.startswith(leader.region_code or "-"):
        raise InvalidInput("责任领导须为事件所在地的领导", details={"leader_id": "不是本地领导"})
    return leader


def open_supervision(event: Event, *, actor: Actor, unit_id: int, clock: Clock) -> None:
    """督办 from the start: the supervised event's order, addressed to the lead unit, due with its stricter limit."""
    if SupervisionOrder.objects.filter(
        event=event, kind=SupervisionKind.SUPERVISE, resolved_at__isnull=True
    ).exists():
        return
    leader = event.leader
    SupervisionOrder.objects.create(
        event=event,
        kind=SupervisionKind.SUPERVISE,
        reason=SupervisionReason.LEADER,
        unit_id=unit_id,
        issued_by=actor if actor is not None else leader,
        issued_at=clock.started,
        deadline=clock.deadline,
        note=f"督办件，责任领导：{leader.name}" if leader else "督办件",
    )


@transaction.atomic
def event_settle(*, actor: Actor, event: Event, note: str) -> Event:
    """直办: the operator answers or settles the matter at once; the result is the command room's own. A matter
    whose mode is not decided yet becomes 直办 by it; 交办 and 督办 ones go to units."""
    authorize(event, actor, "settle")
    require(
        event.mode in (Mode.DIRECT, ""),
        "只有办理方式为“直办”的事件可以直接办结；交办、督办事件须派遣处置单位",
        code="mode_not_direct",
    )
    if not note.strip():
        raise InvalidInput("请填写答复或办理结果", details={"note": "必填"})
    now = timezone.now()
    commit_step(
        event,
        actor=actor,
        action="settle",
        to=Status.CHECKED,
        note=note,
        now=now,
        registered_at=event.registered_at or now,
        mode=Mode.DIRECT,
        result_fed_back_at=now,
        **stage_clock_fields(hours_clock(now, CALLBACK_HOURS)),
    )
    return event


@transaction.atomic
def event_refer_to_leaders(*, actor: Actor, event: Event, note: str) -> Event:
    """A major matter goes to the leaders' 研判; nothing is dispatched until a leader decides the route."""
    authorize(event, actor, "refer_to_leaders")
    require(event.route != LEADERS, "该事件已提交领导研判，等待领导决定", code="awaiting_leaders")
    if not note.strip():
        raise InvalidInput("请说明提请研判的理由", details={"note": "必填"})
    commit_step(event, actor=actor, action="refer_to_leaders", note=note, route=LEADERS, route_note="")
    notify_after_commit(
        person_ids=[p.pk for p in leaders_for(event)],
        verb="supervise",
        text=f"请研判重大事项 {event.number}：{event.title}",
        event_id=event.pk,
    )
    return event


@transaction.atomic
def event_decide_route(*, actor: Actor, event: Event, route: str, note: str) -> Event:
    """研判: a leader decides the route, with a note; the command room carries it out (the route's step)."""
    authorize(event, actor, "decide_route")
    require(event.route == LEADERS, "该事件未提交领导研判", code="not_referred")
    if route not in ROUTES or route == LEADERS:
        choices = "、".join(k for k in ROUTES if k != LEADERS)
        raise InvalidInput("分流路径无效", details={"route": f"应为 {choices}"})
    if not note.strip():
        raise InvalidInput("请填写研判意见", details={"note": "必填"})
    commit_step(
        event,
        actor=actor,
        action="decide_route",
        note=note,
        route=route,
        route_note=note,
        leader=actor,
        data={"route": route, "route_label": route_label(route)},
    )
    return event


@transaction.atomic
def event_inform_reporter(*, actor: Actor, event: Event, declined: bool = False, note: str = "") -> Event:
    """双反馈 to the reporter: the operator records how they told the result, or that the reporter declined. A
    further telling (a text after the callback, say) is recorded too; the page offers the form until one is."""
    authorize(event, actor, "inform_reporter")
    if not declined and not note.strip():
        raise InvalidInput("请填写反馈方式和告知的办理结果", details={"note": "必填"})
    now = timezone.now()
    fields = {"reporter_declined": True} if declined else {"reporter_informed_at": now}
    commit_step(
        event,
        actor=actor,
        action="inform_reporter",
        note=note,
        now=now,
        data={"declined": declined},
        **fields,
    )
    return event


def reporter_needs_feedback(event: Event) -> bool:
    """A citizen with a contact must be told; staff reporters get the result in their inbox on closing."""
    return (
        event.reporter_id is None
        and not event.anonymous
        and bool(event.reporter_phone or event.reporter_email)
    )


def feedback_missing(event: Event) -> dict[str, str]:
    """What 双反馈 still lacks, in Chinese, by end: `command` and `reporter`."""
    missing: dict[str, str] = {}
    if event.result_fed_back_at is None:
        missing["command"] = "办理结果尚未反馈指挥室（须核查通过或直接办结）"
    informed = event.reporter_informed_at is not None or event.reporter_declined
    if not informed and reporter_needs_feedback(event):
        missing["reporter"] = "尚未反馈反映人（请回访，或记录反馈；反映人谢绝联系的请注明）"
    return missing


def require_feedback(event: Event) -> None:
    missing = feedback_missing(event)
    if missing:
        raise Conflict(
            "双反馈未完成，不能结案：" + "；".join(missing.values()),
            code="feedback_incomplete",
            details={"missing": sorted(missing)},
        )
