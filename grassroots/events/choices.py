from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The states of the closed loop (DOMAIN.md §5). The allowed moves are in `transitions.py`."""

    REPORTED = "reported", _("已上报")  # 发现上报
    SELF_HANDLED = "self_handled", _("自行处置")  # level 1: fixed on the spot by the grid worker, with photos
    VERIFYING = "verifying", _("核实中")  # a grid worker checks a non-grid report on site
    VERIFIED = "verified", _("已核实")
    INVALID = "invalid", _("核实无效")
    REGISTERED = "registered", _("已立案")  # awaiting dispatch (also after a return, escalation or reopen)
    VOID = "void", _("不予立案")
    DISPATCHED = "dispatched", _("已派遣")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("处置中")
    SUSPENDED = "suspended", _("已挂起")  # handling paused with the lead's approval; its clock stands still
    FED_BACK = "fed_back", _("已反馈")
    CHECKING = "checking", _("核查中")  # on-site check of the handling
    CHECKED = "checked", _("核查通过")
    EVALUATED = "evaluated", _("已回访")  # reporter called back and rated
    CLOSED = "closed", _("已结案")
    ARCHIVED = "archived", _("已归档")
    MERGED = "merged", _("已合并")  # a duplicate report, merged into another event


OPEN_STATUSES = frozenset(
    {
        Status.REPORTED,
        Status.VERIFYING,
        Status.VERIFIED,
        Status.REGISTERED,
        Status.DISPATCHED,
        Status.SIGNED,
        Status.HANDLING,
        Status.SUSPENDED,
        Status.FED_BACK,
        Status.CHECKING,
        Status.CHECKED,
        Status.EVALUATED,
    }
)
# States in which a unit holds the event and its clock runs.
IN_HAND_STATUSES = frozenset({Status.DISPATCHED, Status.SIGNED, Status.HANDLING})
# Statuses whose stage clock the timer watches; a suspended event's clock is paused (no deadline). A sorted list:
# the timer's query and its partial indexes must spell the same IN list for the planner to match them, so a
# change here needs a migration of those indexes (makemigrations finds it).
CLOCKED_STATUSES = sorted(OPEN_STATUSES - {Status.SUSPENDED})


class Source(models.TextChoices):
    PATROL = "patrol", _("网格巡查")
    PHONE = "phone", _("来电")
    HOTLINE_12345 = "12345", _("12345转办")
    MAYOR_LINE = "mayor_line", _("县长电话")  # the county head's public line, registered by the command room
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    ONLINE = "online", _("网络投诉")
    VILLAGE = "village", _("村社上报")
    SENSOR = "sensor", _("物联感知")
    OPEN311 = "open311", _("Open311")
    STAFF = "staff", _("工作人员录入")


# Reports from these sources are verified on site before registration; grid workers' reports are not.
SOURCES_NEEDING_VERIFICATION = frozenset(set(Source) - {Source.PATROL, Source.SENSOR})


class Level(models.IntegerChoices):
    GRID = 1, _("一级（网格）")
    VILLAGE = 2, _("二级（村社）")
    TOWNSHIP = 3, _("三级（乡镇）")
    DISTRICT = 4, _("四级（区县）")


class Mode(models.TextChoices):
    DIRECT = "direct", _("直办")  # simple: handled by the command room or one call
    ASSIGNED = "assigned", _("交办")  # one unit
    SUPERVISED = "supervised", _("督办")  # complex: supervised by a leader


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    CRITICAL = "critical", _("特急")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    ASSIST = "assist", _("协办")


class AssignmentStatus(models.TextChoices):
    DISPATCHED = "dispatched", _("待签收")
    SIGNED = "signed", _("已签收")
    HANDLING = "handling", _("处置中")
    FED_BACK = "fed_back", _("已反馈")
    RETURNED = "returned", _("已退回")
    CANCELLED = (
        "cancelled",
        _("已撤销"),
    )  # superseded by escalation or the lead's return (a reworked round keeps FED_BACK)
    DONE = "done", _("已完成")  # the event passed its check


ACTIVE_ASSIGNMENT = frozenset(
    {AssignmentStatus.DISPATCHED, AssignmentStatus.SIGNED, AssignmentStatus.HANDLING}
)


class SupervisionKind(models.TextChoices):
    SUPERVISE = "supervise", _("督办")
    URGE = "urge", _("催办")


class SupervisionReason(models.TextChoices):
    OVERDUE = "overdue", _("超期")
    RETURNED_TWICE = "returned_twice", _("多次退回")
    REPEAT_COMPLAINT = "repeat_complaint", _("重复投诉")
    LEADER = "leader", _("领导交办")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")


class SuspensionKind(models.TextChoices):
    """Why a unit asks to suspend handling (挂起事由): time that does not count against the limit."""

    TESTING = "testing", _("等待检验鉴定")  # a test, inspection or appraisal by a third party
    PARTY = "party", _("当事人原因")  # the party is unreachable, away, or must act first
    FORCE_MAJEURE = "force_majeure", _("不可抗力")  # weather, disaster, an emergency elsewhere
    OTHER = "other", _("其他")  # the reason says which


class SuspensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    REJECTED = "rejected", _("已驳回")
    ACTIVE = "active", _("挂起中")  # approved: the event is SUSPENDED and its clock paused
    ENDED = "ended", _("已恢复")  # resumed: the deadlines moved out by the paused time


# A suspension that is still open: at most one per event.
OPEN_SUSPENSION = frozenset({SuspensionStatus.PENDING, SuspensionStatus.ACTIVE})


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("录音")
    DOCUMENT = "document", _("扫描件")  # a scanned letter or its enclosures (PDF), taken at the intake desk


class AttachmentPhase(models.TextChoices):
    REPORT = "report", _("上报")
    BEFORE = "before", _("处置前")
    AFTER = "after", _("处置后")
    FEEDBACK = "feedback", _("反馈")
    CHECK = "check", _("核查")


class Satisfaction(models.IntegerChoices):
    """好差评: five grades."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    NEUTRAL = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class GridClass(models.TextChoices):
    """The nine grid event classes of the seeds (Wangting): how a grid worker's type picker is grouped."""

    SECURITY = "security", _("治安稳定")
    CITY = "city", _("城市管理")
    SAFETY = "safety", _("安全生产")
    OPINION = "opinion", _("社情民意")
    ENVIRONMENT = "environment", _("环境保护")
    PARTY = "party", _("网格党建")
    PUBLIC_SERVICE = "public_service", _("公共服务")
    EMERGENCY = "emergency", _("应急指挥")
    JUSTICE = "justice", _("司法服务")
