"""Remind once every recipient who has not read a notice after its working hours (the timer worker does the same
on every tick: `manage.py run_timers`)."""

from typing import Any

from django.core.management.base import BaseCommand

from grassroots.meetings.services.notices import notice_reminders_send


class Command(BaseCommand):
    help = "向超过设定工作小时仍未阅读通知的接收人发送一次提醒"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = notice_reminders_send()
        self.stdout.write(f"已提醒 {sent} 人")
