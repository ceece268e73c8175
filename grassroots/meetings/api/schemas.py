"""The shapes of the meetings API (/api/v1/meetings). Every name starts with `Meeting`: the OpenAPI document keys
schemas by class name, shared by all the apps' APIs."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

MAX_PAGE = 200
KindName = Literal["joint", "consultation", "regular", "mediation"]
ForumName = Literal["command", "governance", "market", "enforcement", "service"]
StatusName = Literal["planned", "held", "closed", "cancelled"]


class MeetingListQuery(Schema):
    kind: KindName | None = Field(
        None, description="joint 联席会议、consultation 会商、regular 例会、mediation 矛盾联调"
    )
    forum: ForumName | None = Field(None, description="command 综合指挥室，或四个平台之一")
    status: StatusName | None = Field(
        None, description="planned 已安排、held 已召开、closed 纪要已审定、cancelled 已取消"
    )
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class MeetingCreateIn(Schema):
    kind: KindName
    forum: ForumName
    title: str = Field(..., min_length=1, max_length=100)
    starts_at: dt.datetime
    place: str = Field("", max_length=100)
    township_id: int | None = Field(None, description="乡镇街道（区划 id）；不填为本人所在乡镇")
    convenor_id: int | None = Field(None, description="召集人；不填为协调组组长，或本人")
    invite_group: bool = Field(True, description="邀请本乡镇该平台协调组的组长和成员单位负责人")
    attendee_ids: list[int] = Field(default_factory=list, description="另行邀请的人员")
    note: str = Field("", max_length=2000)


class MeetingListItemOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    forum: str
    forum_label: str
    township: str
    title: str
    starts_at: dt.datetime
    place: str
    convenor: str
    status: str
    status_label: str
    version: int


class MeetingListOut(Schema):
    items: list[MeetingListItemOut]
    next: str | None = Field(None, description="下一页的游标；没有下一页时为空")


class MeetingAttendanceOut(Schema):
    id: int
    person_id: int | None
    name: str
    unit: str
    presence: str
    presence_label: str
    note: str


class MeetingAgendaOut(Schema):
    id: int
    position: int
    title: str
    note: str
    workflow: str
    record_id: int | None
    record_title: str = Field("", description="关联记录的标题（调用者看不到的记录不显示）")
    record_url: str = ""


class MeetingTaskOut(Schema):
    id: int
    meeting_id: int
    number: str
    text: str
    owner_unit_id: int | None
    owner_person_id: int | None
    owner: str
    limit_days: int
    due_at: dt.datetime | None
    status: str
    status_label: str
    light: str = Field(description="green / yellow / red（超期）/ none（已停止计时）")
    light_label: str
    late: bool
    done_note: str
    done_at: dt.datetime | None
    version: int


class MeetingDocumentOut(Schema):
    id: int
    sha256: str
    size: int
    generated_at: dt.datetime
    url: str


class MeetingDetailOut(MeetingListItemOut):
    group: str
    held_at: dt.datetime | None
    minutes: str
    minutes_approved_at: dt.datetime | None
    cancel_reason: str
    attendances: list[MeetingAttendanceOut]
    agenda: list[MeetingAgendaOut]
    tasks: list[MeetingTaskOut]
    documents: list[MeetingDocumentOut]
    allowed_actions: list[str]


class MeetingTaskListOut(Schema):
    items: list[MeetingTaskOut]


class MeetingTaskDetailOut(MeetingTaskOut):
    allowed_actions: list[str]
