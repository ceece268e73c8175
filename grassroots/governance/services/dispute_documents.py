"""The mediation agreement (调解协议书, 人民调解法 第二十九条) as a Word file (python-docx): the parties, the dispute's
main facts and the matters in dispute, each side's responsibilities, the terms, and the manner, place and time of
performance, with the lines for the parties' and the mediator's signatures and the committee's seal. Each file is
stored under MEDIA with its SHA-256 in `DisputeDocument`, in the step's transaction. The parties are written whole:
making the file is an unmasked read, audited (`personal_data.read`)."""

import datetime as dt
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from grassroots.core.errors import InvalidInput

from ..choices import DisputeOutcome, PartyKind, PartySide
from ..models import Dispute, DisputeDocument
from ..permissions import parties_of
from .disputes_common import authorize, commit, local_day, now_of

FONT = "仿宋"
TITLE_FONT = "黑体"
KIND = "agreement"


def _font(run: Any, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc: Any, text: str, *, bold: bool = False, size: float = 14, center: bool = False) -> None:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run, TITLE_FONT if center else FONT, size)


def _party_line(p: dict[str, Any]) -> str:
    side = str(PartySide(p["side"]).label)
    if p["kind"] == PartyKind.ORGANISATION:
        return f"{side}：{p['name']}，统一社会信用代码 {p['id_number'] or '—'}，联系电话 {p['phone'] or '—'}"
    return (
        f"{side}：{p['name']}，身份证号 {p['id_number'] or '—'}，住址 {p['address'] or '—'}，"
        f"联系电话 {p['phone'] or '—'}"
    )


def agreement_lines(dispute: Dispute, *, viewer: Any) -> dict[str, Any]:
    """What the file says, as plain data (the tests read the .docx back and compare)."""
    parties = parties_of(viewer, dispute, purpose="生成调解协议书")
    due = dispute.performance_due_on
    assert dispute.concluded_at is not None
    return {
        "title": "人民调解协议书",
        "number": f"{dispute.committee.name} 调字第 {dispute.pk} 号",
        "parties": [_party_line(p) for p in parties],
        "sections": [
            ("纠纷主要事实、争议事项", [dispute.facts]),
            ("各方责任", [dispute.responsibilities or "—"]),
            ("经调解，自愿达成如下协议", [t for t in dispute.agreement_terms.splitlines() if t.strip()]),
            (
                "履行方式、地点、期限",
                [
                    f"履行方式：{dispute.performance_manner or '—'}",
                    f"履行地点：{dispute.performance_place or '—'}",
                    f"履行期限：{due:%Y年%m月%d日}前" if due else "履行期限：—",
                ],
            ),
        ],
        "closing": [
            f"本协议一式 {len(parties) + 1} 份，当事人、人民调解委员会各持一份。",
            "本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。",
            "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。",
        ],
        "signatures": [f"{PartySide(p['side']).label!s}（签名）：" for p in parties]
        + [
            "人民调解员（签名）：" + "、".join(m.name for m in dispute.mediators.order_by("pk")),
            f"{dispute.committee.name}（印章）",
            f"{local_day(dispute.concluded_at):%Y年%m月%d日}",
        ],
    }


def render(lines: dict[str, Any]) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _paragraph(doc, lines["title"], bold=True, size=20, center=True)
    _paragraph(doc, lines["number"], size=12, center=True)
    for line in lines["parties"]:
        _paragraph(doc, line)
    for heading, texts in lines["sections"]:
        _paragraph(doc, heading, bold=True)
        for text in texts or ["—"]:
            _paragraph(doc, text)
    for text in lines["closing"] + lines["signatures"]:
        _paragraph(doc, text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def dispute_generate_agreement(
    *, actor: Any, dispute: Dispute, now: dt.datetime | None = None
) -> DisputeDocument:
    """生成调解协议书: the file is made first (no write), then the step is committed with its digest, then stored."""
    now = now_of(now)
    authorize(dispute, actor, "generate_agreement")
    if dispute.outcome != DisputeOutcome.WRITTEN:
        raise InvalidInput("口头协议不制作调解协议书", code="agreement_not_written")
    data = render(agreement_lines(dispute, viewer=actor))
    digest = hashlib.sha256(data).hexdigest()
    commit(
        dispute,
        actor=actor,
        action="generate_agreement",
        to=None,
        now=now,
        data={"sha256": digest, "size": len(data)},
    )
    document = DisputeDocument(
        dispute=dispute, kind=KIND, size=len(data), sha256=digest, generated_at=now, generated_by=actor
    )
    document.file.save(f"agreement-{dispute.pk}-{digest[:12]}.docx", ContentFile(data), save=False)
    document.save()
    return document
