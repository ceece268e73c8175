"""The states of a clock and the kinds of suspension that pause one (DOMAIN.md §6, §7)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockState(models.TextChoices):
    """Where a clock stands (计时状态)."""

    RUNNING = "running", _("计时中")  # time counts; warn_at and due_at are set
    PAUSED = "paused", _("已暂停")  # a suspension is open in the ledger; warn_at and due_at are empty
    STOPPED = "stopped", _("已停止")  # final: the step that closed the stage stopped it, with a result


class PauseKind(models.TextChoices):
    """Why a clock is paused (暂停事由): each is a suspension whose time does not count."""

    SUSPENDED = (
        "suspended",
        _("挂起/中止"),
    )  # the case cannot go on for now (a party unreachable, a prior ruling)
    CORRECTION = "correction", _("补正")  # the applicant is told once what is missing; waits for them
    HEARING = "hearing", _("听证")  # a hearing asked for or ordered; from notice to the record
    TESTING = "testing", _("检验检测鉴定")  # inspection, testing, appraisal by a third party
    NOTICE = "notice", _("公告")  # a public notice period the law requires before deciding
    EXPERT_REVIEW = "expert_review", _("专家评审")  # expert review or on-site survey (特别程序)
    OTHER = "other", _("其他")  # another suspension the law allows; the reason says which


class ClockOp(models.TextChoices):
    """What a move does to its record's clock (declared on the move; the step's service carries it out)."""

    START = "start", _("开始计时")
    STOP = "stop", _("停止计时")
    PAUSE = "pause", _("暂停计时")
    RESUME = "resume", _("恢复计时")
    EXTEND = "extend", _("延长时限")
    RESTART = "restart", _("重新计时")  # the stage ends and the next one starts its own limit
