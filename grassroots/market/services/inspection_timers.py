"""What the one timer worker does with an inspection's rectification clock: remind the inspectors to re-check before
the deadline, and mark the open findings late when it passes (they count against the entity's class and the
on-time rectification rate)."""

import datetime as dt

from grassroots.notifications.services import notify_after_commit
from grassroots.workflow.models import Clock

from ..choices import FindingStatus
from ..models import Finding, Inspection
from .risk import risk_refresh


def _inspection(clock: Clock) -> Inspection | None:
    return Inspection.objects.select_related("entity").filter(pk=clock.object_id).first()


def rectification_warn(clock: Clock, now: dt.datetime) -> None:
    inspection = _inspection(clock)
    if inspection is None:
        return
    notify_after_commit(
        person_ids=list(inspection.inspectors.values_list("pk", flat=True)),
        verb="inspection_recheck_due",
        text=f"检查 {inspection.number}（{inspection.entity.name}）整改期限将到，请安排复查",
    )


def rectification_overdue(clock: Clock, now: dt.datetime) -> None:
    inspection = _inspection(clock)
    if inspection is None:
        return
    marked = Finding.objects.filter(inspection=inspection, status=FindingStatus.OPEN).update(late=True)
    if marked:
        risk_refresh(inspection.entity)
        notify_after_commit(
            person_ids=list(inspection.inspectors.values_list("pk", flat=True)),
            verb="inspection_rectification_overdue",
            text=f"检查 {inspection.number}（{inspection.entity.name}）{marked} 项问题逾期未整改，请复查并依法处理",
        )
