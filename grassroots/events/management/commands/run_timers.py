"""The timer worker: warnings, overdue flags and escalations as deadlines pass, due emails, the audit seal.

No broker: every tick reads what is due from the database and acts through compare-and-set steps, so any
number of workers may run, and a worker may be stopped and restarted at any time (it catches up first).
"""

import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, close_old_connections, connection

from grassroots.audit.services import audit_seal
from grassroots.events.services.timers import TickResult, timers_catch_up
from grassroots.notifications.services import outbox_send_due
from grassroots.workflow.timers import ScanResult, clocks_catch_up, tick_jobs

log = logging.getLogger("grassroots.timers")
# Outbox rounds per tick: enough to drain a busy minute, bounded so the timers are not starved.
MAX_OUTBOX_ROUNDS = 50


@dataclass
class TickSummary:
    timers: TickResult = field(default_factory=TickResult)
    clocks: ScanResult = field(default_factory=ScanResult)
    sent: int = 0
    failed: int = 0
    sealed: int = 0
    others: dict[str, int] = field(
        default_factory=dict
    )  # the apps' jobs (`register_tick_job`): what each did
    errors: list[str] = field(default_factory=list)  # the jobs that failed this tick (logged)

    @property
    def eventful(self) -> bool:
        t, c = self.timers, self.clocks
        return bool(t.acted or t.skipped or t.failed or c.acted or c.skipped or c.failed) or bool(
            self.sent or self.failed or self.sealed or self.errors or any(self.others.values())
        )

    def __str__(self) -> str:
        text = f"定时任务：{self.timers}；{self.clocks}；邮件发送 {self.sent}，失败 {self.failed}；审计封存 {self.sealed}"
        text += "".join(f"；{label} {n}" for label, n in self.others.items() if n)
        return text + (f"；出错：{'、'.join(self.errors)}" if self.errors else "")


def run_tick(*, batch: int = 500, outbox_limit: int = 100) -> TickSummary:
    """One pass over everything due now, however long the worker was down.

    The three jobs fail independently: a broken mail server must not hold up deadlines, nor the reverse.
    """
    summary = TickSummary()

    def timers() -> None:
        summary.timers = timers_catch_up(batch=batch)

    def clocks() -> None:
        summary.clocks = clocks_catch_up(batch=batch)

    def outbox() -> None:
        # Until a round finds nothing to claim: a short round may only mean another worker claimed the rest.
        for _ in range(MAX_OUTBOX_ROUNDS):
            sent, failed = outbox_send_due(limit=outbox_limit)
            summary.sent += sent
            summary.failed += failed
            if sent + failed == 0:
                break

    def seal() -> None:
        summary.sealed = audit_seal()

    def other(label: str, job: Callable[[], int]) -> Callable[[], None]:
        def run() -> None:
            summary.others[label] = job()

        return run

    jobs = [("时限", timers), ("流程时限", clocks), ("邮件", outbox), ("审计封存", seal)]
    jobs += [(label, other(label, job)) for label, job in tick_jobs()]
    for label, job in jobs:
        try:
            job()
        except Exception as exc:
            log.exception("定时任务“%s”本轮失败，下一轮重试", label)
            summary.errors.append(label)
            if isinstance(exc, DatabaseError):
                _drop_connection()  # the next job or tick reconnects
    return summary


def _drop_connection() -> None:
    # Inside a caller's transaction (a test calling the command) the connection is not ours to close.
    if not connection.in_atomic_block:
        connection.close()


class Command(BaseCommand):
    help = "定时任务：到期预警、超期、超时升级、发送邮件、封存审计日志。可多实例并行，随时重启。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=30, help="两次检查的间隔秒数（默认 30）")
        parser.add_argument("--once", action="store_true", help="补做一轮到期事项后退出")
        parser.add_argument("--batch", type=int, default=500, help="每批处理的事件数（默认 500）")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = options["verbosity"]
        log.setLevel(logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG)
        interval = max(float(options["interval"]), 0.1)
        batch = max(int(options["batch"]), 1)
        stop = threading.Event()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

        def request_stop(signum: int, frame: FrameType | None) -> None:
            if stop.is_set():  # asked twice: stop now (each event's step is its own transaction)
                raise SystemExit(1)
            log.info("收到停止信号，完成本轮后退出")
            stop.set()

        for sig in previous:
            signal.signal(sig, request_stop)
        try:
            if options["once"]:
                if not self._tick(batch):
                    raise CommandError("本轮定时任务失败，详见日志")
                return
            log.info("定时任务已启动，间隔 %s 秒", interval)
            while not stop.is_set():
                started = time.monotonic()
                self._tick(batch)
                stop.wait(max(interval - (time.monotonic() - started), 0))
            log.info("定时任务已停止")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            _drop_connection()

    def _tick(self, batch: int) -> bool:
        if not connection.in_atomic_block:
            close_old_connections()  # as a request would: honour CONN_MAX_AGE, drop a broken connection
        summary = run_tick(batch=batch)
        if summary.eventful:
            log.info("%s", summary)
        return not summary.errors
