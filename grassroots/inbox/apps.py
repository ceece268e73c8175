from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "grassroots.inbox"
    label = "inbox"
    verbose_name = "待办与通知"
