"""Writes from the phone: the visit log, and the two-step acts a grid worker does on site in one go.

The event steps themselves are the loop's services (`grassroots.events.services`); what is here only chains
them in one transaction so a half-done act (an event reported but not marked fixed) never stays behind.
"""

import datetime as dt
from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.events import services as event_services
from grassroots.events.choices import AttachmentPhase, Source, Status
from grassroots.events.models import Event, EventType
from grassroots.events.permissions import visible_to
from grassroots.people.models import Person

from .choices import VisitKind
from .models import Visit
from .permissions import uses_phone_pages

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=10)


def _check_point(lon: float | None, lat: float | None, errors: dict[str, str]) -> None:
    if (lon is None) != (lat is None):
        errors["location"] = "经度和纬度需同时提供"
    elif lon is not None and lat is not None and not (73 <= lon <= 136 and 3 <= lat <= 54):
        errors["location"] = "位置不在中国境内，请重新定位"


@transaction.atomic
def visit_record(
    *,
    actor: Person,
    kind: str,
    household: str,
    address: str = "",
    visited_at: dt.datetime | None = None,
    notes: str = "",
    lon: float | None = None,
    lat: float | None = None,
    follow_up: bool = False,
    event: Event | None = None,
) -> Visit:
    """Log a visit in the actor's own grid (the visited party's name is not written to the audit row)."""
    if not uses_phone_pages(actor):
        raise Forbidden("只有网格员可以记录走访", code="not_permitted")
    now = timezone.now()
    visited_at = visited_at or now
    errors: dict[str, str] = {}
    if kind not in VisitKind.values:
        errors["kind"] = "请选择走访类型"
    if not household.strip():
        errors["household"] = "请填写走访对象（户主姓名或企业名称）"
    if visited_at > now + CLOCK_SKEW:
        errors["visited_at"] = "走访时间不能晚于现在"
    _check_point(lon, lat, errors)
    if event is not None and not visible_to(actor).filter(pk=event.pk).exists():
        errors["event"] = "事件不存在或不在您的管辖范围内"
    grid = actor.grid
    if grid is None:
        errors["grid"] = "您还没有分配网格，不能登记走访"
    if errors:
        raise InvalidInput("走访记录不完整或有误，请按提示修改", details=errors)
    assert grid is not None
    visit = Visit.objects.create(
        worker=actor,
        grid=grid,
        region_code=grid.code,
        kind=kind,
        household=household.strip()[:100],
        address=address.strip()[:200],
        visited_at=visited_at,
        notes=notes.strip(),
        lon=lon,
        lat=lat,
        follow_up=follow_up,
        event=event,
    )
    audit_record(
        actor=actor,
        action="visit.record",
        obj=visit,
        detail={"kind": kind, "follow_up": follow_up, "event": event.pk if event else None},
    )
    return visit


@transaction.atomic
def visit_link_event(*, actor: Person, visit: Visit, event: Event) -> Visit:
    """Record that `event` was reported from this visit. Linking the same event again changes nothing."""
    if visit.worker_id != actor.pk:
        raise Forbidden("只能关联本人的走访记录", code="not_permitted")
    if not visible_to(actor).filter(pk=event.pk).exists():
        raise InvalidInput("事件不存在或不在您的管辖范围内", details={"event": "不存在"})
    if visit.event_id == event.pk:
        return visit
    if visit.event_id is not None:
        raise Conflict("该走访记录已关联其他事件", code="visit_already_linked")
    Visit.objects.filter(pk=visit.pk).update(event=event)
    visit.event = event
    audit_record(actor=actor, action="visit.link_event", obj=visit, detail={"event": event.pk})
    return visit


@transaction.atomic
def patrol_report(
    *,
    actor: Person,
    event_type: EventType,
    title: str,
    description: str = "",
    lon: float | None = None,
    lat: float | None = None,
    address: str = "",
    idempotency_key: str | None = None,
    files: Sequence[UploadedFile] = (),
    fixed: bool = False,
    fix_note: str = "",
    after_files: Sequence[UploadedFile] = (),
) -> event_services.ReportResult:
    """A grid worker's report from patrol; `fixed`: they fixed it on the spot (自行处置, with after photos).

    Both steps or neither: a fix that is refused (type not self-fixable, no photos) undoes the report too.
    """
    if fixed and not after_files:
        raise InvalidInput("自行处置须上传处置后照片", details={"after_files": "至少一张照片"})
    result = event_services.event_report(
        actor=actor,
        event_type=event_type,
        source=Source.PATROL,
        title=title,
        description=description,
        lon=lon,
        lat=lat,
        address=address,
        idempotency_key=idempotency_key,
        files=files,
    )
    if fixed and result.event.status == Status.REPORTED:
        event_services.event_self_handle(
            actor=actor, event=result.event, note=fix_note or "现场自行处置", files=after_files
        )
    return result


@transaction.atomic
def event_verify_on_site(
    *, actor: Person, event: Event, valid: bool, note: str = "", files: Sequence[UploadedFile] = ()
) -> Event:
    """The verifier's finding (属实 / 不属实) with the photos taken on site."""
    event_services.event_verify(actor=actor, event=event, valid=valid, note=note)
    event_services.attachments_add(actor=actor, event=event, files=files, phase=AttachmentPhase.CHECK)
    return event
