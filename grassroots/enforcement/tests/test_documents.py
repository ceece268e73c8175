"""The documents made from a case are real .docx files: opened with python-docx, the decision names the party, the
legal basis and the case number, and carries the six items of 第五十九条; each is stored with its SHA-256."""

import hashlib

from docx import Document

from ..choices import DocumentKind
from ..models import CaseDocument
from ..services import decisions as d
from ..services import investigation as i
from .support import Team, filed_case


def text_of(document: CaseDocument) -> str:
    with document.file.open("rb") as handle:
        doc = Document(handle)
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_decision_names_the_party_the_basis_and_the_case_number_with_the_six_items(team: Team):
    case = filed_case(team)
    i.case_add_evidence(actor=team.olga, case=case, kind="note", description="现场检查笔录一份")
    i.case_propose(actor=team.olga, case=case, penalty_kind="fine", level="general", amount="2000")
    i.case_notify(actor=team.olga, case=case)
    d.case_decide(actor=team.lena, case=case, outcome="penalty", amount="2000", waived=True)
    document = CaseDocument.objects.get(case=case, kind=DocumentKind.DECISION)
    case.refresh_from_db()
    assert case.number and case.decision_number
    assert document.number == case.decision_number
    with document.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == document.sha256
    text = text_of(document)
    for expected in [
        "行政处罚决定书",
        case.number,  # 案号
        case.decision_number,
        "当事人：沈国强",  # 1. the party
        "330421198503121231",
        "一、违法事实和证据",  # 2. facts and evidence
        "现场检查笔录一份",
        "二、行政处罚的种类和依据",  # 3. kind and basis
        "《城市市容和环境卫生管理条例》第三十六条第（二）项",
        "罚款人民币 2,000.00 元",
        "三、履行方式和期限",  # 4. manner and deadline
        "15日内",
        "四、申请行政复议或者提起行政诉讼的途径和期限",  # 5. appeal route and deadline
        "60日内向嘉善县人民政府申请行政复议",
        "6个月内依法向嘉善县人民法院提起行政诉讼",
        "西塘镇综合行政执法队（印章）",  # 6. the unit and the date
    ]:
        assert expected in text, expected


def test_each_step_makes_its_document(team: Team, settings):
    settings.ENFORCEMENT_APPEAL_BODIES = {team.unit.code: ["嘉兴市人民政府", "嘉兴市中级人民法院"]}
    case = filed_case(team)
    filing = CaseDocument.objects.get(case=case, kind=DocumentKind.FILING_FORM)
    assert case.number
    assert filing.number == case.number and case.number in text_of(filing) and "欧阳青" in text_of(filing)
    i.case_propose(actor=team.olga, case=case, penalty_kind="fine", level="general", amount="1200")
    i.case_notify(actor=team.olga, case=case)
    notice = CaseDocument.objects.get(case=case, kind=DocumentKind.NOTICE)
    assert notice.number == case.number.replace("罚〔", "罚告〔")
    assert "5个工作日内向本机关提出听证申请" in text_of(notice) and "1,200.00" in text_of(notice)
    d.case_decide(actor=team.lena, case=case, outcome="penalty", amount="1200", waived=True)
    assert "嘉兴市中级人民法院" in text_of(CaseDocument.objects.get(case=case, kind=DocumentKind.DECISION))
    d.case_serve(actor=team.olga, case=case, method="post", recipient="沈国强")
    receipt = CaseDocument.objects.get(case=case, kind=DocumentKind.SERVICE_RECEIPT)
    assert (
        case.decision_number and case.decision_number in text_of(receipt) and "邮寄送达" in text_of(receipt)
    )
    name = receipt.file.name or ""
    assert name.startswith("enforcement/documents/") and name.endswith(".docx")
