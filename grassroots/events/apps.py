from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "grassroots.events"
    label = "events"
    verbose_name = "事件"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from grassroots.workflow.links import register_link_workflow

        from .models import Event
        from .permissions import visible_to

        # Links from other workflows show an event by its number and title, to those who may see it.
        register_link_workflow(
            "event",
            label=_("事件"),
            model=Event,
            visible=visible_to,
            title=lambda event: f"{event.number or ''} {event.title}".strip(),
            url=lambda event: reverse("events:detail", args=[event.pk]),
        )
