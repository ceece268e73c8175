"""Joint operations and special campaigns (联合执法 / 专项整治): a lead unit and participating units of any platform, a
period, targets (market entities, places, grids), a plan of tasks per unit, and the results each unit records
(places inspected, problems found, cases opened, rectified). The steps are `services/operation_rules.TABLE`; only the
services in `services/operations.py` write `JointOperation.status`."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class OperationKind(models.TextChoices):
    JOINT = "joint", _("联合执法")  # several agencies' duties meet on one matter (浙江 第十三–十四条)
    CAMPAIGN = "campaign", _("专项整治")  # one kind of problem across the area for a period


class OperationStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")  # the work plan is being written; tasks are added
    ONGOING = "ongoing", _("进行中")  # the units are out; each records its own results
    FINISHED = "finished", _("已结束")  # every unit's results are in and totalled; a summary
    CANCELLED = "cancelled", _("已取消")  # called off, with a reason


OPEN_STATUSES = frozenset({OperationStatus.PLANNED, OperationStatus.ONGOING})
# The results a participating unit records, in the order pages and exports show them.
RESULT_FIELDS = ("places_inspected", "problems_found", "cases_opened", "rectified")


def _person(verbose_name: Any) -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class JointOperation(models.Model):
    """One joint operation or special campaign (联合执法行动 / 专项整治行动), initiated by its lead unit with a
    written work plan."""

    kind = models.CharField(_("行动类型"), max_length=16, choices=OperationKind.choices)
    title = models.CharField(_("行动名称"), max_length=200)
    lead_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="led_operations", verbose_name=_("牵头单位")
    )
    units = models.ManyToManyField(
        "org.Unit",
        through="OperationUnit",
        related_name="joint_operations",
        verbose_name=_("参与单位"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=OperationStatus.choices, default=OperationStatus.PLANNED
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    plan = models.TextField(_("工作方案"), blank=True)  # aims, division of work, safety, discipline
    # Targets (行动对象): registered entities, places by name and point, and whole grids.
    entities = models.ManyToManyField(
        "market.MarketEntity",
        blank=True,
        related_name="joint_operations",
        verbose_name=_("检查对象（市场主体）"),
    )
    places = models.JSONField(_("重点区域（地点）"), default=list, blank=True)  # [{"name", "lon", "lat"}]
    grids = models.ManyToManyField(
        "geo.Grid", blank=True, related_name="joint_operations", verbose_name=_("涉及网格")
    )
    summary = models.TextField(_("行动总结"), blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = _person(_("发起人"))
    created_at = models.DateTimeField(_("发起时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("联合执法行动")
        verbose_name_plural = _("联合执法行动")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["starts_on", "ends_on"], name="enf_op_period"),
            models.Index(fields=["lead_unit", "status"], name="enf_op_lead_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="enf_op_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class OperationUnit(models.Model):
    """A unit taking part, with the results it recorded for itself (the lead unit is one of them)."""

    operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="participants", verbose_name=_("行动")
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    lead = models.BooleanField(_("牵头"), default=False)
    places_inspected = models.PositiveIntegerField(_("检查场所（户次）"), default=0)
    problems_found = models.PositiveIntegerField(_("发现问题"), default=0)
    cases_opened = models.PositiveIntegerField(_("立案查处"), default=0)
    rectified = models.PositiveIntegerField(_("整改到位"), default=0)
    results_note = models.TextField(_("情况说明"), blank=True)
    recorded_at = models.DateTimeField(_("填报时间"), null=True, blank=True)
    recorded_by = _person(_("填报人"))

    class Meta:
        verbose_name = _("参与单位")
        verbose_name_plural = _("参与单位")
        ordering = ["-lead", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "unit"], name="enf_op_unit_once"),
            models.CheckConstraint(
                condition=Q(rectified__lte=F("problems_found")), name="enf_op_rectified_not_above_found"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.unit_id}"


class OperationTask(models.Model):
    """A task of the work plan for one unit (分工), marked done with notes by that unit or the lead."""

    operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("行动")
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位")
    )
    text = models.CharField(_("任务"), max_length=300)
    done = models.BooleanField(_("已完成"), default=False)
    notes = models.TextField(_("完成情况"), blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = _person(_("确认人"))
    created_at = models.DateTimeField(_("添加时间"))

    class Meta:
        verbose_name = _("行动任务")
        verbose_name_plural = _("行动任务")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class OperationHistory(models.Model):
    """Every change of an operation: who, when, which action, from which state to which, and what came with it."""

    operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="history", verbose_name=_("行动")
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = _person(_("操作人"))
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("行动记录")
        verbose_name_plural = _("行动记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.operation_id} {self.action}"
