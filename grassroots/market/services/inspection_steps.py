"""The steps on site: 录入检查结果 (checklist, conclusion, findings, photos), 复查 after the rectification deadline,
and 登记行政处罚. One service each; the table is `rules.TABLE`."""

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import InvalidInput
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import ClockState
from grassroots.workflow.clocks import clock_start, clock_stop
from grassroots.workflow.models import Clock

from ..choices import (
    CheckResult,
    Conclusion,
    EntityKind,
    FindingStatus,
    InspectionStatus,
    PenaltyKind,
    Procedure,
)
from ..models import Finding, Inspection, Penalty
from ..services.risk import risk_refresh
from .inspection_common import (
    RECTIFY_CLOCK,
    WORKFLOW,
    authorize,
    check_photos,
    commit,
    rectify_days_default,
    save_photos,
)

# 行政处罚法 第五十一条: on the spot, a fine of at most ¥200 on a citizen, ¥3,000 on an organisation.
SIMPLE_LIMIT = {EntityKind.INDIVIDUAL: Decimal(200)}
SIMPLE_LIMIT_ORGANISATION = Decimal(3000)


def _now(now: dt.datetime | None) -> dt.datetime:
    return (now or timezone.now()).replace(microsecond=0)


def _rectify_days(days: int | None) -> int:
    days = rectify_days_default() if days is None else days
    if not 1 <= days <= 60:
        raise InvalidInput("整改期限应为 1–60 个工作日", code="rectify_days_bad")
    return days


def _start_rectification(inspection: Inspection, days: int, now: dt.datetime) -> dt.date:
    change = clock_start(
        workflow=WORKFLOW,
        object_id=inspection.pk,
        name=RECTIFY_CLOCK,
        unit=LimitUnit.WORKING_DAYS,
        statutory=Decimal(days),
        limit_source=f"责令整改：{days} 个工作日",
        from_next_day=True,
        now=now,
    )
    assert change.clock.due_at is not None
    return timezone.localdate(change.clock.due_at)


def _stop_rectification(inspection: Inspection, *, result: str, actor: Any, now: dt.datetime) -> bool:
    """Stop the running rectification clock; True if it ran late."""
    clock = Clock.objects.filter(
        workflow=WORKFLOW,
        object_id=inspection.pk,
        name=RECTIFY_CLOCK,
        state__in=[ClockState.RUNNING, ClockState.PAUSED],
    ).first()
    if clock is None:
        return False
    return bool(clock_stop(clock=clock, result=result, actor=actor, now=now).data["late"])


def clean_checklist(inspection: Inspection, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The answers, one per check point of the inspection's items; every point of every item answered."""
    items = {item.pk: item for item in inspection.items.all()}
    answers: list[dict[str, Any]] = []
    seen: set[tuple[int, str]] = set()
    for row in rows:
        item_id, point = row.get("item_id"), str(row.get("point", "")).strip()
        if item_id not in items:
            raise InvalidInput(
                "检查表中的事项不属于本次检查", code="checklist_bad_item", details={"item": item_id}
            )
        if row.get("result") not in CheckResult.values or not point:
            raise InvalidInput("检查表每一项须选择符合、不符合或不适用", code="checklist_bad_result")
        seen.add((item_id, point))
        answers.append(
            {"item": item_id, "point": point, "result": row["result"], "note": row.get("note", "")}
        )
    missing = [
        f"{item.name}：{point}"
        for item in items.values()
        for point in getattr(item, "checklist", None) or []
        if (item.pk, point) not in seen
    ]
    if missing:
        raise InvalidInput(
            f"检查表尚有 {len(missing)} 项未填写：{'；'.join(missing[:3])}",
            code="checklist_incomplete",
            details={"missing": missing},
        )
    return answers


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    inspection: Inspection,
    conclusion: str,
    summary: str = "",
    checklist: Sequence[Mapping[str, Any]] = (),
    findings: Sequence[Mapping[str, Any]] = (),
    rectify_days: int | None = None,
    photos: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Inspection:
    """录入检查结果 on site. Problems found need a description each and at least one photo; they open a
    rectification with a deadline in working days."""
    now = _now(now)
    authorize(inspection, actor, "record")
    if conclusion not in Conclusion.values:
        raise InvalidInput("请选择检查结果", code="conclusion_required")
    answers = clean_checklist(inspection, checklist)
    checked = check_photos(photos)
    items = {item.pk for item in inspection.items.all()}
    rows = [f for f in findings if str(f.get("description", "")).strip()]
    if any(f.get("item_id") not in (None, *items) for f in rows):
        raise InvalidInput("问题所属事项不属于本次检查", code="finding_bad_item")
    failed = any(a["result"] == CheckResult.FAIL for a in answers)
    if conclusion == Conclusion.PROBLEMS:
        if not rows:
            raise InvalidInput("发现问题须逐条填写问题描述", code="finding_required")
        if not checked:
            raise InvalidInput("发现问题须上传现场照片", code="photo_required")
    elif rows or failed:
        raise InvalidInput(
            "检查表有不符合项或填写了问题，检查结果应为“发现问题，责令整改”", code="conclusion_mismatch"
        )
    if conclusion == Conclusion.NOT_FOUND and not summary.strip():
        raise InvalidInput("未发现开展经营活动须说明现场情况", code="summary_required")
    days = _rectify_days(rectify_days) if rows else None
    to = InspectionStatus.RECTIFYING if rows else InspectionStatus.CLOSED
    commit(
        inspection,
        actor=actor,
        action="record",
        to=to,
        now=now,
        note=summary.strip(),
        data={"conclusion": conclusion, "findings": len(rows), "photos": len(checked), "rectify_days": days},
        conclusion=conclusion,
        summary=summary.strip(),
        checklist=answers,
        inspected_at=now,
        closed_at=None if rows else now,
    )
    if days is not None:
        due = _start_rectification(inspection, days, now)
        Finding.objects.bulk_create(
            Finding(
                inspection=inspection,
                item_id=f.get("item_id"),
                description=str(f["description"]).strip(),
                status=FindingStatus.OPEN,
                rectify_by=due,
            )
            for f in rows
        )
    save_photos(inspection, checked, stage="record", actor=actor, now=now)
    risk_refresh(inspection.entity)
    return inspection


@transaction.atomic
def inspection_recheck(
    *,
    actor: Any,
    inspection: Inspection,
    rectified: Sequence[int],
    note: str = "",
    rectify_days: int | None = None,
    photos: Sequence[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Inspection:
    """复查: the findings rectified are confirmed; when all are, the inspection closes. Otherwise the rest get a new
    deadline (the first deadline's lateness stays on record)."""
    now = _now(now)
    authorize(inspection, actor, "recheck")
    open_findings = list(inspection.findings.filter(status=FindingStatus.OPEN))
    done = set(rectified)
    if done - {f.pk for f in open_findings}:
        raise InvalidInput("所选问题不属于本次检查的待整改问题", code="finding_bad_id")
    checked = check_photos(photos)
    if not checked:
        raise InvalidInput("复查须上传现场照片", code="photo_required")
    remaining = [f for f in open_findings if f.pk not in done]
    days = _rectify_days(rectify_days) if remaining else None
    if remaining and not note.strip():
        raise InvalidInput("尚有问题未整改，须填写复查情况", code="note_required")
    to = InspectionStatus.RECTIFYING if remaining else InspectionStatus.CLOSED
    commit(
        inspection,
        actor=actor,
        action="recheck",
        to=to,
        now=now,
        note=note.strip(),
        data={"rectified": sorted(done), "remaining": [f.pk for f in remaining], "rectify_days": days},
        closed_at=None if remaining else now,
    )
    late = _stop_rectification(
        inspection, result="rectified" if not remaining else "extended", actor=actor, now=now
    )
    for finding in open_findings:
        finding.rechecks += 1
        finding.recheck_note = note.strip()
        finding.late = finding.late or late or (finding.pk not in done)
        if finding.pk in done:
            finding.status, finding.rectified_at = FindingStatus.RECTIFIED, now
    if remaining:
        due = _start_rectification(inspection, days or 1, now)
        for finding in remaining:
            finding.rectify_by = due
    Finding.objects.bulk_update(
        open_findings, ["rechecks", "recheck_note", "late", "status", "rectified_at", "rectify_by"]
    )
    save_photos(inspection, checked, stage="recheck", actor=actor, now=now)
    risk_refresh(inspection.entity)
    return inspection


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value or "0")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("罚没金额应为数字", code="penalty_bad_amount") from None
    if amount < 0 or amount >= Decimal("1e10"):
        raise InvalidInput("罚没金额应为非负数", code="penalty_bad_amount")
    return amount


@transaction.atomic
def inspection_penalize(
    *,
    actor: Any,
    inspection: Inspection,
    decision_no: str,
    kind: str,
    procedure: str,
    amount: Any,
    violation: str,
    legal_basis: str,
    decided_on: dt.date,
    now: dt.datetime | None = None,
) -> Penalty:
    """登记行政处罚 decided on what the inspection found: the decision's number, kind, amount and legal basis."""
    now = _now(now)
    authorize(inspection, actor, "penalize")
    money = _amount(amount)
    if kind not in PenaltyKind.values or procedure not in Procedure.values:
        raise InvalidInput("请选择处罚种类和程序", code="penalty_bad_kind")
    if not decision_no.strip() or not violation.strip() or not legal_basis.strip():
        raise InvalidInput("处罚决定书文号、违法事实和处罚依据均须填写", code="penalty_incomplete")
    if kind == PenaltyKind.FINE and money == 0:
        raise InvalidInput("罚款须填写金额", code="penalty_bad_amount")
    if decided_on > timezone.localdate(now):
        raise InvalidInput("决定日期不能晚于今天", code="penalty_future_date")
    entity = inspection.entity
    if procedure == Procedure.SIMPLE:
        limit = SIMPLE_LIMIT.get(EntityKind(entity.kind), SIMPLE_LIMIT_ORGANISATION)
        if kind not in (PenaltyKind.WARNING, PenaltyKind.FINE) or money > limit:
            raise InvalidInput(
                f"简易程序只能当场警告或处以 {limit:.0f} 元以下罚款（行政处罚法第五十一条），请按普通程序登记",
                code="penalty_simple_limit",
            )
    if Penalty.objects.filter(decision_no=decision_no.strip()).exists():
        raise InvalidInput("该处罚决定书文号已登记", code="penalty_duplicate")
    commit(
        inspection,
        actor=actor,
        action="penalize",
        to=None,
        now=now,
        data={"decision_no": decision_no.strip(), "kind": kind, "amount": str(money)},
    )
    penalty = Penalty.objects.create(
        entity=entity,
        inspection=inspection,
        decision_no=decision_no.strip(),
        kind=kind,
        procedure=procedure,
        amount=money,
        violation=violation.strip(),
        legal_basis=legal_basis.strip(),
        decided_on=decided_on,
        recorded_by=actor,
        recorded_at=now,
    )
    risk_refresh(entity)
    return penalty
