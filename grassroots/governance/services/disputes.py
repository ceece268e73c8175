"""A dispute's registration and the committee's first decisions: register (调解登记, with its parties), accept with
mediators named (the month starts), refuse when a party clearly refuses (第十七条), and the escalation risk, a high
risk reported to the police (第二十五条). Mediation itself is `disputes_mediation.py`; what follows an agreement is
`disputes_after.py`."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division, Grid
from grassroots.notifications.services import notify_after_commit, unit_staff_ids
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.links import RecordRef, link_records

from ..choices import (
    REFERRAL_SOURCES,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    PartyKind,
    PartySide,
    RiskLevel,
)
from ..models import Dispute, DisputeHistory, DisputeParty
from ..permissions import may_register
from .disputes_common import (
    WORKFLOW,
    Clocks,
    authorize,
    commit,
    now_of,
    record_clocks,
    require_text,
    start_clock,
    stop_clock,
)


@dataclass(frozen=True)
class PartyIn:
    """One party as registered."""

    side: str
    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    representative: str = ""


# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_parties(parties: Sequence[PartyIn]) -> None:
    """A dispute is between at least two parties, each named, of a known side and kind."""
    if len(parties) < 2:
        raise InvalidInput("纠纷至少应有两方当事人", code="parties_required")
    for p in parties:
        if p.side not in PartySide.values or p.kind not in PartyKind.values:
            raise InvalidInput("当事人地位或类型无效", code="party_invalid")
        require_text(p.name, code="party_name_required", message="请填写当事人姓名（名称）")


def guard_place(village: Division, grid: Grid | None, committee: Unit) -> None:
    if village.level != DivisionLevel.VILLAGE or village.parent_id is None:
        raise InvalidInput("请选择纠纷发生的村社区", code="village_required")
    if grid is not None and grid.village_id != village.pk:
        raise InvalidInput("网格不属于该村社区", code="grid_not_in_village")
    if not committee.division.code.startswith(village.code[:9]):
        raise InvalidInput("人民调解委员会不在纠纷所在乡镇", code="committee_out_of_township")


def guard_source(source: str, referred_by: str, event: Any) -> None:
    if source not in DisputeSource.values:
        raise InvalidInput("纠纷来源无效", code="source_invalid")
    if source in REFERRAL_SOURCES and not referred_by.strip():
        raise InvalidInput("请填写移送（委派）单位", code="referrer_required")
    if source == DisputeSource.EVENT and event is None:
        raise InvalidInput("事件转入的纠纷须关联来源事件", code="event_required")


def guard_mediators(mediators: Sequence[Any], committee: Unit) -> None:
    if not mediators:
        raise InvalidInput("请至少指定一名调解员", code="mediator_required")
    for m in mediators:
        if m.role != Role.MEDIATOR or not m.is_active or m.unit_id != committee.pk:
            raise InvalidInput(f"{m.name}不是本调委会的调解员", code="not_a_mediator")


# -- the police report of a high risk -----------------------------------------------------------------------


def _police_report(
    dispute: Dispute, level: str, police_unit: Unit | None, now: dt.datetime
) -> dict[str, Any]:
    """The fields that record the report of a high risk to the police, once; nothing below high."""
    if level not in RiskLevel.values:
        raise InvalidInput("风险等级无效", code="risk_level_invalid")
    if level != RiskLevel.HIGH or dispute.police_notified_at is not None:
        return {}
    unit = police_unit or dispute.police_unit
    if unit is None:
        raise InvalidInput("可能激化的纠纷须报告公安机关，请选择派出所", code="police_unit_required")
    return {"police_unit": unit, "police_notified_at": now}


def _tell_police(dispute: Dispute) -> None:
    assert dispute.police_unit_id is not None
    notify_after_commit(
        person_ids=unit_staff_ids([dispute.police_unit_id]),
        verb="dispute_high_risk",
        text=f"矛盾纠纷可能激化，请及时介入：{dispute.title}（{dispute.village.name}，{dispute.committee.name}）",
    )


# -- services -----------------------------------------------------------------------------------------------


@transaction.atomic
def dispute_register(
    *,
    actor: Any,
    village: Division,
    committee: Unit,
    source: str,
    kind: str,
    title: str,
    facts: str,
    parties: Sequence[PartyIn],
    grid: Grid | None = None,
    referred_by: str = "",
    event: Any = None,
    risk_level: str = RiskLevel.LOW,
    police_unit: Unit | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """调解登记: a dispute reported or applied for, with its parties; a high risk is reported to the police."""
    now = now_of(now)
    region_code = grid.code if grid is not None else village.code
    if not may_register(actor, region_code, committee):
        raise Forbidden("您无权在该区域登记纠纷", code="not_permitted", details={"action": "register"})
    guard_place(village, grid, committee)
    guard_source(source, referred_by, event)
    if kind not in DisputeType.values:
        raise InvalidInput("纠纷类型无效", code="kind_invalid")
    guard_parties(parties)
    title = require_text(title, code="title_required", message="请填写纠纷简述")
    facts = require_text(facts, code="facts_required", message="请填写纠纷主要事实及争议事项")
    dispute = Dispute(
        township_id=village.parent_id or 0,  # guard_place: a village has its township
        village=village,
        grid=grid,
        region_code=region_code,
        committee=committee,
        source=source,
        referred_by=referred_by.strip(),
        event=event,
        kind=kind,
        title=title,
        facts=facts,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    report = _police_report(dispute, risk_level, police_unit, now)
    dispute.risk_level = risk_level
    for name, value in report.items():
        setattr(dispute, name, value)
    dispute.save()
    DisputeParty.objects.bulk_create(
        [
            DisputeParty(
                dispute=dispute,
                position=i,
                side=p.side,
                kind=p.kind,
                name=p.name.strip(),
                id_number=p.id_number.strip(),
                phone=p.phone.strip(),
                address=p.address.strip(),
                representative=p.representative.strip(),
            )
            for i, p in enumerate(parties, start=1)
        ]
    )
    data = {"source": source, "kind": kind, "parties": len(parties), "risk_level": risk_level}
    if report:
        data["police_unit"] = report["police_unit"].pk
    DisputeHistory.objects.create(
        dispute=dispute,
        action="register",
        from_status="",
        to_status=dispute.status,
        actor=actor,
        at=now,
        note=note,
        data=data,
    )
    audit_record(actor=actor, action="dispute.register", obj=dispute, object_repr=str(dispute), detail=data)
    if event is not None:
        link_records(
            actor=actor,
            source=RecordRef("event", event.pk),
            target=RecordRef(WORKFLOW, dispute.pk),
            kind=LinkKind.BECAME,
            note="转为矛盾纠纷",
        )
    if report:
        _tell_police(dispute)
    return dispute


@transaction.atomic
def dispute_accept(
    *, actor: Any, dispute: Dispute, mediators: Sequence[Any], note: str = "", now: dt.datetime | None = None
) -> Dispute:
    """受理: the committee takes the dispute on and names its mediators; the month to settle it starts."""
    now = now_of(now)
    authorize(dispute, actor, "accept")
    guard_mediators(mediators, dispute.committee)
    _, row = commit(
        dispute,
        actor=actor,
        action="accept",
        to=DisputeStatus.ACCEPTED,
        now=now,
        note=note,
        data={"mediators": [m.pk for m in mediators]},
        accepted_at=now,
        accepted_by=actor,
    )
    dispute.mediators.set(mediators)
    record_clocks(row, start_clock(dispute, Clocks.MEDIATION, now=now))
    return dispute


@transaction.atomic
def dispute_refuse(*, actor: Any, dispute: Dispute, reason: str, now: dt.datetime | None = None) -> Dispute:
    """不予调解: a party clearly refuses mediation (第十七条); the month, if it ran, stops."""
    now = now_of(now)
    authorize(dispute, actor, "refuse")
    reason = require_text(reason, code="reason_required", message="请说明当事人拒绝调解的情况")
    _, row = commit(
        dispute,
        actor=actor,
        action="refuse",
        to=DisputeStatus.REFUSED,
        now=now,
        note=reason,
        refusal_reason=reason,
    )
    record_clocks(row, stop_clock(dispute, Clocks.MEDIATION, result="refused", actor=actor, now=now))
    return dispute


@transaction.atomic
def dispute_assess_risk(
    *,
    actor: Any,
    dispute: Dispute,
    level: str,
    police_unit: Unit | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Dispute:
    """激化风险: the risk assessed again; the first high risk is reported to the police (第二十五条)."""
    now = now_of(now)
    authorize(dispute, actor, "assess_risk")
    report = _police_report(dispute, level, police_unit, now)
    data: dict[str, Any] = {"risk_from": dispute.risk_level, "risk_level": level}
    if report:
        data["police_unit"] = report["police_unit"].pk
    commit(
        dispute,
        actor=actor,
        action="assess_risk",
        to=None,
        now=now,
        note=note,
        data=data,
        risk_level=level,
        **report,
    )
    if report:
        _tell_police(dispute)
    return dispute
