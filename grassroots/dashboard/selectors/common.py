"""What the overview and the map share: the open statuses, the queue's filter values and links into the queue."""

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from grassroots.events.choices import OPEN_STATUSES

OPEN = sorted(OPEN_STATUSES)
# The queue's `status` filter: "open" (its default), "all", or one status.
OPEN_PARAM = "open"
ALL_PARAM = "all"


def queue_url(**params: Any) -> str | None:
    """The command queue filtered by `params` (status, light, platform, level, grid, unit); None until it exists."""
    try:
        base = reverse("events:queue")
    except NoReverseMatch:
        return None
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def today_start(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
