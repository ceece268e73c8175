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


class CatalogueStatus(models.TextChoices):
    """Where a version of a catalogue entry stands (版本状态)."""

    DRAFT = "draft", _("草稿")  # being edited; no instance may start under it
    PUBLISHED = "published", _("已发布")  # in force from valid_from until valid_until (open-ended if empty)
    RETIRED = "retired", _("已停用")  # withdrawn without a successor; kept for the instances started under it
