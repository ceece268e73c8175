"""The lines of an entity's credit file (信用档案), one builder per source: licences, 经营异常名录, inspections with
their findings and re-checks, penalties, risk-class overrides (from the audit log) and the events behind or linked to
inspections. Each line says whether it is public; the selectors that assemble them are in `credit_file.py`."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.people.models import Person
from grassroots.workflow.models import Link

from ..choices import FindingStatus, InspectionKind
from ..models import AbnormalListing, Inspection, InspectionHistory, Licence, Penalty

# The kinds of entry, in the order the filter lists them.
KINDS: dict[str, str] = {
    "licence": "许可证",
    "abnormal": "经营异常名录",
    "inspection": "监督检查",
    "finding": "发现问题与整改",
    "recheck": "复查",
    "penalty": "行政处罚",
    "risk": "风险分类",
    "event": "投诉举报与关联事件",
}
# The kinds the public page may show; entries of other kinds are never public.
PUBLIC_KINDS = frozenset({"licence", "abnormal", "inspection", "penalty"})
EXPIRY_NOTICE_DAYS = 30
RISK_ACTIONS = ("marketentity.risk_override", "marketentity.risk_override_clear")


@dataclass(frozen=True)
class Entry:
    """One dated line of the credit file. `detail` is what the public may read when `public`; `note` is for staff
    only (who did it, lateness, what is not yet published) and is dropped from the public part."""

    on: dt.date
    kind: str
    title: str
    detail: str
    public: bool
    note: str = ""
    late: bool = False
    url: str = ""
    at: dt.datetime | None = None  # orders entries of one day; date-only entries come last in the day
    seq: int = 0

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def visibility(self) -> str:
        return "公示" if self.public else "内部"


def _local(value: dt.datetime) -> dt.date:
    return timezone.localdate(value)


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)


def _names(persons: Iterable[Person]) -> str:
    return "、".join(p.name for p in persons)


# -- the builders: one list of entries per source -------------------------------------------------------------


def licence_entries(licences: Iterable[Licence], today: dt.date) -> list[Entry]:
    entries = []
    for licence in licences:
        kind = licence.get_kind_display()
        validity = f"有效期 {licence.valid_from:%Y-%m-%d} 至 {licence.valid_to:%Y-%m-%d}"
        detail = _join(
            f"编号 {licence.number}", f"发证机关 {licence.issuer}" if licence.issuer else "", validity
        )
        entries.append(
            Entry(on=licence.valid_from, kind="licence", title=f"取得{kind}", detail=detail, public=True)
        )
        days = (licence.valid_to - today).days
        if days < 0:
            entries.append(
                Entry(
                    on=licence.valid_to,
                    kind="licence",
                    title=f"{kind}已过期",
                    detail=f"编号 {licence.number}",
                    public=True,
                    late=True,
                )
            )
        elif days <= EXPIRY_NOTICE_DAYS:
            entries.append(
                Entry(
                    on=licence.valid_to,
                    kind="licence",
                    title=f"{kind}即将到期（{days} 天后）",
                    detail=f"编号 {licence.number}",
                    public=True,
                )
            )
    return entries


def abnormal_entries(listings: Iterable[AbnormalListing], *, internal: bool) -> list[Entry]:
    entries = []
    for listing in listings:
        late = listing.listed_late
        listed_note = f"应于 {listing.list_due_on:%Y-%m-%d} 前列入，逾期列入" if late else ""
        entries.append(
            Entry(
                on=listing.listed_on,
                kind="abnormal",
                title="列入经营异常名录",
                detail=_join(
                    f"列入事由：{listing.get_reason_display()}",
                    f"事由发生日期 {listing.triggered_on:%Y-%m-%d}",
                ),
                note=_join(f"列入人 {listing.listed_by.name}" if listing.listed_by else "", listed_note)
                if internal
                else "",
                public=True,
                late=late,
            )
        )
        if internal and listing.complied_on is not None:
            due = f"应于 {listing.remove_due_on:%Y-%m-%d} 前移出" if listing.remove_due_on else ""
            entries.append(
                Entry(
                    on=listing.complied_on,
                    kind="abnormal",
                    title="已履行义务，待移出经营异常名录",
                    detail=due,
                    public=False,
                )
            )
        if listing.removed_on is not None:
            removed_late = listing.remove_due_on is not None and listing.removed_on > listing.remove_due_on
            entries.append(
                Entry(
                    on=listing.removed_on,
                    kind="abnormal",
                    title="移出经营异常名录",
                    detail=_join(
                        f"移出理由：{listing.removal_reason}", f"原列入事由：{listing.get_reason_display()}"
                    ),
                    note=_join(
                        f"移出人 {listing.removed_by.name}" if listing.removed_by else "",
                        "逾期移出" if removed_late else "",
                    )
                    if internal
                    else "",
                    public=True,
                    late=removed_late,
                )
            )
    return entries


def inspection_url(inspection_id: int) -> str:
    """The inspection's staff page (a link for staff only: the public part carries no links)."""
    return reverse("market:inspection", args=[inspection_id])


def _published(inspection: Inspection) -> bool:
    """A 双随机 result goes public once its draw's results are published (一公开)."""
    return inspection.draw is not None and inspection.draw.results_published_at is not None


def _inspection_title(inspection: Inspection) -> str:
    return f"{inspection.get_kind_display()}（{inspection.number or inspection.pk}）"


def random_result_entry(inspection: Inspection, *, internal: bool) -> Entry:
    """The public line of a recorded 双随机 inspection: who inspected (the unit), when, and the result; staff also
    read the inspectors, the summary and whether it is published yet."""
    assert inspection.inspected_at is not None
    note = ""
    if internal:
        note = _join(
            f"检查编号 {inspection.number}",
            f"检查人员 {_names(inspection.inspectors.all())}",
            f"检查情况：{inspection.summary}" if inspection.summary else "",
            "" if _published(inspection) else "结果尚未公示",
        )
    return Entry(
        on=_local(inspection.inspected_at),
        at=inspection.inspected_at,
        kind="inspection",
        title=f"双随机抽查：{inspection.get_conclusion_display()}",
        detail=_join(
            f"检查实施机关 {inspection.unit.name}", f"检查结果：{inspection.get_conclusion_display()}"
        ),
        note=note,
        public=True,
    )


def inspection_entries(inspection: Inspection, today: dt.date) -> list[Entry]:
    """Everything an inspection puts in the internal file: arranged, recorded (public when 双随机), findings and
    their rectification, re-checks, a cancellation."""
    kind = inspection.get_kind_display()
    inspectors = _names(inspection.inspectors.all())
    source = ""
    if inspection.draw_id:
        source = "源自双随机抽取"
    elif inspection.campaign:
        source = f"专项行动：{inspection.campaign}"
    entries = [
        Entry(
            on=_local(inspection.created_at),
            at=inspection.created_at,
            kind="inspection",
            title=f"安排{_inspection_title(inspection)}",
            detail=_join(
                f"检查单位 {inspection.unit.name}",
                f"检查人员 {inspectors}",
                f"应检查日期 {inspection.due_on:%Y-%m-%d}" if inspection.due_on else "",
                source,
            ),
            public=False,
        )
    ]
    if inspection.inspected_at is not None:
        if inspection.kind == InspectionKind.RANDOM:
            entries.append(random_result_entry(inspection, internal=True))
        else:
            entries.append(
                Entry(
                    on=_local(inspection.inspected_at),
                    at=inspection.inspected_at,
                    kind="inspection",
                    title=f"{kind}：{inspection.get_conclusion_display()}",
                    detail=_join(
                        f"检查编号 {inspection.number}",
                        f"检查单位 {inspection.unit.name}",
                        f"检查人员 {inspectors}",
                        f"检查情况：{inspection.summary}" if inspection.summary else "",
                    ),
                    public=False,
                )
            )
        entries.extend(_finding_entries(inspection, today))
    for step in inspection.history.all():  # prefetched: re-checks and cancellations only
        entries.append(_step_entry(inspection, step))
    page = inspection_url(inspection.pk)
    return [replace(e, url=page) for e in entries]


def _finding_entries(inspection: Inspection, today: dt.date) -> list[Entry]:
    assert inspection.inspected_at is not None
    entries = []
    for finding in inspection.findings.all():
        entries.append(
            Entry(
                on=_local(inspection.inspected_at),
                at=inspection.inspected_at,
                kind="finding",
                title=f"发现问题：{finding.description[:40]}",
                detail=_join(
                    f"问题描述：{finding.description}",
                    f"整改期限 {finding.rectify_by:%Y-%m-%d}",
                    f"检查编号 {inspection.number}",
                ),
                public=False,
            )
        )
        if finding.status == FindingStatus.RECTIFIED and finding.rectified_at is not None:
            entries.append(
                Entry(
                    on=_local(finding.rectified_at),
                    at=finding.rectified_at,
                    kind="finding",
                    title="逾期整改完成" if finding.late else "按期整改完成",
                    detail=_join(f"问题：{finding.description[:60]}", f"复查 {finding.rechecks} 次"),
                    public=False,
                    late=finding.late,
                )
            )
        elif finding.status == FindingStatus.OPEN and finding.rectify_by < today:
            entries.append(
                Entry(
                    on=finding.rectify_by,
                    kind="finding",
                    title="整改逾期未完成",
                    detail=_join(
                        f"问题：{finding.description[:60]}", f"整改期限 {finding.rectify_by:%Y-%m-%d}"
                    ),
                    public=False,
                    late=True,
                )
            )
    return entries


def _step_entry(inspection: Inspection, step: InspectionHistory) -> Entry:
    who = f"操作人 {step.actor.name}" if step.actor else ""
    if step.action == "cancel":
        return Entry(
            on=_local(step.at),
            at=step.at,
            kind="inspection",
            title=f"取消{_inspection_title(inspection)}",
            detail=_join(f"取消理由：{step.note}" if step.note else "", who),
            public=False,
        )
    data = step.data or {}
    done, remaining = len(data.get("rectified", [])), len(data.get("remaining", []))
    return Entry(
        on=_local(step.at),
        at=step.at,
        kind="recheck",
        title=f"复查（{inspection.number}）："
        + ("问题全部整改" if not remaining else f"尚有 {remaining} 项未整改"),
        detail=_join(
            f"确认整改 {done} 项",
            f"复查情况：{step.note}" if step.note else "",
            f"重新限期 {data['rectify_days']} 个工作日" if remaining and data.get("rectify_days") else "",
            who,
        ),
        public=False,
        late=bool(remaining),
    )


def penalty_entry(penalty: Penalty, *, internal: bool) -> Entry:
    unit = penalty.inspection.unit.name if penalty.inspection else ""
    amount = f"罚没金额 {penalty.amount:,.2f} 元" if penalty.amount else ""
    return Entry(
        on=penalty.decided_on,
        kind="penalty",
        title=f"行政处罚：{penalty.get_kind_display()}",
        detail=_join(
            f"决定书文号 {penalty.decision_no}",
            f"处罚种类 {penalty.get_kind_display()}",
            amount,
            f"违法事实：{penalty.violation}",
            f"处罚依据：{penalty.legal_basis}",
            f"决定机关 {unit}" if unit else "",
        ),
        note=_join(
            penalty.get_procedure_display(),
            f"登记人 {penalty.recorded_by.name}",
            f"检查编号 {penalty.inspection.number}" if penalty.inspection else "",
        )
        if internal
        else "",
        public=True,
        url=inspection_url(penalty.inspection_id) if internal and penalty.inspection_id else "",
    )


def risk_entries(rows: Iterable[AuditEntry]) -> list[Entry]:
    entries = []
    for row in rows:
        detail = row.detail or {}
        cleared = row.action.endswith("_clear")
        title = "取消人工调整风险分类" if cleared else f"人工调整风险分类为 {detail.get('to', '')} 类"
        entries.append(
            Entry(
                on=_local(row.at),
                at=row.at,
                kind="risk",
                title=title,
                detail=_join(
                    f"原为 {detail.get('from', '')} 类，现为 {detail.get('to', '')} 类",
                    f"计算结果 {detail.get('computed', '')} 类",
                    f"理由：{detail.get('reason', '')}",
                    f"操作人 {row.actor_label}",
                ),
                public=False,
            )
        )
    return entries


def event_entries(viewer: Any, inspections: list[Inspection]) -> list[Entry]:
    """The complaint events inspections were made for, and events linked to them either way, as far as the viewer
    may see them (two queries: the links, then the events)."""
    from grassroots.events.permissions import visible_to as events_visible_to

    by_event: dict[int, list[Inspection]] = {}
    complaint: set[int] = set()
    for inspection in inspections:
        if inspection.event_id:
            by_event.setdefault(inspection.event_id, []).append(inspection)
            complaint.add(inspection.event_id)
    numbers = {i.pk: i for i in inspections}
    if numbers:
        links = Link.objects.filter(
            Q(source_workflow="inspection", source_id__in=numbers, target_workflow="event")
            | Q(target_workflow="inspection", target_id__in=numbers, source_workflow="event")
        ).values_list("source_workflow", "source_id", "target_id")
        for source_workflow, source_id, target_id in links:
            event_id, inspection_id = (
                (target_id, source_id) if source_workflow == "inspection" else (source_id, target_id)
            )
            found = by_event.setdefault(event_id, [])
            if numbers[inspection_id] not in found:
                found.append(numbers[inspection_id])
    if not by_event:
        return []
    events = (
        events_visible_to(viewer)
        .filter(pk__in=by_event)
        .only("pk", "number", "title", "status", "reported_at")
    )
    entries = []
    for event in events:
        numbers_of = "、".join(i.number or str(i.pk) for i in by_event[event.pk])
        entries.append(
            Entry(
                on=_local(event.reported_at),
                at=event.reported_at,
                kind="event",
                title=("投诉举报：" if event.pk in complaint else "关联事件：") + event.title,
                detail=_join(
                    f"事件编号 {event.number}" if event.number else "",
                    f"状态 {event.get_status_display()}",
                    f"相关检查 {numbers_of}",
                ),
                public=False,
                url=reverse("events:detail", args=[event.pk]),
            )
        )
    return entries
