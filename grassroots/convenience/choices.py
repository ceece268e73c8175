"""The words of the convenience-service platform (DOMAIN.md §7, 便民服务)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.workflow.choices import ResultKind


class ItemKind(models.TextChoices):
    """The kind of a service item (事项类型), with the codes of the implementation lists."""

    LICENCE = "XK", _("行政许可")
    CONFIRMATION = "QR", _("行政确认")
    BENEFIT = "JF", _("行政给付")
    AWARD = "JL", _("行政奖励")
    ADJUDICATION = "CJ", _("行政裁决")
    OTHER_POWER = "QT", _("其他行政权力")
    PUBLIC_SERVICE = "GG", _("公共服务")


class DecidingLevel(models.TextChoices):
    """The level that decides an item (实施层级); a township window may accept what a district unit decides."""

    DISTRICT = "district", _("区县")
    TOWNSHIP = "township", _("乡镇（街道）")
    VILLAGE = "village", _("村（社区）")


class TownshipType(models.TextChoices):
    """The type of township a list of items is drawn up for (seed 004: 164 / 124 / 79 items)."""

    CENTRAL = "central", _("中心镇（街道）")
    DEVELOPING = "developing", _("发展型乡镇")
    ECOLOGICAL = "ecological", _("生态型乡镇")


class Channel(models.TextChoices):
    """How an application comes in (受理渠道); an item lists the channels it may come by."""

    WINDOW = "window", _("窗口")
    ONLINE = "online", _("网上")
    PHONE = "phone", _("电话")
    MAIL = "mail", _("邮寄")
    AGENT = "agent", _("代办")


# Channels where the applicant does not come to the hall to apply (不见面).
REMOTE_CHANNELS = frozenset({Channel.ONLINE, Channel.PHONE, Channel.MAIL, Channel.AGENT})


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("原件")
    COPY = "copy", _("复印件")
    BOTH = "both", _("原件及复印件")
    ELECTRONIC = "electronic", _("电子件")


class MaterialNeed(models.TextChoices):
    REQUIRED = "required", _("必需")
    CONDITIONAL = "conditional", _("视情形提供")  # only in the cases its note names
    TOLERATED = "tolerated", _("可容缺")  # required, but may follow on a written commitment (容缺受理)


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("个人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Status(models.TextChoices):
    """Where an application (办件) stands. The table in `rules.py` says which step leads where."""

    FORWARDED = "forwarded", _("代办转交")  # a village agent took it in and sends it to the township window
    RECEIVED = "received", _("已接件")  # at the window; the promise clock runs from here
    CORRECTING = (
        "correcting",
        _("补正中"),
    )  # 一次性告知 given; the clock is paused until the applicant supplies
    NOT_ACCEPTED = "not_accepted", _("不予受理")  # with a written reason (final)
    PROCESSING = "processing", _("办理中")  # accepted (受理); in the back office or the responsible unit
    SUSPENDED = "suspended", _("特别程序")  # hearing, testing, expert review: the clock is paused
    DECIDED = "decided", _("已办结")  # granted or refused; the result waits to be delivered
    DELIVERED = "delivered", _("已送达")
    ARCHIVED = "archived", _("已归档")
    WITHDRAWN = "withdrawn", _("已撤回")  # the applicant withdrew it, or missing items were not supplied


OPEN_STATUSES = frozenset(
    {Status.FORWARDED, Status.RECEIVED, Status.CORRECTING, Status.PROCESSING, Status.SUSPENDED}
)
FINISHED_STATUSES = frozenset({Status.DECIDED, Status.DELIVERED, Status.ARCHIVED})
# The results an application may end with, per item kind: a public service has no refusal of a permit.
RESULTS = frozenset({ResultKind.GRANTED, ResultKind.GRANTED_PENDING, ResultKind.REFUSED})


class DeliveryMethod(models.TextChoices):
    WINDOW = "window", _("窗口领取")
    MAIL = "mail", _("邮寄送达")
    ELECTRONIC = "electronic", _("电子送达")


class VisitKind(models.TextChoices):
    """A time the applicant came in person (跑一次), counted for 最多跑一次."""

    APPLY = "apply", _("申请")
    SUPPLY = "supply", _("补正材料")
    COLLECT = "collect", _("领取结果")
    ENQUIRE = "enquire", _("询问进度")
    OTHER = "other", _("其他")


class Grade(models.IntegerChoices):
    """The five grades of 好差评 (1 = 非常不满意 … 5 = 非常满意, as the national interfaces code them)."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


BAD_GRADES = frozenset({Grade.DISSATISFIED, Grade.VERY_DISSATISFIED})
GOOD_GRADES = frozenset({Grade.VERY_SATISFIED, Grade.SATISFIED})


class RatingChannel(models.TextChoices):
    DEVICE = "device", _("窗口评价器")
    LINK = "link", _("短信链接")
    PHONE = "phone", _("电话回访")


class RectificationStatus(models.TextChoices):
    """Where the rectification of a bad rating (差评整改) stands."""

    OPEN = "open", _("待回访")  # the callback is due within 1 working day
    CONTACTED = "contacted", _("整改中")  # the applicant was called; the fix is due within 15 working days
    RECTIFIED = "rectified", _("待复评")  # fixed; waiting for the applicant's word on the fix
    CLOSED = "closed", _("已办结")


class ReviewGrade(models.TextChoices):
    """The applicant's word on the rectification."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
