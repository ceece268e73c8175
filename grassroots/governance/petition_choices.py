"""The choices of a petition (信访件, 信访工作条例 2022): its states, channels, kinds, outcomes and how it was ended
(DOMAIN.md §7 综治工作; reference/domain-rules.md §4.2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PetitionStatus(models.TextChoices):
    """Where a petition stands (信访件状态). Only the services of `services/petition*.py` set it."""

    REGISTERED = "registered", _("已登记")  # 登记: the 15 日 to decide on acceptance run
    ACCEPTED = "accepted", _("已受理")  # 受理: the 60 日 to finish run (第三十四条)
    NOT_ACCEPTED = "not_accepted", _("不予受理")  # told in writing why (第二十三条)
    TRANSFERRED = "transferred", _("已转送")  # routed to the body with the remit (第二十二条)
    RETURNED = "returned", _("已退回")  # a transferred matter outside our remit, objected to within 5 工作日
    JOINED = "joined", _("已合并")  # the same matter already accepted: joined to it, not accepted again
    ANSWERED = "answered", _("已答复")  # 信访处理意见书 given; the 30 日 to ask for 复查 run
    REVIEWING = "reviewing", _("复查中")  # 复查 asked within 30 日; answered within 30 日 (第三十五条)
    REVIEWED = "reviewed", _("已复查")  # 复查意见书 given; the 30 日 to ask for 复核 run
    RECHECKING = "rechecking", _("复核中")  # 复核 asked within 30 日; answered within 30 日 (第三十六条)
    CLOSED = "closed", _("已办结")  # final: after 复核, or no request in time, or the petitioner satisfied


OPEN_STATUSES = frozenset(
    {
        PetitionStatus.REGISTERED,
        PetitionStatus.ACCEPTED,
        PetitionStatus.ANSWERED,
        PetitionStatus.REVIEWING,
        PetitionStatus.REVIEWED,
        PetitionStatus.RECHECKING,
    }
)


class PetitionChannel(models.TextChoices):
    """How the petition came (信访形式, 第十七条)."""

    ONLINE = "online", _("网上信访")
    LETTER = "letter", _("来信")
    PHONE = "phone", _("来电")
    FAX = "fax", _("传真")
    VISIT = "visit", _("来访")  # a collective visit sends at most five representatives (第十八条)


class PetitionKind(models.TextChoices):
    """What the petition asks (信访事项类别, 第二十九条–第三十一条)."""

    SUGGESTION = "suggestion", _("建议意见类")
    ACCUSATION = "accusation", _("检举控告类")
    CLAIM = "claim", _("申诉求决类")  # statutory routes first (litigation, arbitration, 复议 ...)


class PetitionOutcome(models.TextChoices):
    """The handling opinion (处理意见, 第三十二条)."""

    SUPPORT = "support", _("支持")
    EXPLAIN = "explain", _("解释说明")
    NOT_SUPPORT = "not_support", _("不予支持")


class NoticeKind(models.TextChoices):
    """The written notices a petition's steps give (书面告知)."""

    ACCEPTANCE = "acceptance", _("受理告知书")
    REFUSAL = "refusal", _("不予受理告知书")
    TRANSFER = "transfer", _("转送告知书")
    OBJECTION = "objection", _("退回函（不属本机关职权范围）")
    JOIN = "join", _("重复信访告知书")
    EXTENSION = "extension", _("延期办理告知书")
    ANSWER = "answer", _("信访处理意见书")
    REVIEW = "review", _("复查意见书")
    RECHECK = "recheck", _("复核意见书")
    CLOSING = "closing", _("办结告知书")


MAX_REPRESENTATIVES = 5
