"""What the hotline tests share: a registered event (Alice's patrol report, registered by Oscar the operator) and
the connector's settings pointed at a local fake 12345 platform or at temporary directories."""

from typing import Any

from grassroots.events import services
from grassroots.events.models import Event
from grassroots.events.tests.views_support import report

SECRET = "shared-secret-for-tests"


def registered(world: Any, **fields: Any) -> Event:
    event = report(world.alice, **fields)
    services.event_register(actor=world.oscar, event=event)
    return Event.objects.select_related("event_type").get(pk=event.pk)


def point_at(settings: Any, url: str, **more: Any) -> None:
    settings.HOTLINE_MODE = "http"
    settings.HOTLINE_URL = url
    settings.HOTLINE_SECRET = SECRET
    settings.HOTLINE_TIMEOUT = 0.5
    settings.HOTLINE_BACKOFF_SECONDS = 60
    settings.HOTLINE_BACKOFF_MAX_SECONDS = 3600
    settings.HOTLINE_MAX_ATTEMPTS = 4
    settings.HOTLINE_POLL_SECONDS = 0
    for name, value in more.items():
        setattr(settings, f"HOTLINE_{name.upper()}", value)
