"""Exports of personal data (等保, DOMAIN.md §10): the reason (事由) asked before any file leaves, and the watermark
every file carries — who exported it, when, and why — in an .xlsx page header, footer and document properties, in a
.docx header, and as a visible line on a print view. One module, used by every export."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from docx import Document
from openpyxl import Workbook, load_workbook

from .errors import InvalidInput

REASON_MAX = 100


@dataclass(frozen=True)
class Watermark:
    """Who took the file, when, and why."""

    name: str
    account: str
    at: dt.datetime
    reason: str

    @property
    def text(self) -> str:
        local = timezone.localtime(self.at)
        return f"导出人：{self.name}（{self.account}） 导出时间：{local:%Y-%m-%d %H:%M} 事由：{self.reason}"


def watermark_of(person: Any, reason: str, *, at: dt.datetime | None = None) -> Watermark:
    return Watermark(name=person.name, account=person.username, at=at or timezone.now(), reason=reason)


class ExportReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("导出事由"),
        max_length=REASON_MAX,
        error_messages={"required": _("请填写导出事由"), "max_length": _("导出事由不超过 100 字")},
        help_text=_("导出的文件含有个人信息，请写明用途（如：周例会通报、核查反映人身份）"),
    )


def export_reason(request: HttpRequest, *, title: str) -> str | HttpResponse:
    """The `reason` of the query, or the page asking for it: the form sends the same query back with the reason
    added, so the export's filters are kept. A query without `reason` gets the form (200), an empty or too long
    one the form with its error (400); never the file."""
    form = ExportReasonForm(request.GET if "reason" in request.GET else None)
    if form.is_bound and form.is_valid():
        return str(form.cleaned_data["reason"])
    kept = [(k, v) for k, values in request.GET.lists() if k != "reason" for v in values]
    context = {"form": form, "title": title, "action": request.path, "kept": kept}
    return render(request, "core/export_reason.html", context, status=400 if form.is_bound else 200)


def reason_required(reason: str | None) -> str:
    """The API's `reason` parameter, trimmed; refused (422, `export_reason_required`) when missing, blank or long."""
    text = (reason or "").strip()
    if not text or len(text) > REASON_MAX:
        raise InvalidInput(
            f"文件含有个人信息，请在 reason 参数中写明导出事由（1–{REASON_MAX} 字）",
            code="export_reason_required",
        )
    return text


def docx_copy(stored: Any, mark: Watermark) -> bytes:
    """A stored .docx (a FieldFile) read and watermarked; the stored file itself is left as it was."""
    with stored.open("rb") as handle:
        return watermark_docx(handle.read(), mark)


def _header_text(mark: Watermark) -> str:
    # "&" starts a control code in an Excel header; a doubled one is a literal ampersand.
    return mark.text.replace("&", "&&")


def watermark_workbook(workbook: Workbook, mark: Watermark) -> None:
    """Every sheet's page header and footer (printed on each page), and the file's own properties."""
    for sheet in workbook.worksheets:
        for part in (sheet.oddHeader.center, sheet.oddFooter.left):
            part.text = _header_text(mark)
            part.size = 8
    workbook.properties.creator = mark.account
    workbook.properties.description = mark.text
    workbook.properties.keywords = "含个人信息"


def watermark_xlsx(content: bytes, mark: Watermark) -> bytes:
    """A stored workbook (charts kept) with the watermark, for files made before anyone asked for them."""
    workbook = load_workbook(io.BytesIO(content))
    watermark_workbook(workbook, mark)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def watermark_docx(content: bytes, mark: Watermark) -> bytes:
    """The document with the watermark as the first line of every section's page header."""
    document = Document(io.BytesIO(content))
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        if paragraph.text:
            paragraph.insert_paragraph_before(mark.text)
        else:
            paragraph.add_run(mark.text)
    document.core_properties.comments = mark.text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
