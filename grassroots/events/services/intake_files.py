"""Files taken at the intake desk: what a phone may send (photos, audio, checked by `uploads.check_upload`) and a
scanned letter as PDF, each checked by its bytes and size before anything is stored."""

import hashlib
from collections.abc import Sequence

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from grassroots.core.errors import InvalidInput

from ..choices import AttachmentKind
from ..uploads import Checked, Sniffed, check_upload

MAX_FILES = 10
PDF = Sniffed(AttachmentKind.DOCUMENT, "application/pdf", ".pdf")


def max_pdf_bytes() -> int:
    """A scanned letter's limit: `EVENTS_INTAKE_MAX_PDF_MB` megabytes (20 unless configured)."""
    return int(getattr(settings, "EVENTS_INTAKE_MAX_PDF_MB", 20)) * 1024 * 1024


def check_intake_file(upload: UploadedFile) -> Checked:
    """An acceptable file checked (what to store, its type and SHA-256), or InvalidInput in Chinese (named guards' codes)."""
    name = upload.name or "附件"
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        try:
            return check_upload(upload)
        except InvalidInput as exc:
            message = exc.message
            if exc.code == "unsupported_file_type":
                message = f"文件“{name}”不是支持的扫描件（PDF）、图片（JPEG/PNG/WebP/HEIC）或录音格式"
            raise InvalidInput(message, code=exc.code, details={"files": name}) from exc
    size = upload.size or 0
    limit = max_pdf_bytes()
    if size > limit:
        raise InvalidInput(
            f"文件“{name}”大小 {size / 1048576:.1f} MB，超过扫描件上限 {limit // 1048576} MB",
            code="file_too_large",
            details={"files": name},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(upload, PDF, digest.hexdigest(), {})


def check_intake_files(files: Sequence[UploadedFile]) -> list[Checked]:
    """Every file checked before any is stored (one refusal refuses the submission)."""
    if len(files) > MAX_FILES:
        raise InvalidInput(
            f"一次最多上传 {MAX_FILES} 个附件", code="too_many_files", details={"files": len(files)}
        )
    return [check_intake_file(upload) for upload in files]
