"""Opening a case (a lead: 线索) by hand or from an event or an inspection, and the lead stage: 立案 approved with
its number, 不予立案 on a ground of 第二十条, and the lead clock's extension. The table is `rules.TABLE`."""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.core.checkdigits import is_valid_id_number, uscc_problems
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.draws.models import Inspector
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.choices import LinkKind
from grassroots.workflow.clocks import clock_extend
from grassroots.workflow.links import RecordRef, link_records

from ..choices import (
    CaseSource,
    CaseStatus,
    DocumentKind,
    FilingCondition,
    NoFilingGround,
    PartyKind,
    PowerCategory,
)
from ..models import CaseHistory, EnforcementCase, Power
from ..permissions import may_open_case
from .common import (
    WORKFLOW,
    Clocks,
    authorize,
    commit,
    need_clock,
    now_of,
    record_clocks,
    start_clock,
    stop_clock,
)
from .documents import document_generate
from .limits import limit, limitation_start
from .numbering import case_number_allocate, case_number_text

# -- guards: each refusal has a fixed code ------------------------------------------------------------------


def guard_party(kind: str, name: str, id_number: str, phone: str) -> tuple[str, str, str]:
    """The party's name, identity number (身份证 for a person, USCC for an organisation, check digits verified)
    and phone, cleaned."""
    if kind not in PartyKind.values:
        raise InvalidInput("请选择当事人类型", code="party_kind_unknown")
    name, id_number, phone = name.strip(), id_number.strip().upper(), phone.strip()
    if not name:
        raise InvalidInput("请填写当事人名称", code="party_name_required")
    if kind == PartyKind.PERSON and not is_valid_id_number(id_number):
        raise InvalidInput("当事人身份证号码不正确（位数、出生日期或校验码）", code="party_id_invalid")
    if kind == PartyKind.ORGANISATION:
        problems = uscc_problems(id_number)
        if problems:
            raise InvalidInput(
                f"统一社会信用代码不正确：{'；'.join(problems)}",
                code="party_uscc_invalid",
                details={"problems": problems},
            )
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise InvalidInput("联系电话应为 7–12 位数字", code="invalid_phone")
    return name, id_number, phone


def guard_officers(persons: Sequence[Person], *, on: dt.date) -> None:
    """At least two officers (第四十二条), each in the pool of enforcement officers with a certificate valid on
    the day (执法证, grassroots/draws)."""
    if len(persons) < 2:
        raise InvalidInput("执法人员不得少于两人（行政处罚法第四十二条）", code="officers_too_few")
    pool = {i.person_id: i for i in Inspector.objects.filter(person__in=persons, active=True)}
    bad = [p.name for p in persons if p.pk not in pool or pool[p.pk].certificate_valid_to < on]
    if bad:
        raise InvalidInput(
            f"以下人员不在执法人员名录库或执法证已过期：{'、'.join(bad)}",
            code="officer_not_certified",
            details={"persons": bad},
        )


def guard_case_officers(case: EnforcementCase, now: dt.datetime) -> None:
    guard_officers(list(case.officers.all()), on=now.astimezone(SHANGHAI).date())


def guard_power(power: Power) -> None:
    if power.category != PowerCategory.PENALTY or not power.published:
        raise InvalidInput("只能依据已公布的行政处罚职权立案", code="power_not_usable")


def guard_place(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise InvalidInput("经度和纬度须同时填写", code="place_bad_coordinates")
    if lon is not None and lat is not None and not (73 <= lon <= 136 and 3 <= lat <= 54):
        raise InvalidInput("坐标不在中国境内", code="place_bad_coordinates")


def guard_in_time(occurred_on: dt.date | None, *, today: dt.date) -> None:
    """The violation is not in the future and within the limitation period (第三十六条)."""
    if occurred_on is None:
        return
    if occurred_on > today:
        raise InvalidInput("违法行为发生日期不能晚于今天", code="occurred_in_future")
    if occurred_on < limitation_start(today):
        raise InvalidInput(
            f"违法行为已超过 {limit('LIMITATION_YEARS')} 年追责时效，不再给予行政处罚（行政处罚法第三十六条）",
            code="case_time_barred",
        )


# -- opening ----------------------------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Any,
    unit: Unit,
    power: Power,
    source: str,
    party_kind: str,
    party_name: str,
    party_id_number: str,
    officers: Iterable[Person],
    facts: str,
    party_phone: str = "",
    party_address: str = "",
    party_representative: str = "",
    market_entity: Any = None,
    place: str = "",
    lon: float | None = None,
    lat: float | None = None,
    occurred_on: dt.date | None = None,
    major: bool = False,
    event: Any = None,
    inspection: Any = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """Register a lead (线索) of `unit` under `power`: the party, the facts, at least two certified officers. The
    lead clock starts (15 工作日 to decide on 立案)."""
    now = now_of(now)
    if actor is not None and not may_open_case(actor, unit):
        raise Forbidden("您无权为该单位登记案件线索", code="not_permitted")
    if source not in CaseSource.values:
        raise InvalidInput("请选择案件来源", code="case_source_unknown")
    if (event is not None) != (source == CaseSource.EVENT) or (inspection is not None) != (
        source == CaseSource.INSPECTION
    ):
        raise InvalidInput("案件来源与关联的事件或检查不符", code="case_source_mismatch")
    guard_power(power)
    name, id_number, phone = guard_party(party_kind, party_name, party_id_number, party_phone)
    if not facts.strip():
        raise InvalidInput("请填写案情", code="facts_required")
    guard_place(lon, lat)
    guard_in_time(occurred_on, today=now.astimezone(SHANGHAI).date())
    persons = list(dict.fromkeys(officers))
    guard_officers(persons, on=now.astimezone(SHANGHAI).date())
    case = EnforcementCase.objects.create(
        unit=unit,
        power=power,
        source=source,
        event=event,
        inspection=inspection,
        party_kind=party_kind,
        party_name=name,
        party_id_number=id_number,
        party_phone=phone,
        party_address=party_address.strip(),
        party_representative=party_representative.strip(),
        market_entity=market_entity,
        place=place.strip(),
        lon=lon,
        lat=lat,
        occurred_on=occurred_on,
        facts=facts.strip(),
        major=major,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    case.officers.set(persons)
    data = {"source": source, "power": power.code, "officers": [p.pk for p in persons], "major": major}
    row = CaseHistory.objects.create(
        case=case,
        action="open",
        from_status="",
        to_status=case.status,
        actor=actor,
        at=now,
        note=note,
        data=data,
    )
    audit_record(actor=actor, action="case.open", obj=case, object_repr=str(case), detail=data)
    record_clocks(row, start_clock(case, Clocks.LEAD, now=now))
    for record, workflow in ((event, "event"), (inspection, "inspection")):
        if record is not None:
            link_records(
                actor=actor,
                source=RecordRef(workflow, record.pk),
                target=RecordRef(WORKFLOW, case.pk),
                kind=LinkKind.BECAME,
                note="立案查处",
            )
    return case


def _event_prefill(event: Any) -> dict[str, Any]:
    from grassroots.org.choices import PlatformKind

    if event.platform != PlatformKind.ENFORCEMENT:
        raise InvalidInput("只有综合执法平台的事件可以转为执法案件", code="event_not_enforcement")
    facts = "\n".join(part for part in (event.title, event.description) if part)
    return {
        "source": CaseSource.EVENT,
        "event": event,
        "facts": facts,
        "place": event.address,
        "lon": event.lon,
        "lat": event.lat,
    }


def _inspection_prefill(inspection: Any) -> dict[str, Any]:
    findings = [f.description for f in inspection.findings.all()]
    if not findings:
        raise InvalidInput("该检查没有发现问题，不能立案查处", code="inspection_without_findings")
    entity = inspection.entity
    return {
        "source": CaseSource.INSPECTION,
        "inspection": inspection,
        "market_entity": entity,
        # A registered entity is named by its USCC, 个体工商户 included.
        "party_kind": PartyKind.ORGANISATION,
        "party_name": entity.name,
        "party_id_number": entity.uscc,
        "party_representative": entity.legal_rep,
        "party_phone": entity.phone,
        "party_address": entity.address,
        "place": entity.address,
        "lon": entity.lon,
        "lat": entity.lat,
        "facts": f"{inspection.number} 检查发现：" + "；".join(findings),
    }


def case_prefill(record: Any) -> dict[str, Any]:
    """What an event of the 综合执法 platform or an inspection with findings says of the case it becomes (the
    party, the place, the facts), for a form to show and `case_open_from` to use."""
    from grassroots.events.models import Event

    return _event_prefill(record) if isinstance(record, Event) else _inspection_prefill(record)


def case_open_from(
    *, actor: Any, record: Any, unit: Unit, power: Power, officers: Iterable[Person], **given: Any
) -> EnforcementCase:
    """立案查处 from an event or an inspection: the case prefilled from it (what the caller gives wins), linked to
    it both ways (the case's foreign key and a workflow link "转为")."""
    values = case_prefill(record)
    values.update({k: v for k, v in given.items() if v not in (None, "")})
    return case_open(actor=actor, unit=unit, power=power, officers=officers, **values)


# -- the lead stage ---------------------------------------------------------------------------------------


@transaction.atomic
def case_request_filing(
    *, actor: Any, case: EnforcementCase, note: str = "", now: dt.datetime | None = None
) -> EnforcementCase:
    """申请立案: the officers ask the head to file the case."""
    now = now_of(now)
    authorize(case, actor, "request_filing")
    guard_case_officers(case, now)
    commit(
        case,
        actor=actor,
        action="request_filing",
        to=CaseStatus.FILING,
        now=now,
        note=note,
        filing_requested_at=now,
    )
    return case


@transaction.atomic
def case_approve_filing(
    *,
    actor: Any,
    case: EnforcementCase,
    conditions: Iterable[str],
    note: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """立案: the head confirms the four conditions (第十九条); the case gets its number and its 90 日 start."""
    now = now_of(now)
    authorize(case, actor, "approve_filing")
    missing = [c.label for c in FilingCondition if c.value not in set(conditions)]
    if missing:
        raise InvalidInput(
            f"立案须同时符合：{'；'.join(str(m) for m in missing)}",
            code="filing_conditions_unmet",
            details={"missing": [str(m) for m in missing]},
        )
    today = now.astimezone(SHANGHAI).date()
    guard_in_time(case.occurred_on, today=today)
    guard_case_officers(case, now)
    _, row = commit(
        case,
        actor=actor,
        action="approve_filing",
        to=CaseStatus.INVESTIGATING,
        now=now,
        note=note,
        filed_at=now,
        filed_by=actor,
    )
    number = case_number_text(case.unit, today.year, case_number_allocate(case.unit, today.year))
    EnforcementCase.objects.filter(pk=case.pk).update(number=number)
    case.number = number
    row.data = {**row.data, "number": number}
    record_clocks(
        row,
        *[c for c in (stop_clock(case, Clocks.LEAD, result="filed", actor=actor, now=now),) if c],
        start_clock(case, Clocks.CASE, now=now),
    )
    document_generate(case, DocumentKind.FILING_FORM, actor=actor, now=now)
    return case


@transaction.atomic
def case_refuse_filing(
    *,
    actor: Any,
    case: EnforcementCase,
    ground: str,
    reason: str = "",
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """不予立案 on one of the grounds of 第二十条 (an other lawful ground needs its reason written)."""
    now = now_of(now)
    authorize(case, actor, "refuse_filing")
    if ground not in NoFilingGround.values:
        raise InvalidInput("请选择不予立案的理由", code="no_filing_ground_required")
    reason = reason.strip()
    if ground == NoFilingGround.OTHER and not reason:
        raise InvalidInput("依其他情形不予立案的，须写明理由", code="no_filing_reason_required")
    _, row = commit(
        case,
        actor=actor,
        action="refuse_filing",
        to=CaseStatus.NOT_FILED,
        now=now,
        note=reason,
        data={"ground": ground},
        no_filing_ground=ground,
        no_filing_reason=reason,
    )
    change = stop_clock(case, Clocks.LEAD, result="not_filed", actor=actor, now=now)
    record_clocks(row, *([change] if change else []))
    return case


@transaction.atomic
def case_extend_lead(
    *,
    actor: Any,
    case: EnforcementCase,
    reason: str,
    requested_by: Person | None = None,
    now: dt.datetime | None = None,
) -> EnforcementCase:
    """The lead's 15 工作日 extended once by 15 工作日, approved by the head (the actor), with a reason."""
    now = now_of(now)
    authorize(case, actor, "extend_lead")
    if not reason.strip():
        raise InvalidInput("延长核查期限须说明理由", code="extension_reason_required")
    clock = need_clock(case, Clocks.LEAD)
    if clock.extended_seconds:
        raise InvalidInput("线索核查期限只能延长一次", code="lead_already_extended")
    days = limit("LEAD_EXTENSION_WORKING_DAYS")
    _, row = commit(
        case, actor=actor, action="extend_lead", to=None, now=now, note=reason.strip(), data={"days": days}
    )
    change = clock_extend(
        clock=clock,
        amount=days,
        unit=LimitUnit.WORKING_DAYS,
        reason=reason.strip(),
        requested_by=requested_by,
        approved_by=actor,
        now=now,
    )
    record_clocks(row, change)
    return case
