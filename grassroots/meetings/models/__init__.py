from .groups import CoordinatingGroup, GroupMember
from .meetings import AgendaItem, Attendance, Meeting, MeetingHistory, MinutesDocument
from .notices import Notice, NoticeReceipt
from .tasks import MeetingTask

__all__ = [
    "AgendaItem",
    "Attendance",
    "CoordinatingGroup",
    "GroupMember",
    "Meeting",
    "MeetingHistory",
    "MeetingTask",
    "MinutesDocument",
    "Notice",
    "NoticeReceipt",
]
