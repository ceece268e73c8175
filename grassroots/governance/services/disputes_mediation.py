"""Mediation (调解): sessions recorded, the month extended once with the parties' agreement, and its end, an
agreement (written or oral, 第二十八条) that starts the 30 日 for 司法确认, or a failure with the other routes named
(第二十六条)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.clocks import clock_extend
from grassroots.workflow.models import ClockExtension

from ..choices import AGREEMENT_OUTCOMES, DisputeOutcome, DisputeStatus, ReferralRoute
from ..models import Dispute, MediationSession
from .dispute_limits import limit
from .disputes_common import (
    Clocks,
    authorize,
    commit,
    live_clock,
    now_of,
    record_clocks,
    require_text,
    start_clock,
    stop_clock,
)


@transaction.atomic
def dispute_record_session(
    *,
    actor: Any,
    dispute: Dispute,
    held_at: dt.datetime,
    place: str,
    minutes: str,
    attendees: str = "",
    mediators: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> MediationSession:
    """调解工作记录: one session, when and where, which of the dispute's mediators, who attended, the minutes."""
    now = now_of(now)
    authorize(dispute, actor, "record_session")
    place = require_text(place, code="place_required", message="请填写调解地点")
    minutes = require_text(minutes, code="minutes_required", message="请填写调解记录")
    if held_at > now:
        raise InvalidInput("调解时间不能晚于现在", code="session_in_future")
    if dispute.accepted_at is not None and held_at < dispute.accepted_at:
        raise InvalidInput("调解时间不能早于受理时间", code="session_before_acceptance")
    named = set(dispute.mediators.values_list("pk", flat=True))
    chosen = list(mediators) or [actor]
    if any(m.pk not in named for m in chosen):
        raise InvalidInput("主持调解的须是本纠纷指定的调解员", code="session_mediator_not_named")
    _, row = commit(
        dispute,
        actor=actor,
        action="record_session",
        to=DisputeStatus.MEDIATING,
        now=now,
        data={"held_at": held_at.isoformat(), "place": place},
    )
    session = MediationSession.objects.create(
        dispute=dispute,
        held_at=held_at,
        place=place,
        attendees=attendees.strip(),
        minutes=minutes,
        recorded_by=actor,
        recorded_at=now,
    )
    session.mediators.set(chosen)
    row.data = {**row.data, "session": session.pk}
    row.save(update_fields=["data"])
    return session


@transaction.atomic
def dispute_extend(
    *,
    actor: Any,
    dispute: Dispute,
    days: int,
    parties_agreed: bool,
    reason: str,
    now: dt.datetime | None = None,
) -> Dispute:
    """延长调解期限: once, by the parties' agreement, by at most `MEDIATION_EXTENSION_DAYS` natural days."""
    now = now_of(now)
    authorize(dispute, actor, "extend")
    reason = require_text(reason, code="reason_required", message="请说明延长的理由")
    if not parties_agreed:
        raise InvalidInput("延长调解期限须经各方当事人同意", code="parties_not_agreed")
    if days <= 0:
        raise InvalidInput("延长的天数必须大于零", code="extension_not_positive")
    if days > limit("MEDIATION_EXTENSION_DAYS"):
        raise InvalidInput(f"延长不得超过 {limit('MEDIATION_EXTENSION_DAYS')} 日", code="extension_too_long")
    clock = live_clock(dispute, Clocks.MEDIATION)
    if clock is None:
        raise Conflict(
            "纠纷没有正在计时的调解期限", code="clock_missing", details={"clock": Clocks.MEDIATION}
        )
    if ClockExtension.objects.filter(clock=clock).exists():
        raise InvalidInput("调解期限只能延长一次", code="already_extended")
    _, row = commit(
        dispute,
        actor=actor,
        action="extend",
        to=None,
        now=now,
        note=reason,
        data={"days": days, "parties_agreed": True},
    )
    change = clock_extend(
        clock=clock,
        amount=days,
        unit=LimitUnit.NATURAL_DAYS,
        reason=reason,
        requested_by=actor,
        approved_by=actor,
        now=now,
    )
    record_clocks(row, change)
    return dispute


@transaction.atomic
def dispute_agree(
    *,
    actor: Any,
    dispute: Dispute,
    outcome: str,
    terms: str,
    responsibilities: str = "",
    performance_manner: str = "",
    performance_place: str = "",
    performance_due_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Dispute:
    """调解成功: a written agreement (协议书: facts, responsibilities, terms, manner and time of performance) or an
    oral one with its content recorded. The month stops; a written agreement's 30 日 for 司法确认 start."""
    now = now_of(now)
    authorize(dispute, actor, "agree")
    if outcome not in AGREEMENT_OUTCOMES:
        raise InvalidInput("请选择书面协议或口头协议", code="outcome_invalid")
    terms = require_text(terms, code="terms_required", message="请填写协议内容")
    written = outcome == DisputeOutcome.WRITTEN
    if written and (not performance_manner.strip() or performance_due_on is None):
        raise InvalidInput("书面协议须写明履行方式和期限", code="performance_required")
    _, row = commit(
        dispute,
        actor=actor,
        action="agree",
        to=DisputeStatus.AGREED,
        now=now,
        data={"outcome": outcome},
        outcome=outcome,
        concluded_at=now,
        agreement_terms=terms,
        responsibilities=responsibilities.strip(),
        performance_manner=performance_manner.strip(),
        performance_place=performance_place.strip(),
        performance_due_on=performance_due_on,
    )
    stopped = stop_clock(dispute, Clocks.MEDIATION, result="agreed", actor=actor, now=now)
    started = start_clock(dispute, Clocks.CONFIRMATION, now=now) if written else None
    record_clocks(row, stopped, started)
    return dispute


@transaction.atomic
def dispute_fail(
    *,
    actor: Any,
    dispute: Dispute,
    reason: str,
    route: str,
    route_note: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """调解不成: mediation terminated, the parties told of the route to take (仲裁, 行政, 司法 ...)."""
    now = now_of(now)
    authorize(dispute, actor, "fail")
    reason = require_text(reason, code="reason_required", message="请说明调解不成的原因")
    if route not in ReferralRoute.values:
        raise InvalidInput("请选择告知当事人的其他途径", code="referral_route_required")
    _, row = commit(
        dispute,
        actor=actor,
        action="fail",
        to=DisputeStatus.FAILED,
        now=now,
        note=reason,
        data={"route": route},
        outcome=DisputeOutcome.FAILED,
        concluded_at=now,
        failure_reason=reason,
        referral_route=route,
        referral_note=route_note.strip(),
    )
    record_clocks(row, stop_clock(dispute, Clocks.MEDIATION, result="failed", actor=actor, now=now))
    return dispute
