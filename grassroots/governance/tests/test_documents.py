"""The 调解协议书 as a .docx: read back, it names the parties whole, the facts, the terms and the performance; the
stored file's SHA-256 is the one in the row and in the step's history; making it is an audited unmasked read; an oral
agreement has none."""

import hashlib

import pytest
from docx import Document

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError

from ..choices import DisputeOutcome
from ..services import disputes, disputes_mediation
from ..services.dispute_documents import dispute_generate_agreement
from .support import at, build_committee, report


@pytest.fixture
def c(world):
    return build_committee(world)


def agreed(c, outcome=DisputeOutcome.WRITTEN):
    d = report(c, now=at(2025, 3, 3, 9))
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia, c.max], now=at(2025, 3, 3, 9))
    disputes_mediation.dispute_record_session(
        actor=c.mia,
        dispute=d,
        held_at=at(2025, 3, 3, 10),
        place="调解室",
        minutes="调解",
        now=at(2025, 3, 3, 11),
    )
    return disputes_mediation.dispute_agree(
        actor=c.mia,
        dispute=d,
        outcome=outcome,
        terms="一、李四于2025年3月8日前清理排水沟旁杂物。\n二、张三丰承担疏通费用二百元。",
        responsibilities="双方均有过错",
        performance_manner="当面清理、现金支付",
        performance_place="红菱村3组",
        performance_due_on=at(2025, 3, 8).date(),
        now=at(2025, 3, 3, 15),
    )


def test_the_agreement_is_a_word_file_with_the_parties_facts_terms_and_performance(c):
    d = agreed(c)
    document = dispute_generate_agreement(actor=c.mia, dispute=d, now=at(2025, 3, 3, 16))
    data = document.file.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256 and len(data) == document.size
    document.file.seek(0)
    text = [p.text for p in Document(document.file).paragraphs]
    assert text[0] == "人民调解协议书"
    assert "申请人：张三丰，身份证号 11010519491231002X，住址 红菱村3组12号，联系电话 13912345678" in text
    assert "被申请人：李四，身份证号 330421198001011234，住址 红菱村3组14号，联系电话 13787654321" in text
    assert d.facts in text
    assert "一、李四于2025年3月8日前清理排水沟旁杂物。" in text and "二、张三丰承担疏通费用二百元。" in text
    assert "履行方式：当面清理、现金支付" in text and "履行期限：2025年03月08日前" in text
    assert "本协议一式 3 份，当事人、人民调解委员会各持一份。" in text
    assert "人民调解员（签名）：陈美华、吴志明" in text and "2025年03月03日" in text
    row = d.history.get(action="generate_agreement")
    assert row.data == {"sha256": document.sha256, "size": document.size}
    read = AuditEntry.objects.get(action="personal_data.read", actor=c.mia)
    assert read.detail["purpose"] == "生成调解协议书"


def test_an_oral_agreement_has_no_agreement_file(c):
    d = agreed(c, DisputeOutcome.ORAL)
    with pytest.raises(DomainError) as exc:
        dispute_generate_agreement(actor=c.mia, dispute=d)
    assert exc.value.code == "agreement_not_written"
    assert not d.documents.exists()
