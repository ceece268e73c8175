"""Intake: a report becomes an event (idempotent by client key), located on its grid, with its files."""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import InvalidInput
from grassroots.geo.codes import township_of
from grassroots.geo.index import locate_point
from grassroots.geo.models import Division
from grassroots.people.actors import Actor, Reporter
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import OPEN_STATUSES, AttachmentPhase, Level, Source, Status, Urgency
from ..clock import TRIAGE_HOURS, handling_clock, hours_clock
from ..models import Attachment, Event, EventType, Transition
from ..routing import command_room_for
from ..uploads import Checked, check_upload
from .core import stage_clock_fields

MAX_DESCRIPTION = 4000


@dataclass
class ReportResult:
    event: Event
    created: bool
    duplicate_ids: list[int] = field(default_factory=list)  # open reports like it nearby, oldest first


def _located(lon: float | None, lat: float | None, actor: Reporter) -> dict[str, Any]:
    """Grid, village, township and region code for a point, or for the reporter's own grid."""
    if lon is not None and lat is not None:
        location = locate_point(lon, lat)
        if location is not None:
            return {
                "grid_id": location.grid_id,
                "village_id": location.village_id,
                "township_id": location.township_id,
                "region_code": location.grid_code,
                "outside_grid": not location.inside,
            }
    grid = getattr(actor, "grid", None)
    if grid is not None:
        return {
            "grid_id": grid.pk,
            "village_id": grid.village_id,
            "township_id": grid.village.parent_id,
            "region_code": grid.code,
            "outside_grid": False,
        }
    region = getattr(actor, "region_code", "") or ""
    township = (
        Division.objects.filter(code=township_of(region), valid_to__isnull=True).first()
        if len(region) >= 9
        else None
    )
    return {
        "township_id": township.pk if township else None,
        "region_code": region,
        "outside_grid": lon is not None,
    }


def _validate(
    *, event_type: EventType, title: str, description: str, lon: Any, lat: Any, address: str
) -> None:
    errors: dict[str, str] = {}
    if not event_type.is_active:
        errors["event_type"] = "该事件分类已停用，请选择其他分类"
    if not title.strip():
        errors["title"] = "请填写事件标题"
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = f"描述不能超过 {MAX_DESCRIPTION} 字"
    if (lon is None) != (lat is None):
        errors["location"] = "经度和纬度需同时提供"
    elif lon is not None and not (73 <= lon <= 136 and 3 <= lat <= 54):
        errors["location"] = "位置不在中国境内，请核对经纬度（WGS-84）"
    elif lon is None and not address.strip():
        errors["location"] = "请提供位置（经纬度）或地址"
    if errors:
        raise InvalidInput("上报内容不完整或有误，请按提示修改", details=errors)


def _initial_level(source: str) -> int:
    if source == Source.PATROL:
        return Level.GRID
    if source == Source.VILLAGE:
        return Level.VILLAGE
    return Level.TOWNSHIP


def event_report(
    *,
    actor: Reporter,
    event_type: EventType,
    source: str,
    title: str,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    anonymous: bool = False,
    urgency: str = Urgency.NORMAL,
    idempotency_key: str | None = None,
    files: Sequence[UploadedFile] = (),
    reported_at: dt.datetime | None = None,
) -> ReportResult:
    """File a report. The same `idempotency_key` from the same account returns the first event."""
    person = actor if isinstance(actor, Person) else None
    actor_id = person.pk if person is not None else None
    # An account's keys are unique in the database, so its retry fails to insert and is answered below. Without
    # an account the database cannot tell, so look first.
    if idempotency_key and actor_id is None:
        existing = _replayed(actor_id, idempotency_key)
        if existing is not None:
            return ReportResult(event=existing, created=False)
    _validate(event_type=event_type, title=title, description=description, lon=lon, lat=lat, address=address)
    checked = [check_upload(upload) for upload in files]
    now = timezone.now()
    reported_at = reported_at or now
    staff_reporter = person is not None and source in {Source.PATROL, Source.STAFF, Source.VILLAGE}
    level = _initial_level(source)
    # A grid worker's own report they may fix on the spot runs on the level-1 limit (see `clock.on_grid_clock`).
    if level == Level.GRID and staff_reporter and event_type.self_fixable:
        clock = handling_clock(event_type, Level.GRID, reported_at)
    else:
        clock = hours_clock(reported_at, TRIAGE_HOURS)
    if person is not None and staff_reporter and not anonymous:
        reporter_name = reporter_name or person.name
        reporter_phone = reporter_phone or person.phone
    try:
        with transaction.atomic():
            event = Event(
                source=source,
                event_type=event_type,
                platform=event_type.platform,
                status=Status.REPORTED,
                level=level,
                urgency=urgency,
                title=title.strip()[:200],
                description=description,
                lon=lon,
                lat=lat,
                address=address.strip()[:300],
                reporter_id=actor_id if staff_reporter else None,
                reporter_name="" if anonymous else reporter_name.strip()[:50],
                reporter_phone="" if anonymous else reporter_phone.strip()[:20],
                reporter_email="" if anonymous else reporter_email.strip(),
                anonymous=anonymous,
                created_by_id=actor_id,
                first_receiver_id=actor_id
                if actor_id and getattr(actor, "role", "") in _RECEIVER_ROLES
                else None,
                idempotency_key=idempotency_key or None,
                reported_at=reported_at,
                last_step_at=reported_at,
                version=1,
                **_located(lon, lat, actor),
                **stage_clock_fields(clock),
            )
            event.holder_unit = command_room_for(event)
            event.pk = _next_event_id()
            if event.pk is not None:
                event.number = _number(event)
                event.save(force_insert=True)
            else:
                event.save(force_insert=True)
                event.number = _number(event)
                Event.objects.filter(pk=event.pk).order_by().update(number=event.number)
            Transition.objects.create(
                event=event,
                seq=1,
                at=reported_at,
                actor_id=actor_id,
                action="report",
                from_status="",
                to_status=Status.REPORTED,
                level=event.level,
                unit=event.holder_unit,
                data={"source": source},
            )
            for one in checked:
                _store(event, one, phase=AttachmentPhase.REPORT, actor_id=actor_id, now=now)
            audit_record(actor=actor, action="event.report", obj=event, detail={"source": source})
    except IntegrityError:
        # A concurrent retry with the same key won the insert: answer with its event.
        if idempotency_key:
            existing = _replayed(actor_id, idempotency_key)
            if existing is not None:
                return ReportResult(event=existing, created=False)
        raise
    return ReportResult(event=event, created=True, duplicate_ids=duplicate_candidate_ids(event))


def _replayed(actor_id: Any, idempotency_key: str) -> Event | None:
    """The event this account already filed under this key (a retry), if any."""
    return (
        Event.objects.filter(created_by_id=actor_id, idempotency_key=idempotency_key).order_by("pk").first()
    )


_TZ8 = dt.timezone(dt.timedelta(hours=8))


def _number(event: Event) -> str:
    """The readable number: type, Beijing date, row id (e.g. ZF0101-20261121-000031)."""
    return f"{event.event_type.code}-{event.reported_at.astimezone(_TZ8):%Y%m%d}-{event.pk:06d}"


def _next_event_id() -> int | None:
    """On PostgreSQL, the next row id from the table's sequence, so the number goes in with the insert (an update
    afterwards would write every index of the row again). SQLite has no sequence to ask: None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Event._meta.db_table])
        return cursor.fetchone()[0]


_RECEIVER_ROLES = {Role.OPERATOR, Role.DISPATCHER, Role.SHIFT_LEAD, Role.CENTRE_OPERATOR}


def _store(event: Event, checked: Checked, *, phase: str, actor_id: Any, now: Any) -> Attachment:
    upload, sniffed, digest, exif = checked
    attachment = Attachment(
        event=event,
        kind=sniffed.kind,
        phase=phase,
        content_type=sniffed.content_type,
        size=upload.size or 0,
        sha256=digest,
        extension=sniffed.extension,
        original_name=(upload.name or "")[:200],
        exif=exif,
        uploaded_by_id=actor_id,
        uploaded_at=now,
    )
    attachment.file.save(digest + sniffed.extension, upload, save=False)
    attachment.save()
    return attachment


def attachments_add(
    *, actor: Actor, event: Event, files: Sequence[UploadedFile], phase: str
) -> list[Attachment]:
    """Attach checked files to an event (each checked before any is stored)."""
    if not files:
        return []
    checked = [check_upload(upload) for upload in files]
    now = timezone.now()
    with transaction.atomic():
        stored = [
            _store(event, one, phase=phase, actor_id=actor.pk if actor else None, now=now) for one in checked
        ]
        if stored:
            audit_record(
                actor=actor, action="event.attach", obj=event, detail={"phase": phase, "count": len(stored)}
            )
    return stored


def _metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6_371_000 * math.hypot(x, y)


def duplicate_candidate_ids(event: Event) -> list[int]:
    """Open events of the same type near this one, reported within the type's window: offered for merging.

    Asked after every report, so written as one indexed query (type, then a band of latitude) that reads only
    ids and places; callers load what they show through the viewer's scope. Oldest first.
    """
    lon, lat = event.lon, event.lat
    if lon is None or lat is None:
        return []
    event_type = event.event_type
    radius = event_type.duplicate_radius_m
    window = dt.timedelta(hours=event_type.duplicate_window_hours)
    dlat = radius / 111_000
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    statuses = sorted(OPEN_STATUSES)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT id, lon, lat FROM {Event._meta.db_table}
            WHERE event_type_id = %s AND lat BETWEEN %s AND %s AND lon BETWEEN %s AND %s
              AND reported_at BETWEEN %s AND %s AND status IN ({", ".join(["%s"] * len(statuses))}) AND id <> %s
            ORDER BY reported_at, id LIMIT 20""",
            [
                event.event_type_id,
                lat - dlat,
                lat + dlat,
                lon - dlon,
                lon + dlon,
                adapt(event.reported_at - window),
                adapt(event.reported_at + window),
                *statuses,
                event.pk,
            ],
        )
        return [pk for pk, x, y in cursor.fetchall() if _metres(lon, lat, x, y) <= radius]
