from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "grassroots.meetings"
    label = "meetings"
    verbose_name = "联席会议与督办"

    def ready(self) -> None:
        from . import registry

        registry.register()
