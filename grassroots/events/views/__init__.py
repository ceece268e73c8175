"""The command-room pages: the live queue, the event page with its actions and the department desk.
The inbox page is its own app (`grassroots.inbox`)."""

from .desk import desk
from .detail import event_act, event_page
from .queue import queue, queue_bulk, queue_export, saved_filter_delete, saved_filter_save

__all__ = [
    "desk",
    "event_act",
    "event_page",
    "queue",
    "queue_bulk",
    "queue_export",
    "saved_filter_delete",
    "saved_filter_save",
]
