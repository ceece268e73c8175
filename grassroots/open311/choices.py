"""Open311 vocabularies: attribute datatypes, request channels, and how loop states read to the public."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from grassroots.events.choices import OPEN_STATUSES, Status


class Datatype(models.TextChoices):
    """The six attribute datatypes of GeoReport v2."""

    STRING = "string", _("短文本")
    NUMBER = "number", _("数字")
    DATETIME = "datetime", _("日期时间")
    TEXT = "text", _("长文本")
    SINGLEVALUELIST = "singlevaluelist", _("单选")
    MULTIVALUELIST = "multivaluelist", _("多选")


LIST_DATATYPES = frozenset({Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST})


class Channel(models.TextChoices):
    API = "api", _("Open311 接口")  # a registered client application
    WEB = "web", _("公众上报页面")  # the public report page, no account


class PublicStatus(models.TextChoices):
    """The extended statuses of the request-updates feed (FixMyStreet's names), with what the page shows."""

    OPEN = "OPEN", _("已受理")
    IN_PROGRESS = "IN_PROGRESS", _("处理中")
    FIXED = "FIXED", _("已处理")
    CLOSED = "CLOSED", _("已办结")
    DUPLICATE = "DUPLICATE", _("已合并办理")
    NOT_COUNCILS_RESPONSIBILITY = "NOT_COUNCILS_RESPONSIBILITY", _("不予受理")


S = Status
P = PublicStatus
PUBLIC_STATUS: dict[str, str] = {
    S.REPORTED: P.OPEN,
    S.VERIFYING: P.OPEN,
    S.VERIFIED: P.OPEN,
    S.REGISTERED: P.OPEN,
    S.DISPATCHED: P.IN_PROGRESS,
    S.SIGNED: P.IN_PROGRESS,
    S.HANDLING: P.IN_PROGRESS,
    S.SUSPENDED: P.IN_PROGRESS,  # 挂起: still in hand, its clock paused (the page says so)
    S.FED_BACK: P.FIXED,
    S.CHECKING: P.FIXED,
    S.CHECKED: P.FIXED,
    S.EVALUATED: P.FIXED,
    S.SELF_HANDLED: P.FIXED,  # fixed on the spot by the grid worker
    S.CLOSED: P.CLOSED,
    S.ARCHIVED: P.CLOSED,
    S.MERGED: P.DUPLICATE,
    S.VOID: P.NOT_COUNCILS_RESPONSIBILITY,
    S.INVALID: P.NOT_COUNCILS_RESPONSIBILITY,
}

# What the public page says before the report is registered: the feed's OPEN covers these too, but "已受理" above a
# timeline that says 等待受理 contradicts itself.
PAGE_STATUS_LABELS: dict[str, str | Promise] = {
    S.REPORTED: _("待受理"),
    S.VERIFYING: _("现场核实中"),
    S.VERIFIED: _("核实属实，待立案"),
    S.SUSPENDED: _("暂停办理"),
}

# GeoReport's two request statuses: every state of the loop is one or the other.
OPEN_LOOP_STATUSES = frozenset(OPEN_STATUSES)
CLOSED_LOOP_STATUSES = frozenset({S.CLOSED, S.ARCHIVED, S.VOID, S.INVALID, S.MERGED, S.SELF_HANDLED})
REQUEST_STATUSES = {"open": OPEN_LOOP_STATUSES, "closed": CLOSED_LOOP_STATUSES}

# Clock acts of the timer worker: internal bookkeeping, not steps a citizen follows.
INTERNAL_ACTIONS = frozenset({"warn", "overdue"})
