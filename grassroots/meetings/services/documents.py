"""The minutes as a Word file (python-docx): the meeting's particulars, who came, the agenda with the records it
discussed, the minutes and the decisions with their owners and deadlines. Each export is stored under MEDIA with its
SHA-256 in `MinutesDocument`, in the step's transaction."""

import datetime as dt
import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from grassroots.audit.services import audit_record
from grassroots.core.watermark import watermark_docx, watermark_of
from grassroots.workflow.links import links_of

from ..choices import Presence
from ..models import Meeting, MinutesDocument
from .common import authorize, commit

FONT = "宋体"
TITLE_FONT = "黑体"
_TZ8 = dt.timezone(dt.timedelta(hours=8))


def _font(run: Any, name: str, size: float) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc: Any, text: str, *, bold: bool = False, size: float = 12, center: bool = False) -> None:
    paragraph = doc.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    _font(run, TITLE_FONT if center else FONT, size)


def _local(moment: dt.datetime | None) -> str:
    return moment.astimezone(_TZ8).strftime("%Y年%m月%d日 %H:%M") if moment else "—"


def minutes_lines(meeting: Meeting, *, viewer: Any) -> dict[str, Any]:
    """What the file says, as plain data (the tests read the .docx back and compare)."""
    people = list(meeting.attendances.select_related("person", "unit"))

    def names(presence: str) -> str:
        return "、".join(
            f"{a.person.name}（{a.unit}）"
            if a.person and a.unit
            else (a.person.name if a.person else str(a.unit))
            for a in people
            if a.presence == presence
        )

    titles = {
        (s.workflow, s.object_id): f"{s.workflow_label} {s.title}"
        for s in links_of(viewer=viewer, workflow="meeting", object_id=meeting.pk)
    }
    agenda = [
        f"{item.position}. {item.title}"
        + (
            f"（{titles[(item.ref_workflow, item.ref_id or 0)]}）"
            if (item.ref_workflow, item.ref_id or 0) in titles
            else ""
        )
        for item in meeting.agenda.all()
    ]
    decisions = [
        f"{t.number}  {t.text}  责任：{t.owner_label}  时限：{t.limit_days} 个工作日（{_local(t.due_at)}前）"
        for t in meeting.tasks.select_related("owner_unit", "owner_person").order_by("pk")
    ]
    return {
        "title": f"{meeting.township.name}{meeting.get_forum_display()}{meeting.get_kind_display()}纪要",
        "rows": [
            ("会议名称", meeting.title),
            ("会议编号", meeting.number or ""),
            ("时间", _local(meeting.held_at or meeting.starts_at)),
            ("地点", meeting.place or "—"),
            ("召集人", meeting.convenor.name),
            ("出席", names(Presence.PRESENT) or "—"),
            ("请假", names(Presence.LEAVE) or "—"),
            ("缺席", names(Presence.ABSENT) or "—"),
        ],
        "agenda": agenda,
        "minutes": [p for p in meeting.minutes.splitlines() if p.strip()],
        "decisions": decisions,
        "approved": (
            f"纪要审定：{meeting.minutes_approved_by.name} {_local(meeting.minutes_approved_at)}"
            if meeting.minutes_approved_by
            else "纪要尚未审定"
        ),
    }


def render(lines: dict[str, Any]) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _paragraph(doc, lines["title"], bold=True, size=18, center=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in lines["rows"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for heading, key in (
        ("一、会议议题", "agenda"),
        ("二、会议纪要", "minutes"),
        ("三、决定事项", "decisions"),
    ):
        _paragraph(doc, heading, bold=True)
        for text in lines[key] or ["无"]:
            _paragraph(doc, text)
    _paragraph(doc, lines["approved"])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def meeting_export_minutes(
    *, actor: Any, meeting: Meeting, now: dt.datetime | None = None
) -> MinutesDocument:
    """导出纪要: the file is made first (no write), then the step is committed with its digest, then it is stored."""
    authorize(meeting, actor, "export_minutes")
    now = now or timezone.now()
    data = render(minutes_lines(meeting, viewer=actor))
    digest = hashlib.sha256(data).hexdigest()
    commit(
        meeting,
        actor=actor,
        action="export_minutes",
        to=None,
        now=now,
        data={"sha256": digest, "size": len(data)},
    )
    document = MinutesDocument(
        meeting=meeting, size=len(data), sha256=digest, generated_at=now, generated_by=actor
    )
    document.file.save(f"{meeting.number}-{digest[:12]}.docx", ContentFile(data), save=False)
    document.save()
    return document


@transaction.atomic
def minutes_download(*, actor: Any, document: MinutesDocument, reason: str) -> bytes:
    """A watermarked copy of the stored minutes (who, when, why in the page header), audited with the reason. The
    stored file keeps the digest its step recorded; only the copy carries the mark."""
    with document.file.open("rb") as handle:
        data = watermark_docx(handle.read(), watermark_of(actor, reason))
    audit_record(
        actor=actor,
        action="minutesdocument.download",
        obj=document,
        detail={"reason": reason, "meeting": document.meeting_id, "sha256": document.sha256},
    )
    return data
