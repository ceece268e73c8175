"""The report worker: builds queued analysis reports (and ones abandoned by a dead runner), no broker needed.

By default the web process starts a thread per report (services.runner "thread"), which is enough on one machine;
run this worker as well (or instead, with ASSESSMENT_REPORT_RUNNER=worker) where web processes are recycled.
Several workers may run: a job is claimed by compare-and-set.
"""

import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from grassroots.assessment.services import report_jobs_run_pending


class Command(BaseCommand):
    help = "分析报告生成任务：生成排队中的周研判、月分析等报告。可多实例并行，随时重启。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=2, help="两次检查的间隔秒数（默认 2）")
        parser.add_argument("--once", action="store_true", help="生成当前排队的报告后退出")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        try:
            while True:
                done = report_jobs_run_pending()
                if done:
                    self.stdout.write(f"已生成 {done} 份报告")
                if options["once"]:
                    return
                if not done:
                    stop.wait(max(float(options["interval"]), 0.1))
                time.sleep(0)
        except KeyboardInterrupt:
            return
        finally:
            if not connection.in_atomic_block:
                connection.close()
