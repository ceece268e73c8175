from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """What is measured and scored (DOMAIN.md §8). Each figure is attributed to a subject from the records."""

    DISTRICT = "district", _("区县")  # the first six digits of the event's region code
    TOWNSHIP = "township", _("乡镇街道")  # the event's township
    VILLAGE = "village", _("村社区")  # the event's village or community
    GRID = "grid", _("网格")  # the event's grid
    PLATFORM = "platform", _("平台")  # the event's platform (four kinds)
    UNIT = "unit", _("单位")  # the unit of an assignment, or the unit responsible for an event
    PERSON = "person", _("人员")  # the reporter of an event, or the verifier named for it


class PeriodKind(models.TextChoices):
    DAY = "day", _("日")
    WEEK = "week", _("周")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年")
    CUSTOM = "custom", _("自定义")


class PartMethod(models.TextChoices):
    """How a part of a scheme gets its score."""

    COMPUTED = (
        "computed",
        _("按指标计算"),
    )  # Σ weight × indicator from the records, less deductions, plus bonuses
    MANUAL = "manual", _("人工评分")  # the mean of the raters' scores (ManualRating)


class RaterKind(models.TextChoices):
    """Who may enter the manual scores of a part."""

    TOWNSHIP = "township", _("驻地乡镇")  # leaders and shift leads of the subject's township, or the centre
    DEPARTMENT = "department", _("主管部门")  # staff of the agency's county department (its parent unit)
    DISTRICT = "district", _("区考核办")  # the district command centre and district leaders


class AdjustmentBasis(models.TextChoices):
    """What a deduction or bonus counts, per subject and period (definitions in docs/assessment.md)."""

    OVERDUE_CLOSE = "overdue_close", _("超期未结案事件")
    OVERDUE_HANDLE = "overdue_handle", _("超期未处置任务")
    RETURNED = "returned", _("退回的派遣任务")
    REWORKED = "reworked", _("返工的处置")
    SUPERVISED = "supervised", _("有效督办单")
    URGED = "urged", _("催办单")
    REOPENED = "reopened", _("重启的事件")
    VALID_REPORT = "valid_report", _("有效上报")
    OVERDUE_MEETING_TASK = "overdue_meeting_task", _("超期未办结的会议督办事项")


class AdjustmentDirection(models.TextChoices):
    DEDUCT = "deduct", _("扣分")
    BONUS = "bonus", _("加分")


class AssessmentStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")  # figures and scores frozen; re-running is an explicit, audited act


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("周研判")
    MONTHLY = "monthly", _("月分析")
    QUARTERLY = "quarterly", _("季度分析")
    YEARLY = "yearly", _("年度分析")
    CUSTOM = "custom", _("专题分析")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
