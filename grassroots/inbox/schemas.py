"""The inbox API's request and response shapes (django-ninja)."""

import datetime as dt

from ninja import Schema
from pydantic import Field


class NotificationOut(Schema):
    id: int
    verb: str
    text: str
    event_id: int | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    repeats: int = Field(1, description="同一事件的同类通知在未读期间重复的次数（合并为一条）")


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class InboxReadIn(Schema):
    ids: list[int] | None = Field(None, description="要标为已读的通知；为空则全部标为已读")


class InboxReadOut(Schema):
    marked: int
    unread: int
