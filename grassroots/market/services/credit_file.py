"""An entity's credit file (信用档案): one timeline, newest first, of what the record says about it, each entry
marked public (what 国家企业信用信息公示系统 shows: licences, 经营异常名录, 双随机 results, penalties) or internal
(findings and their rectification, other inspections, complaints, the risk class). Reads in a fixed number of
queries however long the record is; the public part never loads the internal rows at all (docs/market.md)."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from grassroots.assessment.excel import Table, tables_workbook
from grassroots.audit.models import AuditEntry
from grassroots.audit.services import audit_record
from grassroots.core.watermark import watermark_of
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today

from ..choices import InspectionKind, InspectionStatus
from ..models import Inspection, InspectionHistory, MarketEntity
from ..permissions import contact_of
from .credit_entries import (
    KINDS,
    PUBLIC_KINDS,
    RISK_ACTIONS,
    Entry,
    abnormal_entries,
    event_entries,
    inspection_entries,
    licence_entries,
    penalty_entry,
    random_result_entry,
    risk_entries,
)

USCC_PATTERN = re.compile(r"[0-9A-HJ-NP-RTUWXY]{18}")
PUBLIC_MATCHES = 20

# -- the selectors ----------------------------------------------------------------------------------------------


def _ordered(entries: list[Entry]) -> list[Entry]:
    """Newest first; within a day timed entries by time, date-only ones after them, then in the order made."""
    numbered = [replace(e, seq=n) for n, e in enumerate(entries)]

    def key(entry: Entry) -> tuple[dt.date, dt.time, int]:
        moment = timezone.localtime(entry.at).time() if entry.at is not None else dt.time.max
        return entry.on, moment, entry.seq

    return sorted(numbered, key=key, reverse=True)


def _inspections(entity: MarketEntity) -> list[Inspection]:
    steps = InspectionHistory.objects.filter(action__in=["recheck", "cancel"]).select_related("actor")
    return list(
        Inspection.objects.filter(entity=entity)
        .select_related("unit", "draw")
        .prefetch_related(
            Prefetch("inspectors", queryset=Person.objects.only("id", "name")),
            "findings",
            Prefetch("history", queryset=steps),
        )
        .order_by("created_at", "pk")
    )


def credit_timeline(*, entity: MarketEntity, viewer: Any, today: dt.date | None = None) -> list[Entry]:
    """The whole credit file of an entity the viewer may see (check with `access_entity` first), newest first."""
    today = today or local_today()
    inspections = _inspections(entity)
    entries = licence_entries(entity.licences.all(), today)
    entries += abnormal_entries(
        entity.abnormal_listings.select_related("listed_by", "removed_by"), internal=True
    )
    for inspection in inspections:
        entries += inspection_entries(inspection, today)
    penalties = entity.penalties.select_related("inspection__unit", "recorded_by")
    entries += [penalty_entry(p, internal=True) for p in penalties]
    audit = AuditEntry.objects.filter(
        object_type=MarketEntity._meta.label_lower, object_id=str(entity.pk), action__in=RISK_ACTIONS
    ).order_by("at", "pk")
    entries += risk_entries(audit)
    entries += event_entries(viewer, inspections)
    return _ordered(entries)


def credit_public(*, entity: MarketEntity, today: dt.date | None = None) -> list[Entry]:
    """The public part (国家企业信用信息公示系统's view): licences, 经营异常名录 listings and removals, published 双随机
    results and penalties. Internal rows are not even read; staff notes are dropped."""
    today = today or local_today()
    entries = licence_entries(entity.licences.all(), today)
    entries += abnormal_entries(entity.abnormal_listings.all(), internal=False)
    randoms = (
        Inspection.objects.filter(
            entity=entity,
            kind=InspectionKind.RANDOM,
            inspected_at__isnull=False,
            draw__results_published_at__isnull=False,
        )
        .exclude(status=InspectionStatus.CANCELLED)
        .exclude(conclusion="")
        .select_related("unit", "draw")
    )
    entries += [random_result_entry(i, internal=False) for i in randoms]
    entries += [penalty_entry(p, internal=False) for p in entity.penalties.select_related("inspection__unit")]
    public = [replace(e, note="", url="") for e in entries if e.public and e.kind in PUBLIC_KINDS]
    return _ordered(public)


def only_kinds(entries: list[Entry], kinds: Iterable[str]) -> list[Entry]:
    wanted = {k for k in kinds if k in KINDS}
    return [e for e in entries if e.kind in wanted] if wanted else entries


def public_lookup(query: str) -> list[MarketEntity]:
    """The public search: a whole USCC, or the exact registered name (no partial matches: the registry is not
    there to be browsed). Deregistered and revoked entities are found too."""
    query = query.strip()
    if not query:
        return []
    code = query.upper()
    if USCC_PATTERN.fullmatch(code):
        return list(MarketEntity.objects.filter(uscc=code))
    return list(MarketEntity.objects.filter(name=query).order_by("uscc")[:PUBLIC_MATCHES])


# -- the export ---------------------------------------------------------------------------------------------------

HEADERS = ["日期", "类别", "事项", "详情", "公示/内部"]


@dataclass(frozen=True)
class CreditExport:
    content: bytes
    rows: int
    filename: str


def _facts(entity: MarketEntity, contact: dict[str, Any]) -> Table:
    rows: list[list[Any]] = [
        ["名称", entity.name],
        ["统一社会信用代码", entity.uscc],
        ["主体类型", entity.get_kind_display()],
        ["登记状态", entity.get_status_display()],
        ["法定代表人（经营者）", contact["legal_rep"] or None],
        ["联系电话", contact["phone"] or None],
        ["住所（经营场所）", entity.address or None],
        ["成立日期", entity.registered_on],
        ["风险分类", entity.get_risk_class_display()],
    ]
    return Table(name="entity", title="主体信息", headers=["项目", "内容"], rows=rows)


@transaction.atomic
def credit_export(
    *,
    actor: Person,
    entity: MarketEntity,
    reason: str,
    kinds: Iterable[str] = (),
    now: dt.datetime | None = None,
) -> CreditExport:
    """The credit file (filtered by `kinds`) as a workbook, one row per entry, with the entity's facts on a second
    sheet; the legal representative and phone as `actor` may see them; watermarked with `actor` and `reason`. The
    export is audited with its reason, and an unmasked read of the contact too (`contact_of`)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    wanted = [k for k in kinds if k in KINDS]
    entries = only_kinds(credit_timeline(entity=entity, viewer=actor, today=local.date()), wanted)
    contact = contact_of(actor, entity, purpose="导出市场主体信用档案")
    shown = "、".join(KINDS[k] for k in wanted) or "全部"
    table = Table(
        name="credit",
        title=f"{entity.name}（{entity.uscc}）信用档案",
        headers=HEADERS,
        note=f"导出时间 {local:%Y-%m-%d %H:%M} · 导出人 {actor.name} · 类别：{shown}",
        rows=[
            [e.on, e.kind_label, e.title, "；".join(p for p in (e.detail, e.note) if p) or None, e.visibility]
            for e in entries
        ],
    )
    content = tables_workbook([table, _facts(entity, contact)], mark=watermark_of(actor, reason, at=now))
    audit_record(
        actor=actor,
        action="marketentity.credit_export",
        obj=entity,
        detail={"reason": reason, "rows": len(entries), "kinds": wanted, "contact_masked": contact["masked"]},
    )
    return CreditExport(
        content=content, rows=len(entries), filename=f"信用档案-{entity.uscc}-{local:%Y%m%d}.xlsx"
    )


def credit_print_record(
    *, actor: Person, entity: MarketEntity, reason: str, kinds: list[str], rows: int
) -> None:
    """The print view shows the same personal data as the export: audited the same way, with its reason."""
    audit_record(
        actor=actor,
        action="marketentity.credit_print",
        obj=entity,
        detail={"reason": reason, "rows": rows, "kinds": kinds},
    )
