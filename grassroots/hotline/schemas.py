"""The hotline API's schemas (named Hotline… in the OpenAPI document)."""

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field


class HotlineReplyIn(Schema):
    """What the 12345 side says of a work order: a receipt (accepted) or its answer (answered)."""

    idempotency_key: str = Field("", max_length=64, description="本系统发出工单时的幂等键")
    external_number: str = Field("", max_length=64, description="12345 工单号")
    status: Literal["accepted", "answered"] = "answered"
    answer: str = Field("", max_length=10000, description="答复内容（status=answered 时必填）")
    answered_by: str = Field("", max_length=100, description="答复单位")
    answered_at: dt.datetime | None = None


class HotlineOrderOut(Schema):
    id: int
    event_id: int
    event_number: str
    idempotency_key: str
    external_number: str
    state: str
    state_label: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str
    answer: str
    answered_by: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None


class HotlineReplyOut(Schema):
    recorded: bool = Field(description="true：本次记录了变化；false：重复投递，已记录过")
    order: HotlineOrderOut


class HotlineHandOffIn(Schema):
    note: str = Field(max_length=2000, description="转办说明")
