"""The command-room pages: the live queue, the event page with its actions, the department desk and the inbox."""

from .desk import desk
from .detail import event_act, event_page
from .inbox import inbox, inbox_read
from .queue import queue, queue_bulk, queue_export, saved_filter_delete, saved_filter_save

__all__ = [
    "desk",
    "event_act",
    "event_page",
    "inbox",
    "inbox_read",
    "queue",
    "queue_bulk",
    "queue_export",
    "saved_filter_delete",
    "saved_filter_save",
]
