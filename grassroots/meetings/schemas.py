"""The input schemas of a meeting's steps and of its decisions' (the same for the JSON endpoints and the page's
forms). The API prefixes their OpenAPI names with `Meeting` / `MeetingTask`."""

from typing import Literal

from ninja import Schema
from pydantic import Field


class NoteIn(Schema):
    note: str = Field("", max_length=2000, title="说明")


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, title="理由")


class InviteIn(Schema):
    """A person, or a unit whose representative is not named yet."""

    person_id: int | None = Field(None, title="参会人员")
    unit_id: int | None = Field(None, title="单位")
    note: str = Field("", max_length=200, title="说明")


class PresenceIn(Schema):
    id: int = Field(..., title="参会记录")
    presence: Literal["present", "absent", "leave"] = Field(..., title="出席情况")
    note: str = Field("", max_length=200, title="说明")


class AttendanceIn(Schema):
    """Attendance of the people asked; anyone not named keeps what was recorded (at the holding: absent)."""

    attendance: list[PresenceIn] = Field(default_factory=list, title="出席情况")
    note: str = Field("", max_length=2000, title="说明")


class AgendaIn(Schema):
    title: str = Field(..., min_length=1, max_length=200, title="议题")
    note: str = Field("", max_length=4000, title="情况说明")
    workflow: str = Field("", max_length=32, title="关联记录类型", description="如 event、enforcement_case")
    record_id: int | None = Field(None, title="关联记录编号（ID）")


class MinutesIn(Schema):
    minutes: str = Field(..., min_length=1, max_length=20000, title="会议纪要")


class DecisionIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000, title="决定事项")
    owner_unit_id: int | None = Field(None, title="责任单位")
    owner_person_id: int | None = Field(None, title="责任人")
    limit_days: int = Field(..., ge=1, le=90, title="办理时限（工作日）")
    agenda_item_id: int | None = Field(None, title="议题")


class DoneIn(Schema):
    done_note: str = Field(..., min_length=1, max_length=4000, title="办结情况")
