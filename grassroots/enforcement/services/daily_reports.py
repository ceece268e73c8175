"""每日巡查上报: an officer's report of a day's inspections, and evidence sent from the phone, both idempotent by
the phone's key (a replay from the outbox answers the first record, as event reports do).

A day's report is due `ENFORCEMENT_DAILY_REPORT_HOURS` (default 24) after the day's end in China's time: for
2026-03-02 that is 2026-03-04 00:00. Submitted at that moment it is on time; a second later it is kept and
flagged late (counted in the bulletin).
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.draws.models import Inspector
from grassroots.events.choices import AttachmentKind
from grassroots.events.uploads import Checked, check_upload
from grassroots.workcal.calendar import SHANGHAI

from ..models import DailyReport, DailyReportPhoto, EnforcementCase, Evidence, EvidenceReceipt, RosterShift
from .investigation import case_add_evidence

DEFAULT_HOURS = 24
MAX_PHOTOS = 9
TEXT_MAX = 2000
KEY_MAX = 64


def report_hours() -> int:
    """How long after a day's end its report is on time (setting `ENFORCEMENT_DAILY_REPORT_HOURS`)."""
    return int(getattr(settings, "ENFORCEMENT_DAILY_REPORT_HOURS", DEFAULT_HOURS))


def report_due_at(day: dt.date) -> dt.datetime:
    """The end of `day` in China's time plus the reporting hours."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    return end + dt.timedelta(hours=report_hours())


def today_in_china(now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(SHANGHAI).date()


@dataclass(frozen=True)
class Submitted:
    report: DailyReport
    created: bool  # False: a replay of the same key answered with the first report


def _key(idempotency_key: str | None) -> str | None:
    key = (idempotency_key or "").strip()
    if len(key) > KEY_MAX:
        raise InvalidInput("幂等键过长", code="idempotency_key_too_long")
    return key or None


def _replayed(actor: Any, key: str | None) -> DailyReport | None:
    if key is None:
        return None
    return DailyReport.objects.filter(officer=actor, idempotency_key=key).first()


def officer_pool_entry(actor: Any, day: dt.date) -> Inspector:
    """The officer's entry in the pool, with a certificate valid on the day."""
    entry = Inspector.objects.select_related("unit").filter(person=actor, active=True).first()
    if entry is None:
        raise InvalidInput("您不在执法人员名录库中，不能上报巡查", code="officer_not_in_pool")
    if entry.certificate_valid_to < day:
        raise InvalidInput(
            f"您的执法证有效期至 {entry.certificate_valid_to:%Y-%m-%d}，巡查当日无效",
            code="officer_certificate_invalid",
        )
    return entry


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > TEXT_MAX:
        raise InvalidInput(
            f"{label}不能超过 {TEXT_MAX} 字", code="report_text_too_long", details={"field": label}
        )
    return value


def _counts(checked: Any, problems_found: Any) -> tuple[int, int]:
    try:
        checked_n, problems_n = int(checked), int(problems_found or 0)
    except (TypeError, ValueError) as exc:
        raise InvalidInput("检查数和问题数应为整数", code="report_count_invalid") from exc
    if checked_n < 0 or problems_n < 0 or checked_n > 10_000:
        raise InvalidInput("检查数和问题数应为 0–10000 的整数", code="report_count_invalid")
    if problems_n > checked_n:
        raise InvalidInput("发现问题数不能多于检查数", code="report_problems_exceed_checked")
    return checked_n, problems_n


def _photos(photos: Sequence[UploadedFile]) -> list[Checked]:
    if len(photos) > MAX_PHOTOS:
        raise InvalidInput(f"最多上传 {MAX_PHOTOS} 张照片", code="too_many_photos")
    checked = []
    for upload in photos:
        one = check_upload(upload)
        if one.sniffed.kind != AttachmentKind.PHOTO:
            raise InvalidInput(f"文件“{upload.name}”不是照片", code="unsupported_file_type")
        checked.append(one)
    return checked


def _guard_shift(shift: RosterShift | None, actor: Any, day: dt.date) -> None:
    if shift is None:
        return
    if shift.officer_id != actor.pk:
        raise InvalidInput("这不是您的班次", code="shift_not_yours")
    if shift.day != day:
        raise InvalidInput("上报日期与班次日期不一致", code="shift_day_mismatch")


def daily_report_submit(
    *,
    actor: Any,
    day: dt.date,
    checked: Any,
    places: str = "",
    problems_found: Any = 0,
    problems: str = "",
    note: str = "",
    lon: float | None = None,
    lat: float | None = None,
    photos: Sequence[UploadedFile] = (),
    shift: RosterShift | None = None,
    idempotency_key: str | None = None,
    now: dt.datetime | None = None,
) -> Submitted:
    """Report a day's (or a roster shift's) inspections. Late reports are accepted and flagged; one report per
    officer and day (or per shift); the same key from the same officer answers the first report."""
    now = (now or timezone.now()).replace(microsecond=0)
    key = _key(idempotency_key)
    existing = _replayed(actor, key)
    if existing is not None:
        return Submitted(existing, created=False)
    if day > today_in_china(now):
        raise InvalidInput("不能上报今天以后的巡查", code="report_day_in_future")
    entry = officer_pool_entry(actor, day)
    _guard_shift(shift, actor, day)
    checked_n, problems_n = _counts(checked, problems_found)
    if (lon is None) != (lat is None):
        raise InvalidInput("经度和纬度须同时填写", code="place_bad_coordinates")
    files = _photos(photos)
    due = report_due_at(day)
    report = DailyReport(
        officer=actor,
        unit=entry.unit,
        day=day,
        shift=shift,
        checked=checked_n,
        places=_text(places, "检查的场所/主体"),
        problems_found=problems_n,
        problems=_text(problems, "发现的问题"),
        note=_text(note, "备注"),
        lon=lon,
        lat=lat,
        submitted_at=now,
        due_at=due,
        late=now > due,
        idempotency_key=key,
    )
    try:
        with transaction.atomic():
            report.save()
            for upload, sniffed, digest, exif in files:
                photo = DailyReportPhoto(
                    report=report,
                    content_type=sniffed.content_type,
                    size=upload.size or 0,
                    sha256=digest,
                    extension=sniffed.extension,
                    exif=exif,
                )
                photo.file.save(f"{digest}{sniffed.extension}", upload, save=False)
                photo.save()
            audit_record(
                actor=actor,
                action="daily_report.submit",
                obj=report,
                detail={
                    "day": day.isoformat(),
                    "checked": checked_n,
                    "late": report.late,
                    "shift": shift and shift.pk,
                },
            )
    except IntegrityError as exc:
        # A concurrent replay of the same key won, or the day (shift) is already reported.
        replay = _replayed(actor, key)
        if replay is not None:
            return Submitted(replay, created=False)
        raise Conflict(
            f"{day:%Y-%m-%d} 的巡查已上报" + ("（该班次）" if shift else ""), code="daily_report_exists"
        ) from exc
    return Submitted(report, created=True)


def my_shifts(actor: Any, day: dt.date) -> list[RosterShift]:
    """The officer's roster shifts on the day, with whether each has been reported."""
    return list(
        RosterShift.objects.filter(officer=actor, day=day)
        .select_related("post__station")
        .prefetch_related("reports")
        .order_by("kind")
    )


# -- evidence from the phone ----------------------------------------------------------------------------------


def phone_evidence_add(
    *,
    actor: Any,
    case: EnforcementCase,
    kind: str,
    file: UploadedFile | None,
    description: str,
    lon: float | None,
    lat: float | None,
    taken_at: dt.datetime | None,
    idempotency_key: str | None,
    now: dt.datetime | None = None,
) -> tuple[Evidence, bool]:
    """`case_add_evidence` with the phone's key: the evidence and whether it is new (a replay answers the first)."""
    key = _key(idempotency_key)
    if key is not None:
        receipt = EvidenceReceipt.objects.select_related("evidence").filter(person=actor, key=key).first()
        if receipt is not None:
            return receipt.evidence, False
    try:
        with transaction.atomic():
            evidence = case_add_evidence(
                actor=actor,
                case=case,
                kind=kind,
                file=file,
                description=description,
                lon=lon,
                lat=lat,
                taken_at=taken_at,
                now=now,
            )
            if key is not None:
                EvidenceReceipt.objects.create(evidence=evidence, person=actor, key=key)
    except IntegrityError:
        receipt = EvidenceReceipt.objects.select_related("evidence").filter(person=actor, key=key).first()
        if receipt is None:
            raise
        return receipt.evidence, False
    return evidence, True
