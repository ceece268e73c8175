"""Writing, sealing and verifying audit rows. Callers write in the same transaction as the change they record."""

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from grassroots.people.actors import Actor

from . import context
from .models import AuditEntry, AuditResult

GENESIS = "0" * 64


def _canonical(entry: AuditEntry) -> bytes:
    payload = [
        entry.at.isoformat(),
        entry.actor_id,
        entry.actor_label,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        entry.result,
        entry.ip,
        entry.request_id,
        entry.channel,
        entry.detail,
    ]
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode()


def _sign(entry: AuditEntry) -> str:
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), _canonical(entry), hashlib.sha256).hexdigest()


def audit_entry_build(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    result: str = AuditResult.OK,
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    ctx = context.current()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=actor_id,
        actor_label=(getattr(actor, "name", "") or str(actor or "系统"))[:100] if actor_id else "系统",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        result=result,
        ip=ctx.ip,
        request_id=ctx.request_id,
        channel=ctx.channel,
        detail=detail or {},
    )
    entry.signature = _sign(entry)
    return entry


def audit_record(**kwargs: Any) -> AuditEntry:
    """Write one audit row now (inside the caller's transaction)."""
    entry = audit_entry_build(**kwargs)
    entry.save()
    return entry


def audit_record_many(entries: Iterable[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(list(entries), batch_size=500)


def audit_record_read(
    *, actor: Actor, objects: Iterable[models.Model], fields: Iterable[str], purpose: str
) -> None:
    """Log that `actor` saw personal data of these objects unmasked."""
    field_list = sorted(fields)
    audit_record_many(
        audit_entry_build(
            actor=actor,
            action="personal_data.read",
            obj=obj,
            detail={"fields": field_list, "purpose": purpose},
        )
        for obj in objects
    )


def audit_seal(*, batch: int = 5000, grace_seconds: int = 60) -> int:
    """Chain the unsealed rows in id order. One sealer at a time (row lock on the last sealed row).

    Rows younger than the grace period wait: a transaction that took an id earlier may not have committed yet.
    """
    sealed = 0
    horizon = timezone.now() - dt.timedelta(seconds=grace_seconds)
    with transaction.atomic():
        last = AuditEntry.objects.exclude(chain="").order_by("-id").select_for_update().first()
        prev = last.chain if last else GENESIS
        after = last.id if last else 0
        rows = list(AuditEntry.objects.filter(id__gt=after, chain="", at__lt=horizon).order_by("id")[:batch])
        for row in rows:
            prev = hashlib.sha256((prev + row.signature).encode()).hexdigest()
            AuditEntry.objects.filter(pk=row.pk).update(chain=prev)
            sealed += 1
    return sealed


def audit_verify() -> list[str]:
    """Every problem found: a row whose content no longer matches its signature, or a broken chain."""
    problems = []
    prev = GENESIS
    for row in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if not hmac.compare_digest(row.signature, _sign(row)):
            problems.append(f"审计记录 #{row.id} 内容被修改")
        if row.chain:
            expected = hashlib.sha256((prev + row.signature).encode()).hexdigest()
            if row.chain != expected:
                problems.append(f"审计记录 #{row.id} 之前的记录链断裂（记录被删除或篡改）")
            prev = row.chain
    return problems
