"""The words of each document made from a case, as lines for `documents.py` to lay out: (style, text) where style
is "title", "para", "heading", "sign" or "row" (a two-column form row, text "label\tvalue").

The decision carries the six items of 行政处罚法 第五十九条: the party; the facts and evidence; the kind and basis of
the penalty; the manner and deadline of performance; the route and deadline of appeal (复议 60 日, 诉讼 6 个月);
the deciding unit and the date.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings

from grassroots.geo.models import Division
from grassroots.workcal.calendar import SHANGHAI

from ..choices import (
    CaseOutcome,
    CasePenaltyKind,
    CaseSource,
    DiscretionLevel,
    DocumentKind,
    EvidenceKind,
    FilingCondition,
    PartyKind,
    ServiceMethod,
)
from ..models import EnforcementCase
from .limits import limit

Line = tuple[str, str]


def day_text(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    day = moment.astimezone(SHANGHAI).date() if isinstance(moment, dt.datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal | None) -> str:
    return f"人民币 {amount or 0:,.2f} 元"


def appeal_bodies(case: EnforcementCase) -> tuple[str, str]:
    """Where the party appeals: the setting `ENFORCEMENT_APPEAL_BODIES` ({unit code: [复议机关, 人民法院]}), else
    the people's government and the court of the unit's county-level division."""
    configured = (getattr(settings, "ENFORCEMENT_APPEAL_BODIES", {}) or {}).get(case.unit.code)
    if configured:
        return str(configured[0]), str(configured[1])
    district = (
        Division.objects.filter(code=case.unit.division.code[:6]).values_list("name", flat=True).first()
    )
    if not district:
        return "本机关的上一级行政机关", "有管辖权的人民法院"
    return f"{district}人民政府", f"{district}人民法院"


def party_lines(case: EnforcementCase) -> list[Line]:
    person = case.party_kind == PartyKind.PERSON
    lines: list[Line] = [("para", f"当事人：{case.party_name}")]
    lines.append(("para", f"{'身份证号码' if person else '统一社会信用代码'}：{case.party_id_number}"))
    if case.party_representative and not person:
        lines.append(("para", f"法定代表人（负责人）：{case.party_representative}"))
    if case.party_address:
        lines.append(("para", f"住所（地址）：{case.party_address}"))
    return lines


def penalty_text(case: EnforcementCase, *, amount: Decimal | None) -> str:
    kind = CasePenaltyKind(case.penalty_kind)
    if kind == CasePenaltyKind.FINE:
        return f"罚款{yuan(amount)}"
    return str(kind.label)


def basis_text(case: EnforcementCase) -> str:
    power = case.power
    violated = power.basis or power.name
    punished = power.penalty_basis or power.basis or power.name
    return f"违反了{violated}的规定；依据{punished}的规定"


def filing_form(case: EnforcementCase) -> list[Line]:
    officers = "、".join(
        f"{o.name}（执法证号 {getattr(getattr(o, 'inspector', None), 'certificate_no', '')}）"
        for o in case.officers.order_by("pk")
    )
    rows = [
        ("案号", case.number or ""),
        ("案件来源", str(CaseSource(case.source).label)),
        ("当事人", case.party_name),
        ("证件号码", case.party_id_number),
        ("联系电话", case.party_phone),
        ("住所（地址）", case.party_address),
        ("案发地点", case.place),
        ("违法行为发生日期", day_text(case.occurred_on)),
        ("案情摘要", case.facts),
        ("涉嫌违法行为", f"{case.power.code} {case.power.name}"),
        ("承办人员", officers),
        ("立案依据", "；".join(str(c.label) for c in FilingCondition)),
        ("审批意见", "同意立案"),
        ("批准人", getattr(case.filed_by, "name", "")),
        ("批准日期", day_text(case.filed_at)),
    ]
    return [("title", f"{case.unit.name}\n立案审批表")] + [
        ("row", f"{label}\t{value}") for label, value in rows
    ]


def notice(case: EnforcementCase) -> list[Line]:
    return [
        ("title", f"{case.unit.name}\n行政处罚告知书"),
        ("para", f"{case.party_name}："),
        (
            "para",
            f"经查，{case.facts}。你（单位）的上述行为{basis_text(case)}，本机关拟对你（单位）作出如下行政处罚："
            f"{penalty_text(case, amount=case.notified_amount)}。",
        ),
        (
            "para",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条的规定，你（单位）享有"
            "陈述、申辩的权利，并可以在收到本告知书之日起"
            f"{limit('HEARING_REQUEST_WORKING_DAYS')}个工作日内向本机关提出听证申请。逾期未提出的，视为放弃上述权利。",
        ),
        ("sign", f"{case.unit.name}（印章）"),
        ("sign", day_text(case.notified_at)),
    ]


def _evidence_lines(case: EnforcementCase) -> list[Line]:
    rows = list(case.evidence.order_by("taken_at", "pk"))
    if not rows:
        return [("para", "以上事实有现场检查笔录、询问笔录等证据证明。")]
    lines: list[Line] = [("para", "以上事实有下列证据证明：")]
    for n, e in enumerate(rows, start=1):
        what = e.description or e.original_name or str(EvidenceKind(e.kind).label)
        digest = f"（SHA-256 {e.sha256[:12]}）" if e.sha256 else ""
        lines.append(
            ("para", f"{n}. {EvidenceKind(e.kind).label}：{what}，{day_text(e.taken_at)}取得{digest}")
        )
    return lines


def decision(case: EnforcementCase) -> list[Line]:
    outcome = CaseOutcome(case.outcome)
    title = {
        CaseOutcome.PENALTY: "行政处罚决定书",
        CaseOutcome.NO_PENALTY_MINOR: "不予行政处罚决定书",
        CaseOutcome.NO_PENALTY_UNPROVEN: "不予行政处罚决定书",
        CaseOutcome.TRANSFER: "涉嫌犯罪案件移送决定书",
    }[outcome]
    review_body, court = appeal_bodies(case)
    lines: list[Line] = [("title", f"{case.unit.name}\n{title}")]
    if case.number:
        lines.append(("para", f"案号：{case.number}"))
    lines += party_lines(case)
    lines.append(("heading", "一、违法事实和证据"))
    lines.append(("para", f"经查，{case.facts}。"))
    lines += _evidence_lines(case)
    if outcome == CaseOutcome.PENALTY:
        level = DiscretionLevel(case.discretion_level).label if case.discretion_level else ""
        lines.append(("heading", "二、行政处罚的种类和依据"))
        lines.append(
            (
                "para",
                f"当事人的上述行为{basis_text(case)}，参照本机关公布的裁量基准（{level}），"
                f"决定给予当事人如下行政处罚：{penalty_text(case, amount=case.decided_amount)}。",
            )
        )
        if case.discretion_reason:
            lines.append(("para", f"超出裁量幅度的理由：{case.discretion_reason}（经负责人批准）。"))
        lines.append(("heading", "三、履行方式和期限"))
        if case.penalty_kind == CasePenaltyKind.FINE:
            lines.append(
                (
                    "para",
                    f"当事人应当自收到本决定书之日起{limit('PAYMENT_DAYS')}日内，将罚款缴至指定银行或者通过电子支付系统缴纳。"
                    "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额（行政处罚法第七十二条）。",
                )
            )
        else:
            lines.append(("para", "本决定自送达之日起执行。"))
    else:
        lines.append(("heading", "二、处理决定及其依据"))
        lines.append(
            ("para", f"依据《中华人民共和国行政处罚法》第五十七条的规定，本机关决定：{outcome.label}。")
        )
        lines.append(("heading", "三、履行方式和期限"))
        lines.append(
            (
                "para",
                "本决定无需当事人履行。" if outcome != CaseOutcome.TRANSFER else "本案移送司法机关依法处理。",
            )
        )
    lines.append(("heading", "四、申请行政复议或者提起行政诉讼的途径和期限"))
    lines.append(
        (
            "para",
            f"当事人如不服本决定，可以在收到本决定书之日起{limit('REVIEW_APPEAL_DAYS')}日内向{review_body}申请行政复议，"
            f"也可以在{limit('LITIGATION_MONTHS')}个月内依法向{court}提起行政诉讼。"
            "行政复议或者行政诉讼期间，本决定不停止执行，法律另有规定的除外。",
        )
    )
    lines.append(("sign", f"{case.unit.name}（印章）"))
    lines.append(("sign", day_text(case.decided_at)))
    return lines


def service_receipt(case: EnforcementCase, decision_number: str) -> list[Line]:
    officers = "、".join(o.name for o in case.officers.order_by("pk"))
    method = ServiceMethod(case.service_method).label if case.service_method else ""
    rows = [
        ("送达文书", f"行政处罚决定书 {decision_number}"),
        ("受送达人", case.service_recipient or case.party_name),
        ("送达地点", case.party_address),
        ("送达方式", str(method)),
        ("送达时间", day_text(case.served_at)),
        ("送达人", officers),
        ("受送达人签名或盖章", ""),
        ("备注", ""),
    ]
    return [("title", f"{case.unit.name}\n送达回证")] + [
        ("row", f"{label}\t{value}") for label, value in rows
    ]


def document_lines(case: EnforcementCase, kind: str, *, decision_number: str = "") -> list[Line]:
    if kind == DocumentKind.FILING_FORM:
        return filing_form(case)
    if kind == DocumentKind.NOTICE:
        return notice(case)
    if kind == DocumentKind.DECISION:
        return decision(case)
    return service_receipt(case, decision_number)
