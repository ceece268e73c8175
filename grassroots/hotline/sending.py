"""The worker's side of the hand-off (a job of `run_timers`, or `manage.py hotline_sync`): send what is due, with
exponential backoff between attempts; ask for answers (HTTP polling) or read them from the inbox (file drop).

Many workers may run: an order is claimed by compare-and-set on its `next_attempt_at` before it is sent, and a
send that is repeated anyway (a worker died after sending) carries the same idempotency key, so the 12345 side
answers it with the order it already has.
"""

import datetime as dt
import json
import logging

from django.db import transaction
from django.utils import timezone

from grassroots.core.errors import DomainError

from . import connector, steps
from .choices import Mode, OrderState
from .conf import HotlineSettings, hotline_settings
from .connector import RefusedError, TransientError
from .models import WorkOrder
from .services import hotline_reply_record, note_on_event

log = logging.getLogger("grassroots.hotline")
# How long a claimed order is left to the worker that claimed it before another may try.
LEASE = dt.timedelta(minutes=5)


def backoff_delay(conf: HotlineSettings, attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: backoff, 2×, 4×, … capped at backoff_max."""
    return dt.timedelta(seconds=min(conf.backoff * 2 ** max(attempts - 1, 0), conf.backoff_max))


def _claim(order: WorkOrder, now: dt.datetime) -> bool:
    claimed = WorkOrder.objects.filter(
        pk=order.pk, state=order.state, next_attempt_at=order.next_attempt_at
    ).update(next_attempt_at=now + LEASE)
    return claimed == 1


def _sent(order: WorkOrder, conf: HotlineSettings, number: str, now: dt.datetime) -> None:
    with transaction.atomic():
        poll = conf.mode == Mode.HTTP and conf.poll_seconds > 0
        # An answer that came before the number (a receipt lost in a timeout) has moved the order on already.
        updated = WorkOrder.objects.filter(pk=order.pk, state=OrderState.QUEUED).update(
            state=OrderState.SENT,
            external_number=number,
            attempts=order.attempts + 1,
            sent_at=now,
            last_error="",
            next_attempt_at=now + dt.timedelta(seconds=conf.poll_seconds) if poll else None,
        )
        text = f"12345 工单号 {number}" if number else f"已写入交换目录（{order.idempotency_key}.json）"
        if updated:
            note_on_event(order.event_id, steps.SENT, text)


def _failed(order: WorkOrder, conf: HotlineSettings, error: str, now: dt.datetime, *, final: bool) -> None:
    attempts = order.attempts + 1
    final = final or attempts >= conf.max_attempts
    with transaction.atomic():
        updated = WorkOrder.objects.filter(pk=order.pk, state=OrderState.QUEUED).update(
            state=OrderState.FAILED if final else OrderState.QUEUED,
            attempts=attempts,
            last_error=error[:2000],
            next_attempt_at=None if final else now + backoff_delay(conf, attempts),
        )
        if final and updated:
            note_on_event(
                order.event_id, steps.FAILED, f"第 {attempts} 次发送失败，已停止重试：{error[:500]}"
            )


def hotline_send_due(*, now: dt.datetime | None = None, limit: int = 50) -> int:
    """Send the queued orders whose time has come; returns how many were tried."""
    conf, now = hotline_settings(), now or timezone.now()
    due = list(
        WorkOrder.objects.filter(state=OrderState.QUEUED, next_attempt_at__lte=now).order_by(
            "next_attempt_at"
        )[:limit]
    )
    tried = 0
    for order in due:
        if not _claim(order, now):
            continue  # another worker has it
        tried += 1
        try:
            if order.mode == Mode.FILE:
                connector.file_send(conf, order.payload)
                number = ""
            else:
                number = connector.http_send(conf, order.payload)
        except (TransientError, OSError) as exc:  # OSError: the outbox not writable (a share gone), for now
            log.warning("12345 工单 %s 发送失败，稍后重试：%s", order.idempotency_key, exc)
            _failed(order, conf, str(exc), now, final=False)
        except RefusedError as exc:
            log.warning("12345 工单 %s 被拒绝：%s", order.idempotency_key, exc)
            _failed(order, conf, str(exc), now, final=True)
        else:
            _sent(order, conf, number, now)
    return tried


def hotline_poll_due(*, now: dt.datetime | None = None, limit: int = 50) -> int:
    """Ask the 12345 side for the answers of sent orders (HTTP mode, when HOTLINE_POLL_SECONDS > 0)."""
    conf, now = hotline_settings(), now or timezone.now()
    if conf.poll_seconds <= 0:
        return 0
    due = WorkOrder.objects.filter(
        mode=Mode.HTTP, state__in=[OrderState.SENT, OrderState.ACCEPTED], next_attempt_at__lte=now
    ).exclude(external_number="")
    changed = 0
    for order in list(due.order_by("next_attempt_at")[:limit]):
        if not _claim(order, now):
            continue
        try:
            _, did = hotline_reply_record(reply=connector.http_poll(conf, order.external_number))
            changed += did
        except (TransientError, RefusedError, DomainError) as exc:
            log.warning("12345 工单 %s 查询答复失败：%s", order.external_number, exc)
        WorkOrder.objects.filter(pk=order.pk, state__in=[OrderState.SENT, OrderState.ACCEPTED]).update(
            next_attempt_at=now + dt.timedelta(seconds=conf.poll_seconds)
        )
    return changed


def hotline_read_inbox() -> int:
    """Read the receipt and answer files of the file drop; each goes to `processed/` or `failed/` once read."""
    conf = hotline_settings()
    read = 0
    for path in connector.inbox_files(conf):
        try:
            reply = connector.reply_from(json.loads(path.read_text(encoding="utf-8")))
            hotline_reply_record(reply=reply)
        except (ValueError, DomainError) as exc:
            log.warning("12345 答复文件 %s 无法读入：%s", path.name, exc)
            connector.inbox_move(conf, path, "failed", str(exc))
            continue
        connector.inbox_move(conf, path, "processed")
        read += 1
    return read


def hotline_tick() -> int:
    """The timer worker's job: everything the connector has to do now."""
    return hotline_send_due() + hotline_poll_due() + hotline_read_inbox()
