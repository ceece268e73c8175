from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderState(models.TextChoices):
    """Where an outbound work order is. Only `services.py` sets it, by compare-and-set."""

    QUEUED = "queued", _("待发送")  # written by the hand-off, waiting for the worker (or its next retry)
    SENT = (
        "sent",
        _("已发送"),
    )  # the 12345 side took it (HTTP: gave an external number; file: the file is out)
    ACCEPTED = "accepted", _("已受理")  # the 12345 side says it is being handled (poll or receipt file)
    ANSWERED = "answered", _("已答复")  # the answer came back and is on the event's history
    FAILED = "failed", _("发送失败")  # refused by the 12345 side, or out of attempts; the event stays with us


# The states of an order still out: an event has at most one such order.
OPEN_STATES = frozenset({OrderState.QUEUED, OrderState.SENT, OrderState.ACCEPTED})


class Mode(models.TextChoices):
    HTTP = "http", _("HTTP 接口")
    FILE = "file", _("文件交换")
