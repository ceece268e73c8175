"""The shapes of the notices API (/api/v1/notices). Names start with `Meeting` (the app's prefix in the shared
OpenAPI document)."""

import datetime as dt

from ninja import Schema
from pydantic import Field

from .schemas import MAX_PAGE, ForumName


class MeetingNoticeListQuery(Schema):
    box: str = Field(
        "all",
        pattern="^(all|received|sent)$",
        description="all 可见的全部（接收、发出、本乡镇的）、received 我收到的、sent 我发出的",
    )
    unread: bool = Field(False, description="只列我未读的")
    cursor: str | None = Field(None, description="上一页返回的 next")
    limit: int = Field(50, ge=1, le=MAX_PAGE)


class MeetingNoticeCreateIn(Schema):
    forum: ForumName
    title: str = Field(..., min_length=1, max_length=100)
    body: str = Field(..., min_length=1, max_length=10000)
    township_id: int | None = Field(None, description="乡镇街道（区划 id）；不填为本人所在乡镇")
    unit_ids: list[int] = Field(default_factory=list, description="发送单位")
    village_ids: list[int] = Field(default_factory=list, description="发送村社（区划 id）")
    grid_ids: list[int] = Field(default_factory=list, description="发送网格")
    remind_after_hours: int | None = Field(
        None, ge=1, le=240, description="未读多少工作小时后提醒；不填为系统设置（默认 8）"
    )


class MeetingNoticeItemOut(Schema):
    id: int
    township: str
    forum: str
    forum_label: str
    title: str
    sender: str
    published_at: dt.datetime
    remind_after_hours: int
    recipients: int = Field(..., description="接收人数")
    read: int = Field(..., description="已读人数")
    mine: bool = Field(..., description="调用者是否为接收人")
    read_at: dt.datetime | None = Field(None, description="调用者的阅读时间（接收人）")


class MeetingNoticeListOut(Schema):
    items: list[MeetingNoticeItemOut]
    next: str | None = Field(None, description="下一页的游标；没有下一页时为空")


class MeetingNoticeReceiptOut(Schema):
    person_id: int
    name: str
    via: str = Field(..., description="经由的单位、村社或网格")
    read_at: dt.datetime | None
    reminded_at: dt.datetime | None


class MeetingNoticeDetailOut(MeetingNoticeItemOut):
    body: str
    targets: dict[str, list[str]] = Field(..., description="发送范围：units、villages、grids 的名称")
    receipts: list[MeetingNoticeReceiptOut] | None = Field(
        None, description="阅读回执（发布人和本乡镇的组织人员可见，其他人为空）"
    )
