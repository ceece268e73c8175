"""What every step of an application shares: authorise against the table, compare-and-set the application with
its history and audit rows, keep the promise clock and the application's copy of its due time in step."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from grassroots.core.errors import Conflict
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.clocks import ClockChange, clock_start
from grassroots.workflow.commit import Moved, commit_move
from grassroots.workflow.declaration import Workflow
from grassroots.workflow.models import Clock

from ..models import Application, ApplicationHistory, InPersonVisit
from ..rules import APPLICATION
from ..selectors import actor_kinds

STALE = ("stale_application", "办件已被他人处理或已变化，请刷新后重试")
PROMISE = "promise"  # the one clock of an application: from 接件 to 办结, paused by 补正 and 特别程序


def setting(name: str, default: int) -> int:
    """A local rule of the platform (DOMAIN.md §7 marks them *local*): configuration with this default."""
    return int(getattr(settings, f"CONVENIENCE_{name}", default))


PHONE_ERROR = "联系电话应为 7–12 位数字"


def phone_ok(phone: str) -> bool:
    """A contact number as the window writes it down: 7–12 digits (a landline without or with its area code, a
    mobile), or none."""
    return not phone or (phone.isdigit() and 7 <= len(phone) <= 12)


def authorize(
    application: Application, actor: Any, action: str, *, workflow: Workflow = APPLICATION
) -> set[str]:
    kinds = actor_kinds(application, actor)
    workflow.authorize(action, application.status, kinds, what="办件")
    return kinds


def history_row(
    application: Application,
    action: str,
    actor: Any,
    moved: Moved,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ApplicationHistory:
    return ApplicationHistory.objects.create(
        application=application,
        action=action,
        from_status=moved.from_status,
        to_status=moved.to_status,
        actor=actor,
        at=moved.at,
        note=note,
        data=data or {},
    )


def commit(
    application: Application,
    *,
    actor: Any,
    action: str,
    to: str | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    **fields: Any,
) -> tuple[Moved, Any]:
    """Move the application (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    payload = {k: v for k, v in (data or {}).items() if v not in (None, "", [])}
    return commit_move(
        application,
        workflow=APPLICATION.name,
        actor=actor,
        action=action,
        to=to,
        history=lambda record, moved: history_row(record, action, actor, moved, note, payload),
        data=payload,
        now=now or timezone.now(),
        stale=STALE,
        object_repr=application.number,
        **fields,
    )


def start_promise_clock(application: Application, *, now: dt.datetime) -> ClockChange:
    """The promise clock from 接件: the promised limit of the item's version (the statutory one beside it),
    counted the legal way, from the next day."""
    item = application.item
    unit = LimitUnit(item.limit_unit or LimitUnit.WORKING_DAYS)
    assert item.statutory_limit is not None  # a published item has one (`catalogue_problems`)
    return clock_start(
        workflow=APPLICATION.name,
        object_id=application.pk,
        name=PROMISE,
        unit=unit,
        statutory=item.statutory_limit,
        promised=item.promised_limit,
        limit_source=item.limit_label(item.promised_limit or item.statutory_limit, unit),
        from_next_day=True,
        now=now,
    )


def promise_clock(application: Application) -> Clock:
    clock = (
        Clock.objects.filter(workflow=APPLICATION.name, object_id=application.pk, name=PROMISE)
        .exclude(state="stopped")
        .first()
    )
    if clock is None:
        raise Conflict("办件没有正在计时的承诺时限", code="clock_missing")
    return clock


def record_clock(application: Application, row: ApplicationHistory, change: ClockChange) -> None:
    """Keep the application's copy of the due time, and put the clock's change into the step's history row."""
    due = change.clock.due_at if change.clock.state == "running" else None
    Application.objects.filter(pk=application.pk).update(due_at=due)
    application.due_at = due
    row.data = {**row.data, "clock": change.data}
    row.save(update_fields=["data"])


def add_visit(application: Application, *, kind: str, actor: Any, at: dt.datetime) -> None:
    """The applicant came in person: one more run (跑一次). The caller's compare-and-set already holds the row."""
    InPersonVisit.objects.create(application=application, kind=kind, at=at, recorded_by=actor)
    Application.objects.filter(pk=application.pk).update(visits=F("visits") + 1)
    application.visits += 1
