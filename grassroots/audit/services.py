"""Writing, sealing and verifying audit rows. Callers write in the same transaction as the change they record."""

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from grassroots.people.actors import Actor

from . import context
from .models import AuditEntry, AuditHead, AuditResult

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
# 等保 2.0 level 3: audit records kept at least six months; the retention setting may not go below this.
AUDIT_RETENTION_FLOOR_DAYS = 183


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
    """Write one audit row now (inside the caller's transaction); it is chained as that transaction commits."""
    entry = audit_entry_build(**kwargs)
    entry.save()
    _seal_on_commit()
    return entry


def audit_record_many(entries: Iterable[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(list(entries), batch_size=500)
    _seal_on_commit()


def audit_record_read(
    *, actor: Actor, objects: Iterable[models.Model], fields: Iterable[str], purpose: str, reason: str = ""
) -> None:
    """Log that `actor` saw personal data of these objects unmasked (and, for a file taken away, the reason given)."""
    field_list = sorted(fields)
    detail: dict[str, Any] = {"fields": field_list, "purpose": purpose}
    if reason:
        detail["reason"] = reason
    audit_record_many(
        audit_entry_build(
            actor=actor,
            action="personal_data.read",
            obj=obj,
            detail=detail,
        )
        for obj in objects
    )


def _seal_on_commit() -> None:
    # Once per transaction: later rows of the same transaction are picked up by the same sealing.
    connection = transaction.get_connection()
    if any(getattr(func, "__name__", "") == "_seal_after_commit" for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_seal_after_commit, robust=True)


def _seal_after_commit() -> None:
    audit_seal()


def chain_value(prev: str, seq: int, signature: str) -> str:
    message = f"{prev}|{seq}|{signature}".encode()
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message, hashlib.sha256).hexdigest()


def audit_head_locked() -> AuditHead:
    """The chain's head, locked until the transaction ends: sealers queue here, so the chain never forks."""
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.get_or_create(pk=1)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


def audit_seal(*, batch: int = 5000) -> int:
    """Chain the committed rows not yet chained, in id order, numbering them after the head. Returns how many.

    Runs after every transaction that wrote audit rows commits, and in the timer worker for any left behind (a
    process that died between its commit and its sealing). A row committed later than a higher id simply takes
    a later number: the numbers follow commit order, so no grace period is needed.

    On PostgreSQL the sealing commits asynchronously (`synchronous_commit = off`): the rows it numbers were made
    durable by their own transaction, and the numbers are derived from them. A crash can lose only the last
    fraction of a second of sealing, rows and head together (one transaction), and the next sealer numbers those
    rows again. Waiting for a second flush per request cost ~5 ms and, with the head locked until the flush,
    queued every concurrent writer behind it (BENCHMARKS.md, "Intake beside its peer").
    """
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            head = audit_head_locked()
            rows = list(
                AuditEntry.objects.filter(seq__isnull=True).order_by("id").only("id", "signature")[:batch]
            )
            if not rows:
                return sealed
            seq, prev = head.seq, head.chain
            for row in rows:
                seq += 1
                prev = chain_value(prev, seq, row.signature)
                row.seq, row.chain = seq, prev
            # One prepared UPDATE per row (batched by the driver): bulk_update's CASE expressions cost more Python
            # than the rows for the one or two rows a request seals.
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {AuditEntry._meta.db_table} SET seq = %s, chain = %s WHERE id = %s",
                    [(row.seq, row.chain, row.id) for row in rows],
                )
            AuditHead.objects.filter(pk=head.pk).update(seq=seq, chain=prev)
            sealed += len(rows)
        if len(rows) < batch:
            return sealed


def audit_verify(*, unsealed_grace_seconds: int = 60) -> list[str]:
    """Every problem found, first one first: a row edited or signed with another key, a missing row, a broken chain.

    Walks the rows in chain order from where the last purge left the chain. Rows not yet chained after the grace
    period are problems too: the sealer runs as each transaction commits.
    """
    problems: list[str] = []
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(pk=1)
    expected_seq, prev = head.base_seq + 1, head.base_chain
    previous_id: int | None = None
    rows = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")
    for row in rows.iterator(chunk_size=2000):
        if row.seq is not None and row.seq > expected_seq:
            after = f"#{previous_id} 之后" if previous_id else "链首"
            problems.append(f"第 {expected_seq}–{row.seq - 1} 号审计记录缺失（{after}，记录被删除）")
            expected_seq = row.seq
        if not hmac.compare_digest(row.signature, _sign(row)):
            problems.append(f"审计记录 #{row.id}（第 {row.seq} 号）内容被修改或用其他密钥签名")
        if not hmac.compare_digest(row.chain, chain_value(prev, expected_seq, row.signature)):
            problems.append(f"审计记录 #{row.id}（第 {row.seq} 号）链值不符（记录被删除、重排或篡改）")
        prev, previous_id = row.chain, row.id
        expected_seq += 1
    if head.seq >= expected_seq:
        problems.append(f"第 {expected_seq}–{head.seq} 号审计记录缺失（日志末尾的记录被删除）")
    horizon = timezone.now() - dt.timedelta(seconds=unsealed_grace_seconds)
    for row_id in AuditEntry.objects.filter(seq__isnull=True, at__lt=horizon).values_list("id", flat=True)[
        :100
    ]:
        problems.append(f"审计记录 #{row_id} 尚未入链")
    return problems


def audit_verify_due(*, now: dt.datetime | None = None) -> int:
    """The timer worker's job: verify the whole log once every AUDIT_VERIFY_HOURS and keep the outcome on the head.

    A failure is logged as an error (alerting watches the log) and shown on the audit administrator's page.
    Returns 1 when it verified, 0 when the last verification is recent enough.
    """
    now = now or timezone.now()
    head = AuditHead.objects.filter(pk=1).first()
    if head and head.verified_at and now - head.verified_at < dt.timedelta(hours=settings.AUDIT_VERIFY_HOURS):
        return 0
    problems = audit_verify()
    outcome = {
        "verified_at": now,
        "verified_problems": len(problems),
        "verified_first": problems[0] if problems else "",
    }
    if AuditHead.objects.filter(pk=1).update(**outcome) == 0:
        AuditHead.objects.create(pk=1, **outcome)
    if problems:
        logger.error("审计日志核验失败，第一个问题：%s（共 %d 个）", problems[0], len(problems))
    return 1


class RetentionTooShort(ValueError):
    """A purge that would drop rows younger than the six-month floor (等保 2.0 level 3)."""

    code = "audit_retention_too_short"


def audit_purge(*, actor: Actor, keep_days: int) -> int:
    """Delete chained rows older than `keep_days` (never fewer than the floor or the configured retention).

    The head remembers the last purged row's number and chain value, so the rest still verifies from there.
    The purge writes its own audit row. Returns how many rows were deleted.
    """
    floor = max(AUDIT_RETENTION_FLOOR_DAYS, settings.AUDIT_RETENTION_DAYS)
    if keep_days < floor:
        raise RetentionTooShort(f"审计记录至少保留 {floor} 天，不能只保留 {keep_days} 天。")
    audit_seal()
    cutoff = timezone.now() - dt.timedelta(days=keep_days)
    with transaction.atomic():
        head = audit_head_locked()
        last = AuditEntry.objects.filter(seq__isnull=False, at__lt=cutoff).order_by("-seq").first()
        if last is None:
            return 0
        # Only the contiguous start of the chain: a late row below a young one stays.
        deleted, _ = AuditEntry.objects.filter(seq__lte=last.seq).delete()
        AuditHead.objects.filter(pk=head.pk).update(base_seq=last.seq, base_chain=last.chain)
        audit_record(
            actor=actor,
            action="audit.purge",
            object_type="audit.auditentry",
            detail={"keep_days": keep_days, "deleted": deleted, "through_seq": last.seq},
        )
    return deleted
