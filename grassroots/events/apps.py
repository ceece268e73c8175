from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "grassroots.events"
    label = "events"
    verbose_name = "事件"
