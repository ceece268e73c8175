from .events import Event
from .filters import SavedFilter
from .intake import IntakeRecord
from .suspensions import Suspension
from .types import EventType, TimeLimit
from .workflow import Assignment, Attachment, ExtensionRequest, SupervisionOrder, Transition

__all__ = [
    "Assignment",
    "Attachment",
    "Event",
    "EventType",
    "ExtensionRequest",
    "IntakeRecord",
    "SavedFilter",
    "SupervisionOrder",
    "Suspension",
    "TimeLimit",
    "Transition",
]
