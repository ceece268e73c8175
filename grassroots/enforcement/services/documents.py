"""Documents made from a case (文书) as .docx with python-docx: 立案审批表 on 立案, 行政处罚告知书 on 告知,
行政处罚决定书 on the decision, 送达回证 on service. Each is stored under MEDIA and recorded with its number and
SHA-256 in `CaseDocument`, inside the step's transaction (a step that fails leaves at most an unreferenced file).
The words are in `document_texts.py`."""

import datetime as dt
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ..choices import DocumentKind
from ..models import CaseDocument, EnforcementCase
from .document_texts import Line, document_lines
from .numbering import document_number

FONT = "宋体"
TITLE_FONT = "黑体"


def _font(run: Any, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _centered(doc: Any, text: str, *, font: str, size: float, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run, font, size)


def render(lines: list[Line], *, number: str) -> bytes:
    """The lines laid out as a Word document: a centred title and number, paragraphs, form rows as a table."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    table = None
    for style, text in lines:
        if style == "title":
            for part in text.split("\n"):
                _centered(doc, part, font=TITLE_FONT, size=18, bold=True)
            if number:
                _centered(doc, number, font=FONT, size=12)
            continue
        if style == "row":
            label, _, value = text.partition("\t")
            if table is None:
                table = doc.add_table(rows=0, cols=2)
                table.style = "Table Grid"
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
            continue
        table = None
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        if style == "heading":
            run.bold = True
        elif style == "sign":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            paragraph.paragraph_format.first_line_indent = Pt(24)
        _font(run, FONT, 12)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def document_generate(case: EnforcementCase, kind: str, *, actor: Any, now: dt.datetime) -> CaseDocument:
    """Make, store and record one document of the case as it stands now."""
    kind = DocumentKind(kind)
    number = document_number(case, kind)
    decision_number = case.decision_number or document_number(case, DocumentKind.DECISION)
    data = render(document_lines(case, kind, decision_number=decision_number), number=number)
    digest = hashlib.sha256(data).hexdigest()
    document = CaseDocument(
        case=case,
        kind=kind,
        number=number,
        size=len(data),
        sha256=digest,
        generated_at=now,
        generated_by=actor,
    )
    document.file.save(f"{kind.value}-{digest[:16]}.docx", ContentFile(data), save=False)
    document.save()
    return document
