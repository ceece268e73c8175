"""Writes of the public intake: client keys, rate counters, and filing a request into the event loop.

A request becomes an event through `grassroots.events.services.event_report` (source "open311" for clients,
"online" for the report page), filed by the client's service account so a retry with the same idempotency key
returns the first event. The `Open311Request` row that publishes it is written in the same transaction.
"""

import datetime as dt
import hashlib
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.core.errors import InvalidInput
from grassroots.events.choices import AttachmentKind, Source
from grassroots.events.models import EventType
from grassroots.events.services import event_report
from grassroots.events.uploads import check_upload
from grassroots.geo.index import locate_point
from grassroots.geo.models import Division, Grid
from grassroots.people.actors import Actor
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .choices import Channel
from .models import Open311Request, OpenClient, RateCounter
from .validation import MAX_TEXT, attributes_of, attributes_summary, clean_attributes, reject_script

# A point further than this from every grid of the jurisdiction is not ours to handle.
MAX_OUTSIDE_METRES = 1000
MAX_PHOTOS = 3
PUBLIC_PAGE_USERNAME = "open311-public-page"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# -- clients --------------------------------------------------------------------------------------------------


def _service_account(*, username: str, name: str, district: Division) -> Person:
    """A person that files on behalf of a client: no password, no login, scoped to the district.

    The role is the one with the least power (a volunteer); an inactive account sees nothing anyway.
    """
    person = Person(
        username=username, name=name[:50], role=Role.VOLUNTEER, division=district, is_active=False
    )
    person.set_unusable_password()
    person.save()
    return person


@transaction.atomic
def open_client_create(
    *, actor: Actor, name: str, district: Division, rate_limit_per_minute: int = 60, contact: str = ""
) -> tuple[OpenClient, str]:
    """A new client with its service account; the plain key is returned once and never stored."""
    if not name.strip():
        raise InvalidInput("请填写客户端名称", details={"name": "必填"})
    key = secrets.token_urlsafe(32)
    person = _service_account(
        username=f"open311-{secrets.token_hex(6)}", name=f"Open311：{name.strip()}", district=district
    )
    client = OpenClient.objects.create(
        name=name.strip(),
        contact=contact,
        district=district,
        person=person,
        key_hash=_hash(key),
        prefix=key[:8],
        rate_limit_per_minute=rate_limit_per_minute,
    )
    audit_record(
        actor=actor,
        action="open_client.create",
        obj=client,
        detail={"district": district.code, "rate_limit_per_minute": rate_limit_per_minute},
    )
    return client, key


@transaction.atomic
def open_client_rotate_key(*, actor: Actor, client: OpenClient) -> str:
    """A new key for the client; the old one stops working at once."""
    key = secrets.token_urlsafe(32)
    OpenClient.objects.filter(pk=client.pk).update(key_hash=_hash(key), prefix=key[:8])
    client.key_hash, client.prefix = _hash(key), key[:8]
    audit_record(actor=actor, action="open_client.rotate_key", obj=client)
    return key


@transaction.atomic
def open_client_revoke(*, actor: Actor, client: OpenClient) -> None:
    now = timezone.now()
    OpenClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now, is_active=False)
    client.revoked_at, client.is_active = client.revoked_at or now, False
    audit_record(actor=actor, action="open_client.revoke", obj=client)


def open_client_authenticate(key: str) -> OpenClient | None:
    """The active client holding `key`, or None."""
    if not key:
        return None
    client = (
        OpenClient.objects.select_related("person", "district")
        .filter(key_hash=_hash(key), is_active=True, revoked_at__isnull=True)
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a write per request would serialise clients on SQLite.
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        OpenClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def public_page_actor(district: Division) -> Person:
    """The service account that files the report page's reports (created on first use)."""
    person = Person.objects.filter(username=PUBLIC_PAGE_USERNAME).first()
    if person is not None:
        return person
    try:
        with transaction.atomic():
            return _service_account(username=PUBLIC_PAGE_USERNAME, name="公众上报页面", district=district)
    except IntegrityError:  # another worker created it first
        return Person.objects.get(username=PUBLIC_PAGE_USERNAME)


# -- rate limits ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def first_refusal(self) -> bool:
        """The first refused hit of the window: the one worth an audit row (a flood writes one, not thousands)."""
        return self.count == self.limit + 1


def rate_limit_hit(
    *, key: str, limit: int, window_seconds: int = 60, now: dt.datetime | None = None
) -> RateDecision:
    """Count one hit of `key` in the current window and say whether it is within `limit`.

    One row per key and window, incremented in the database (`count = count + 1`), so every worker process
    shares the count. Runs in its own transaction: a refused request still counts.
    """
    now = now or timezone.now()
    epoch = int(now.timestamp())
    start_ts = epoch - epoch % window_seconds
    window_start = dt.datetime.fromtimestamp(start_ts, tz=dt.UTC)
    with transaction.atomic():
        rows = RateCounter.objects.filter(key=key, window_start=window_start)
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=window_start, count=1)
            except IntegrityError:  # another worker opened the window first
                rows.update(count=F("count") + 1)
            else:
                # A new window: this key's old windows are of no further use.
                RateCounter.objects.filter(key=key, window_start__lt=window_start).delete()
        count = rows.values_list("count", flat=True).get()
    retry_after = max(1, start_ts + window_seconds - math.floor(now.timestamp()))
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def rate_counters_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete windows long past (keys that never came back keep their last row until then)."""
    deleted, _ = RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()
    return deleted


def abuse_record(*, action: str, reason: str, detail: Mapping[str, Any] | None = None) -> None:
    """A refused public submission in the audit log (the request's address comes from the request context)."""
    audit_record(
        actor=None,
        action=action,
        result=AuditResult.DENIED,
        object_type="open311.request",
        detail={"reason": reason, **(detail or {})},
    )


# -- filing a request -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    lon: float | None
    lat: float | None
    address: str
    address_id: str = ""


@dataclass
class SubmitResult:
    request: Open311Request
    created: bool


def place_resolve(
    *,
    district: Division,
    lat: str = "",
    lon: str = "",
    address_string: str = "",
    address_id: str = "",
) -> Place:
    """The location of a request: a point (checked to lie in the district), a grid code, or an address.

    `address_id` is a grid code (网格代码, 14 digits): the request is placed at the grid's label point.
    """
    address = address_string.strip()
    if len(address) > 300:
        raise InvalidInput("地址不能超过 300 字", details={"address_string": "过长"})
    if lat.strip() or lon.strip():
        try:
            lat_value, lon_value = float(lat), float(lon)
        except ValueError:
            raise InvalidInput("lat 和 long 须同时提供，且为数字（WGS-84）") from None
        if not (math.isfinite(lat_value) and math.isfinite(lon_value)):
            raise InvalidInput("lat 和 long 须为有限数字")
        if not (-90 <= lat_value <= 90 and -180 <= lon_value <= 180):
            raise InvalidInput("lat 或 long 超出范围（纬度 -90～90，经度 -180～180）")
        location = locate_point(lon_value, lat_value)
        if location is not None and (
            location.district_code != district.code or location.distance_m > MAX_OUTSIDE_METRES
        ):
            raise InvalidInput(
                f"位置不在{district.name}辖区内，请核对经纬度（WGS-84）",
                code="outside_jurisdiction",
            )
        return Place(lon=lon_value, lat=lat_value, address=address)
    if address_id.strip():
        grid = Grid.objects.filter(code=address_id.strip()).first()
        if grid is None or not grid.code.startswith(district.code):
            raise InvalidInput("address_id 应为本辖区的网格代码（14 位）")
        return Place(
            lon=grid.label_lon, lat=grid.label_lat, address=address or grid.name, address_id=grid.code
        )
    if address:
        return Place(lon=None, lat=None, address=address)
    raise InvalidInput(
        "请提供位置：lat 和 long，或 address_string，或 address_id",
    )


def photos_check(files: Sequence[UploadedFile]) -> None:
    """Photos only (checked by content), at most MAX_PHOTOS: the report page takes nothing else."""
    if len(files) > MAX_PHOTOS:
        raise InvalidInput(f"最多上传 {MAX_PHOTOS} 张照片", code="too_many_files")
    for upload in files:
        if check_upload(upload).sniffed.kind != AttachmentKind.PHOTO:
            raise InvalidInput(
                f"文件“{upload.name}”不是照片：只能上传 JPEG、PNG、WebP 或 HEIC 格式的照片",
                code="unsupported_file_type",
            )


def _reporter_name(first_name: str, last_name: str) -> str:
    first, last = first_name.strip(), last_name.strip()
    if (first + last).isascii():
        return f"{first} {last}".strip()
    return f"{last}{first}"  # Chinese order: family name first


def _check_contact(*, email: str, phone: str, media_url: str, device_id: str, account_id: str) -> None:
    errors: dict[str, str] = {}
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors["email"] = "邮箱格式不正确"
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+- ()" for c in phone)):
        errors["phone"] = "电话号码格式不正确"
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            errors["media_url"] = "应为 http(s) 链接"
        if len(media_url) > 500:
            errors["media_url"] = "链接过长（500 字符以内）"
    for name, value in {"device_id": device_id, "account_id": account_id}.items():
        if len(value) > 100:
            errors[name] = "过长（100 字符以内）"
    if errors:
        raise InvalidInput("联系方式或链接格式有误", details=errors)


def _title(event_type: EventType, description: str) -> str:
    first_line = description.strip().splitlines()[0][:40] if description.strip() else ""
    return f"{event_type.name}：{first_line}" if first_line else event_type.name


def _replay(actor: Person, idempotency_key: str | None) -> Open311Request | None:
    if not idempotency_key:
        return None
    return (
        Open311Request.objects.select_related("event")
        .filter(event__created_by=actor, event__idempotency_key=idempotency_key)
        .first()
    )


def service_request_submit(
    *,
    actor: Person,
    channel: str,
    event_type: EventType,
    district: Division,
    place: Place,
    client: OpenClient | None = None,
    description: str = "",
    raw_attributes: Mapping[str, Sequence[str]] | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    device_id: str = "",
    account_id: str = "",
    media_url: str = "",
    idempotency_key: str | None = None,
    files: Sequence[UploadedFile] = (),
) -> SubmitResult:
    """File a citizen's request into the loop. The same idempotency key from the same actor returns the first."""
    existing = _replay(actor, idempotency_key)
    if existing is not None:
        return SubmitResult(request=existing, created=False)
    if idempotency_key and len(idempotency_key) > 64:
        raise InvalidInput("幂等键不能超过 64 个字符", details={"idempotency_key": "过长"})
    if not (event_type.is_public and event_type.is_active):
        raise InvalidInput("该服务不接受公众上报", details={"service_code": event_type.code})
    if len(description) > MAX_TEXT:
        raise InvalidInput(f"描述不能超过 {MAX_TEXT} 字", details={"description": "过长"})
    reject_script(
        {
            "description": description,
            "first_name": first_name,
            "last_name": last_name,
            "address_string": place.address,
            **{f"attribute[{k}]": " ".join(v) for k, v in (raw_attributes or {}).items()},
        }
    )
    _check_contact(email=email, phone=phone, media_url=media_url, device_id=device_id, account_id=account_id)
    attributes = attributes_of(event_type)
    answers = clean_attributes(attributes, raw_attributes or {})
    summary = attributes_summary(attributes, answers)
    full_description = description.strip()
    if summary:
        full_description = f"{full_description}\n\n【补充信息】\n{summary}".strip()[:MAX_TEXT]
    name = _reporter_name(first_name, last_name)
    with transaction.atomic():
        result = event_report(
            actor=actor,
            event_type=event_type,
            source=Source.OPEN311 if channel == Channel.API else Source.ONLINE,
            title=_title(event_type, description),
            description=full_description,
            lon=place.lon,
            lat=place.lat,
            address=place.address,
            reporter_name=name,
            reporter_phone=phone.strip(),
            reporter_email=email.strip(),
            anonymous=not (name or phone.strip() or email.strip()),
            idempotency_key=idempotency_key or None,
            files=files,
        )
        if not result.created:  # a concurrent retry won the race between our look-up and the insert
            return SubmitResult(request=Open311Request.objects.get(event=result.event), created=False)
        request = Open311Request.objects.create(
            event=result.event,
            channel=channel,
            client=client,
            token=secrets.token_urlsafe(12),
            device_id=device_id.strip(),
            account_id=account_id.strip(),
            address_id=place.address_id,
            media_url=media_url.strip(),
            attributes=answers,
        )
    return SubmitResult(request=request, created=True)
