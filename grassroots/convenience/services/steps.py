"""The steps of an application after it came in, one service each (the table is `rules.TABLE`)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import InvalidInput
from grassroots.org.models import Unit
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import PauseKind, ResultKind
from grassroots.workflow.clocks import clock_pause, clock_resume, clock_stop
from grassroots.workflow.commit import guard_result

from ..choices import DeliveryMethod, Status, VisitKind
from ..models import Application, CorrectionNotice, Window
from .common import add_visit, authorize, commit, promise_clock, record_clock, setting, start_promise_clock

SPECIAL_PROCEDURES = (PauseKind.HEARING, PauseKind.TESTING, PauseKind.EXPERT_REVIEW, PauseKind.NOTICE)


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()).replace(microsecond=0)


def _required(value: str, field: str, message: str) -> str:
    if not value.strip():
        raise InvalidInput(message, code=f"{field}_required", details={field: message})
    return value.strip()


@transaction.atomic
def application_receive(
    *,
    actor: Any,
    application: Application,
    window_id: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The township window takes in what a village agent forwarded: 接件, and the promise clock starts."""
    now = _now(now)
    authorize(application, actor, "receive")
    window = (
        Window.objects.filter(pk=window_id, centre_id=application.centre_id).first() if window_id else None
    )
    _, row = commit(
        application,
        actor=actor,
        action="receive",
        to=Status.RECEIVED,
        note=note,
        now=now,
        received_at=now,
        window=window,
        first_clerk=actor,
        handler=actor,
        handling_unit_id=application.centre.unit_id,
    )
    record_clock(application, row, start_promise_clock(application, now=now))
    return application


@transaction.atomic
def application_accept(
    *,
    actor: Any,
    application: Application,
    pending: Sequence[int] = (),
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """受理: the materials are complete (or the missing ones follow on a written commitment, 容缺)."""
    now = _now(now)
    authorize(application, actor, "accept")
    commit(
        application,
        actor=actor,
        action="accept",
        to=Status.PROCESSING,
        note=note,
        now=now,
        accepted_at=now,
        data={"pending": list(pending)},
    )
    return application


def _supply_by(now: dt.datetime) -> dt.date:
    days = setting("SUPPLY_WORKING_DAYS", 10)
    due = get_calendar().add(now, days, unit=LimitUnit.WORKING_DAYS)
    return timezone.localtime(due).date()


@transaction.atomic
def application_request_correction(
    *,
    actor: Any,
    application: Application,
    items: Sequence[dict[str, Any]],
    note: str = "",
    now: dt.datetime | None = None,
) -> CorrectionNotice:
    """一次性告知: one written list of everything missing; the clock waits until the applicant supplies it."""
    now = _now(now)
    authorize(application, actor, "request_correction")
    listed = [
        {
            "material": i.get("material"),
            "name": str(i.get("name", "")).strip()[:200],
            "reason": str(i.get("reason", "")).strip()[:200],
        }
        for i in items
        if str(i.get("name", "")).strip()
    ]
    if not listed:
        message = "请一次性列出需补正的全部材料"
        raise InvalidInput(message, code="correction_items_missing", details={"items": message})
    _, row = commit(
        application,
        actor=actor,
        action="request_correction",
        to=Status.CORRECTING,
        note=note,
        now=now,
        data={"items": [i["name"] for i in listed]},
    )
    count = CorrectionNotice.objects.filter(application=application).count() + 1
    notice = CorrectionNotice.objects.create(
        application=application,
        number=f"{application.number}-{count}",
        items=listed,
        note=note,
        supply_by=_supply_by(now),
        issued_at=now,
        issued_by=actor,
    )
    change = clock_pause(
        clock=promise_clock(application),
        kind=PauseKind.CORRECTION,
        reason="一次性告知补正",
        actor=actor,
        now=now,
    )
    record_clock(application, row, change)
    return notice


@transaction.atomic
def application_supply(
    *,
    actor: Any,
    application: Application,
    in_person: bool = True,
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """The applicant supplied everything the notice listed: the clock runs again, the application is accepted."""
    now = _now(now)
    authorize(application, actor, "supply")
    fields: dict[str, Any] = {}
    if application.accepted_at is None:
        fields["accepted_at"] = now
    _, row = commit(
        application,
        actor=actor,
        action="supply",
        to=Status.PROCESSING,
        note=note,
        now=now,
        data={"in_person": in_person},
        **fields,
    )
    CorrectionNotice.objects.filter(application=application, supplied_at__isnull=True).update(supplied_at=now)
    record_clock(application, row, clock_resume(clock=promise_clock(application), actor=actor, now=now))
    if in_person:
        add_visit(application, kind=VisitKind.SUPPLY, actor=actor, at=now)
    return application


@transaction.atomic
def application_reject(
    *, actor: Any, application: Application, reason: str, now: dt.datetime | None = None
) -> Application:
    """不予受理, with the written reason the receipt carries."""
    now = _now(now)
    reason = _required(reason, "reason", "请填写不予受理的理由")
    authorize(application, actor, "reject")
    _, row = commit(
        application,
        actor=actor,
        action="reject",
        to=Status.NOT_ACCEPTED,
        note=reason,
        now=now,
        refusal_reason=reason,
        closed_at=now,
    )
    record_clock(
        application,
        row,
        clock_stop(clock=promise_clock(application), result="not_accepted", actor=actor, now=now),
    )
    return application


@transaction.atomic
def application_transfer(
    *, actor: Any, application: Application, unit_id: int, note: str = "", now: dt.datetime | None = None
) -> Application:
    """转办: another unit (another office, or the responsible unit at another level) handles it now."""
    now = _now(now)
    authorize(application, actor, "transfer")
    unit = Unit.objects.filter(pk=unit_id, is_active=True).first()
    if unit is None or unit.pk == application.handling_unit_id:
        message = "请选择另一个在用的办理单位"
        raise InvalidInput(message, code="unit_invalid", details={"unit_id": message})
    commit(
        application,
        actor=actor,
        action="transfer",
        to=None,
        note=note,
        now=now,
        handling_unit=unit,
        data={"unit": unit.name},
    )
    return application


@transaction.atomic
def application_suspend(
    *, actor: Any, application: Application, kind: str, reason: str, now: dt.datetime | None = None
) -> Application:
    """特别程序 (hearing, testing, expert review, notice): its time does not count; the applicant is told in writing."""
    now = _now(now)
    if kind not in SPECIAL_PROCEDURES:
        raise InvalidInput(
            "请选择特别程序的种类", code="kind_invalid", details={"kind": "请选择特别程序的种类"}
        )
    reason = _required(reason, "reason", "请填写特别程序的事由")
    authorize(application, actor, "suspend")
    _, row = commit(
        application,
        actor=actor,
        action="suspend",
        to=Status.SUSPENDED,
        note=reason,
        now=now,
        data={"kind": kind},
    )
    record_clock(
        application,
        row,
        clock_pause(
            clock=promise_clock(application), kind=PauseKind(kind), reason=reason, actor=actor, now=now
        ),
    )
    return application


@transaction.atomic
def application_resume(
    *, actor: Any, application: Application, note: str = "", now: dt.datetime | None = None
) -> Application:
    now = _now(now)
    authorize(application, actor, "resume")
    _, row = commit(application, actor=actor, action="resume", to=Status.PROCESSING, note=note, now=now)
    record_clock(application, row, clock_resume(clock=promise_clock(application), actor=actor, now=now))
    return application


@transaction.atomic
def application_decide(
    *,
    actor: Any,
    application: Application,
    result: str,
    note: str = "",
    reason: str = "",
    appeal_route: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """办结: granted (容缺 granted when materials are still to follow) or refused with reasons and the appeal route."""
    now = _now(now)
    guard_result(result, application.item.allowed_results)
    if result == ResultKind.REFUSED:
        reason = _required(reason, "reason", "不予许可须写明理由")
        appeal_route = _required(appeal_route, "appeal_route", "不予许可须告知申请复议或提起诉讼的途径")
    authorize(application, actor, "decide")
    clock = promise_clock(application)
    _, row = commit(
        application,
        actor=actor,
        action="decide",
        to=Status.DECIDED,
        note=note,
        now=now,
        result=result,
        decided_at=now,
        refusal_reason=reason,
        appeal_route=appeal_route,
    )
    change = clock_stop(clock=clock, result=result, actor=actor, now=now)
    Application.objects.filter(pk=application.pk).update(late=change.clock.overdue)
    application.late = change.clock.overdue
    record_clock(application, row, change)
    return application


@transaction.atomic
def application_deliver(
    *,
    actor: Any,
    application: Application,
    method: str,
    tracking_number: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> Application:
    """送达: collected at the window (a visit), mailed with its tracking number, or sent electronically."""
    now = _now(now)
    if method not in DeliveryMethod.values:
        raise InvalidInput("请选择送达方式", code="method_invalid", details={"method": "请选择送达方式"})
    if method == DeliveryMethod.MAIL:
        tracking_number = _required(tracking_number, "tracking_number", "邮寄送达须填写邮寄单号")
    authorize(application, actor, "deliver")
    commit(
        application,
        actor=actor,
        action="deliver",
        to=Status.DELIVERED,
        note=note,
        now=now,
        delivered_at=now,
        delivery_method=method,
        tracking_number=tracking_number,
        data={"method": method},
    )
    if method == DeliveryMethod.WINDOW:
        add_visit(application, kind=VisitKind.COLLECT, actor=actor, at=now)
    return application


@transaction.atomic
def application_archive(
    *, actor: Any, application: Application, note: str = "", now: dt.datetime | None = None
) -> Application:
    now = _now(now)
    authorize(application, actor, "archive")
    commit(
        application,
        actor=actor,
        action="archive",
        to=Status.ARCHIVED,
        note=note,
        now=now,
        closed_at=application.closed_at or now,
    )
    return application


@transaction.atomic
def application_withdraw(
    *, actor: Any, application: Application, reason: str, now: dt.datetime | None = None
) -> Application:
    """撤件: the applicant withdraws (or the materials promised under 容缺 never came)."""
    now = _now(now)
    reason = _required(reason, "reason", "请填写撤件原因")
    authorize(application, actor, "withdraw")
    clock = None if application.status == Status.FORWARDED else promise_clock(application)
    _, row = commit(
        application,
        actor=actor,
        action="withdraw",
        to=Status.WITHDRAWN,
        note=reason,
        now=now,
        result=ResultKind.WITHDRAWN,
        closed_at=now,
    )
    if clock is not None:
        record_clock(
            application, row, clock_stop(clock=clock, result=ResultKind.WITHDRAWN, actor=actor, now=now)
        )
    return application


@transaction.atomic
def application_record_visit(
    *, actor: Any, application: Application, kind: str, note: str = "", now: dt.datetime | None = None
) -> Application:
    """The applicant came in once more (to ask, to bring something): counted against 最多跑一次."""
    now = _now(now)
    if kind not in VisitKind.values:
        raise InvalidInput("请选择到现场事由", code="kind_invalid", details={"kind": "请选择到现场事由"})
    authorize(application, actor, "record_visit")
    commit(application, actor=actor, action="record_visit", to=None, note=note, now=now, data={"kind": kind})
    add_visit(application, kind=kind, actor=actor, at=now)
    return application
