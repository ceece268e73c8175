from .events import Event
from .types import EventType, TimeLimit
from .workflow import Assignment, Attachment, ExtensionRequest, SupervisionOrder, Transition

__all__ = [
    "Assignment",
    "Attachment",
    "Event",
    "EventType",
    "ExtensionRequest",
    "SupervisionOrder",
    "TimeLimit",
    "Transition",
]
