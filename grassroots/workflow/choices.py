"""The states of a clock, the kinds of suspension that pause one (DOMAIN.md §6, §7), and the kinds of link
between records."""

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


class LinkKind(models.TextChoices):
    """How two records of (usually different) workflows are linked (关联方式). A link reads from its source to its
    target; `LINK_WORDING` gives each side its own words, so one row reads right from either record."""

    BECAME = "became", _("转为")  # the source became the target: an event became an enforcement case
    RELATED = "related", _("关联")  # the two concern the same matter; reads the same both ways
    MERGED = "merged", _("合并")  # the source was merged into the target and goes on there
    RECTIFICATION = "rectification", _("整改")  # the target is the rectification of the source (a bad rating)


# (on the source's page, on the target's page): what the other record is to the one shown.
LINK_WORDING = {
    LinkKind.BECAME: (_("转为"), _("源自")),
    LinkKind.RELATED: (_("关联"), _("关联")),
    LinkKind.MERGED: (_("并入"), _("合并自")),
    LinkKind.RECTIFICATION: (_("整改任务"), _("整改对象")),
}


class CatalogueStatus(models.TextChoices):
    """Where a version of a catalogue entry stands (版本状态)."""

    DRAFT = "draft", _("草稿")  # being edited; no instance may start under it
    PUBLISHED = "published", _("已发布")  # in force from valid_from until valid_until (open-ended if empty)
    RETIRED = "retired", _("已停用")  # withdrawn without a successor; kept for the instances started under it


class ResultKind(models.TextChoices):
    """How a case ended (办理结果): set with its final state in one write. Each workflow's catalogue names the kinds
    its cases may end with (a service item: granted or refused; a dispute: settled or not)."""

    GRANTED = "granted", _("准予")
    GRANTED_PENDING = (
        "granted_pending",
        _("容缺准予"),
    )  # granted on a written promise to supply what is missing
    REFUSED = "refused", _("不予")
    SETTLED = "settled", _("调解成功")
    NOT_SETTLED = "not_settled", _("调解不成")
    PENALISED = "penalised", _("予以处罚")
    NOT_PENALISED = "not_penalised", _("不予处罚")
    RESOLVED = "resolved", _("已解决")
    WITHDRAWN = "withdrawn", _("撤回")
    TERMINATED = "terminated", _("终止")
