"""One pass of the 12345 connector outside the timer worker (cron on a site without `run_timers`, or by hand)."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.hotline.sending import hotline_poll_due, hotline_read_inbox, hotline_send_due


class Command(BaseCommand):
    help = "12345 转办：发送到期的工单（失败按指数退避重试），查询或读入答复。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = hotline_send_due()
        polled = hotline_poll_due()
        read = hotline_read_inbox()
        self.stdout.write(f"发送 {sent} 件，查询到答复 {polled} 件，读入答复文件 {read} 个")
