"""What every step of an inspection shares: authorise against the table, compare-and-set the inspection with its
history and audit rows, keep its photos, and the rectification clock."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from grassroots.core.errors import InvalidInput
from grassroots.events.choices import AttachmentKind
from grassroots.events.uploads import Checked, check_upload
from grassroots.workflow.commit import Moved, commit_move

from ..models import Inspection, InspectionHistory, InspectionPhoto
from ..permissions import inspection_actor_kinds
from ..rules import INSPECTION

STALE = ("stale_inspection", "检查已被他人处理或已变化，请刷新后重试")
WORKFLOW = "inspection"
RECTIFY_CLOCK = "rectification"
MAX_PHOTOS = 9


def rectify_days_default() -> int:
    """整改期限 in working days when the inspector gives none (a local rule: configuration with this default)."""
    return int(getattr(settings, "MARKET_RECTIFY_WORKING_DAYS", 10))


def authorize(inspection: Inspection, actor: Any, action: str) -> set[str]:
    kinds = inspection_actor_kinds(inspection, actor)
    INSPECTION.authorize(action, inspection.status, kinds, what="检查")
    return kinds


def commit(
    inspection: Inspection,
    *,
    actor: Any,
    action: str,
    to: str | None,
    now: dt.datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
    **fields: Any,
) -> Moved:
    """Move the inspection (as loaded) to `to` with `fields`, and record the step; a lost race is a 409."""
    payload = {k: v for k, v in (data or {}).items() if v not in (None, "", [])}

    def history(record: Inspection, moved: Moved) -> InspectionHistory:
        return InspectionHistory.objects.create(
            inspection=record,
            action=action,
            from_status=moved.from_status,
            to_status=moved.to_status,
            actor=actor,
            at=moved.at,
            note=note,
            data=payload,
        )

    moved, _ = commit_move(
        inspection,
        workflow=WORKFLOW,
        actor=actor,
        action=action,
        to=to,
        history=history,
        data=payload,
        now=now,
        stale=STALE,
        **fields,
    )
    return moved


def check_photos(files: Sequence[UploadedFile]) -> list[Checked]:
    """Each upload's sniffed type and digest; photos only, at most MAX_PHOTOS, refused before anything is written."""
    if len(files) > MAX_PHOTOS:
        raise InvalidInput(f"每次最多上传 {MAX_PHOTOS} 张照片", code="too_many_files")
    checked = []
    for upload in files:
        one = check_upload(upload)
        if one.sniffed.kind != AttachmentKind.PHOTO:
            raise InvalidInput(f"文件“{upload.name}”不是照片", code="unsupported_file_type")
        checked.append(one)
    return checked


def save_photos(
    inspection: Inspection,
    checked: list[Checked],
    *,
    stage: str,
    actor: Any,
    now: dt.datetime,
) -> list[InspectionPhoto]:
    photos = []
    for upload, sniffed, digest, exif in checked:
        photo = InspectionPhoto(
            inspection=inspection,
            stage=stage,
            content_type=sniffed.content_type,
            size=upload.size or 0,
            sha256=digest,
            extension=sniffed.extension,
            original_name=(upload.name or "")[:200],
            exif=exif,
            uploaded_by=actor,
            uploaded_at=now,
        )
        photo.file.save(f"{digest}{sniffed.extension}", upload, save=False)
        photo.save()
        photos.append(photo)
    return photos
