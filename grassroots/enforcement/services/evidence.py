"""Evidence files, checked by their bytes and size before anything is written: photos and audio as the event
uploads are (grassroots/events/uploads.py), and PDF for documents (a document may also be a photo of the paper)."""

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from grassroots.core.errors import InvalidInput
from grassroots.events.choices import AttachmentKind
from grassroots.events.uploads import check_upload

from ..choices import EvidenceKind
from ..models import EnforcementCase, Evidence

PDF_MAX_BYTES = 20 * 1024 * 1024
NOTE_MAX = 4000


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    content_type: str
    extension: str
    sha256: str
    exif: dict[str, Any]


def _check_pdf(upload: UploadedFile) -> CheckedFile:
    name = upload.name or "文件"
    size = upload.size or 0
    if size > PDF_MAX_BYTES:
        raise InvalidInput(
            f"文件“{name}”大小 {size / 1048576:.1f} MB，超过 PDF 上限 {PDF_MAX_BYTES // 1048576} MB",
            code="file_too_large",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, "application/pdf", ".pdf", digest.hexdigest(), {})


def check_evidence_file(kind: str, upload: UploadedFile | None) -> CheckedFile | None:
    """The file of a piece of evidence of `kind`, checked by its first bytes: a photo for a photo, audio for a
    recording, a PDF or a photo for a document; a note has no file."""
    if kind not in EvidenceKind.values:
        raise InvalidInput("请选择证据类型", code="evidence_kind_unknown")
    if kind == EvidenceKind.NOTE:
        if upload is not None:
            raise InvalidInput("笔录摘要不附文件，请选择其他证据类型", code="evidence_note_with_file")
        return None
    if upload is None:
        raise InvalidInput("请上传证据文件", code="evidence_file_required")
    if not upload.size:
        raise InvalidInput(f"文件“{upload.name or '文件'}”是空文件", code="empty_file")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if kind == EvidenceKind.DOCUMENT and head.startswith(b"%PDF-"):
        return _check_pdf(upload)
    stored, sniffed, digest, exif = check_upload(upload)
    wanted = {
        EvidenceKind.PHOTO: {AttachmentKind.PHOTO},
        EvidenceKind.AUDIO: {AttachmentKind.AUDIO},
        EvidenceKind.DOCUMENT: {AttachmentKind.PHOTO},
    }[EvidenceKind(kind)]
    if sniffed.kind not in wanted:
        raise InvalidInput(
            f"文件“{upload.name}”与证据类型“{EvidenceKind(kind).label}”不符", code="unsupported_file_type"
        )
    return CheckedFile(stored, sniffed.content_type, sniffed.extension, digest, exif)


def save_evidence(
    case: EnforcementCase,
    *,
    kind: str,
    checked: CheckedFile | None,
    description: str,
    lon: float | None,
    lat: float | None,
    taken_at: dt.datetime,
    actor: Any,
    now: dt.datetime,
) -> Evidence:
    evidence = Evidence(
        case=case,
        kind=kind,
        description=description,
        lon=lon,
        lat=lat,
        taken_at=taken_at,
        taken_by=actor,
        added_at=now,
    )
    if checked is not None:
        evidence.content_type = checked.content_type
        evidence.size = checked.upload.size or 0
        evidence.sha256 = checked.sha256
        evidence.extension = checked.extension
        evidence.original_name = (checked.upload.name or "")[:200]
        evidence.exif = checked.exif
        evidence.file.save(f"{checked.sha256}{checked.extension}", checked.upload, save=False)
    evidence.save()
    return evidence
