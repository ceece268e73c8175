"""The command room's intake desk (来电/来信/来访登记): a call, letter or visit filed as an event with the desk's own
fields, or joined to an open event it repeats. A repeat is filed as its own report and merged into the event at
once (`event_merge`), so its caller is on that event's record and hears the result with the first reporter."""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.core.checkdigits import is_valid_id_number
from grassroots.core.errors import InvalidInput
from grassroots.people.models import Person

from ..choices import AttachmentPhase, Mode, Source, Urgency
from ..models import Event, EventType, IntakeRecord
from .intake import _store, event_report
from .intake_files import check_intake_files
from .triage import event_merge

# The channels a person at the desk registers (seed 000's 智慧热线, and the two lines above it). Sensors and other
# systems report through the API (`POST /api/v1/events` with an Idempotency-Key), not here.
DESK_CHANNELS = (
    Source.PHONE,
    Source.LETTER,
    Source.VISIT,
    Source.ONLINE,
    Source.VILLAGE,
    Source.PATROL,
    Source.HOTLINE_12345,
    Source.MAYOR_LINE,
)
# A call comes with the number it came from: the desk writes it down.
PHONE_REQUIRED = frozenset({Source.PHONE, Source.MAYOR_LINE})
PHONE_ERROR = "联系电话应为 7–12 位数字（手机号或带区号的座机）"
MAX_VISITORS = 999


def intake_setting(name: str, default: int) -> int:
    """A local rule of the desk (how near, how recent): configuration with this default."""
    return int(getattr(settings, f"EVENTS_INTAKE_{name}", default))


def phone_digits(phone: str) -> str:
    """The number as stored and matched: digits only ("0573-8456 1234" → "057384561234")."""
    return re.sub(r"[\s\-()（）]", "", phone or "")


@dataclass
class IntakeResult:
    event: Event  # the event filed for this call, letter or visit (merged when it joined another)
    joined: Event | None  # the open event it joined, if it did
    created: bool  # False: a resubmission of the same form (same key), answered with the first


def _desk_errors(
    *,
    channel: str,
    caller_phone: str,
    caller_id_number: str,
    callback_wanted: bool,
    letter_date: dt.date | None,
    visitors: int | None,
    today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if channel not in DESK_CHANNELS:
        errors["channel"] = "请选择来源渠道"
    if caller_phone and not (caller_phone.isdigit() and 7 <= len(caller_phone) <= 12):
        errors["caller_phone"] = PHONE_ERROR
    elif not caller_phone and channel in PHONE_REQUIRED:
        errors["caller_phone"] = "来电须登记来电号码"
    elif not caller_phone and callback_wanted:
        errors["caller_phone"] = "需要回电时请填写联系电话"
    if caller_id_number and not is_valid_id_number(caller_id_number):
        errors["caller_id_number"] = "身份证号码校验不通过，请核对"
    if channel == Source.LETTER:
        if letter_date is None:
            errors["letter_date"] = "请填写来信日期"
        elif letter_date > today:
            errors["letter_date"] = "来信日期不能晚于今天"
    if channel == Source.VISIT and (visitors is None or not 1 <= visitors <= MAX_VISITORS):
        errors["visitors"] = f"请填写来访人数（1–{MAX_VISITORS}）"
    return errors


def intake_register(
    *,
    actor: Person,
    channel: str,
    event_type: EventType,
    title: str = "",
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    caller_name: str = "",
    caller_phone: str = "",
    caller_id_number: str = "",
    callback_wanted: bool = False,
    letter_date: dt.date | None = None,
    letter_reference: str = "",
    visitors: int | None = None,
    urgency: str = Urgency.NORMAL,
    mode: str = "",
    files: Sequence[UploadedFile] = (),
    join: Event | None = None,
    idempotency_key: str | None = None,
) -> IntakeResult:
    """Register one call, letter or visit: an event from `channel` with the caller and the desk's record; with
    `join`, the same report merged into that open event (a repeat call), all or nothing."""
    now = timezone.now()
    caller_phone = phone_digits(caller_phone)
    caller_id_number = caller_id_number.strip().upper()
    errors = _desk_errors(
        channel=channel,
        caller_phone=caller_phone,
        caller_id_number=caller_id_number,
        callback_wanted=callback_wanted,
        letter_date=letter_date,
        visitors=visitors,
        today=timezone.localdate(now),
    )
    if mode and mode not in Mode.values:
        errors["mode"] = "办理方式无效"
    if errors:
        raise InvalidInput("登记内容不完整或有误，请按提示修改", details=errors)
    checked = check_intake_files(files)
    with transaction.atomic():
        result = event_report(
            actor=actor,
            event_type=event_type,
            source=channel,
            title=title.strip() or event_type.name,
            description=description,
            lon=lon,
            lat=lat,
            address=address,
            reporter_name=caller_name,
            reporter_phone=caller_phone,
            urgency=urgency,
            idempotency_key=idempotency_key,
            reported_at=now,
        )
        event = result.event
        if not result.created:
            return IntakeResult(event=event, joined=event.merged_into, created=False)
        if mode:
            # The desk decides how the matter runs (直办/交办/督办); the steps and clocks follow from it.
            Event.objects.filter(pk=event.pk).update(mode=mode)
            event.mode = mode
        for one in checked:
            _store(event, one, phase=AttachmentPhase.REPORT, actor_id=actor.pk, now=now)
        IntakeRecord.objects.create(
            event=event,
            caller_id_number=caller_id_number,
            callback_wanted=callback_wanted,
            letter_date=letter_date if channel == Source.LETTER else None,
            letter_reference=letter_reference.strip()[:50] if channel == Source.LETTER else "",
            visitors=visitors if channel == Source.VISIT else None,
            received_by=actor,
            received_at=now,
        )
        if join is not None:
            event_merge(actor=actor, event=event, into=join, note=_join_note(channel, join))
    return IntakeResult(event=event, joined=join, created=True)


def _join_note(channel: str, into: Event) -> str:
    return f"{Source(channel).label}重复反映，并入 {into.number}"
