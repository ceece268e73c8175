"""A draw plan (抽查计划), the pools it froze with the seed commitment, and its draws (抽取记录)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import PlanStatus

# DOMAIN.md §7's local example mapped onto the four classes (docs/draws.md): A low 1% … D high 100%.
DEFAULT_RATES = {"A": "0.01", "B": "0.04", "C": "0.2", "D": "1"}


def default_rates() -> dict[str, str]:
    return dict(getattr(settings, "DRAWS_DEFAULT_RATES", DEFAULT_RATES))


class DrawPlan(models.Model):
    """A random-inspection plan: items, units, the target filter and the rate per risk class."""

    name = models.CharField(_("计划名称"), max_length=200)
    units = models.ManyToManyField("org.Unit", related_name="draw_plans", verbose_name=_("参与单位"))
    items = models.ManyToManyField("draws.InspectionItem", related_name="plans", verbose_name=_("抽查事项"))
    target_filter = models.TextField(_("检查对象范围"), blank=True)
    rates = models.JSONField(_("各风险等级抽查比例"), default=default_rates)
    inspectors_per_target = models.PositiveSmallIntegerField(_("每个对象执法人员数"), default=2)
    # Plans sharing a joint key (联合抽查) inspect a target once: a later draw skips targets an earlier one took.
    joint_key = models.CharField(_("联合抽查批次"), max_length=40, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("抽查计划")
        verbose_name_plural = _("抽查计划")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_target__gte=2), name="draws_plan_two_inspectors_at_least"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PoolSnapshot(models.Model):
    """The pools frozen for one draw (canonical JSON and SHA-256 digests) and the commitment to its seed.

    The seed stays secret until the draw reveals it; only `seed_hash` is published before."""

    plan = models.ForeignKey(
        DrawPlan, on_delete=models.PROTECT, related_name="snapshots", verbose_name=_("计划")
    )
    sequence = models.PositiveSmallIntegerField(_("轮次"))
    targets = models.JSONField(_("检查对象名录"))
    inspectors = models.JSONField(_("执法人员名录"))
    targets_digest = models.CharField(_("检查对象名录摘要"), max_length=64)
    inspectors_digest = models.CharField(_("执法人员名录摘要"), max_length=64)
    seed_hash = models.CharField(_("种子承诺值"), max_length=64)
    seed = models.CharField(_("种子"), max_length=64)
    frozen_at = models.DateTimeField(_("冻结时间"))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("冻结人")
    )
    # A re-draw's reason and approval, set when the pools are frozen again for it.
    redraw_reason = models.TextField(_("重新抽取理由"), blank=True)
    redraw_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )

    class Meta:
        verbose_name = _("冻结名录")
        verbose_name_plural = _("冻结名录")
        ordering = ["plan_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "sequence"], name="draws_snapshot_sequence")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.sequence}轮名录"


class Draw(models.Model):
    """One draw of a plan (第 N 次抽取): the revealed seed, the digests, the inputs and the result. A re-draw
    supersedes it; both stay on record. Results are published within 20 工作日 (DOMAIN.md §7)."""

    plan = models.ForeignKey(DrawPlan, on_delete=models.PROTECT, related_name="draws", verbose_name=_("计划"))
    snapshot = models.OneToOneField(
        PoolSnapshot, on_delete=models.PROTECT, related_name="draw", verbose_name=_("冻结名录")
    )
    sequence = models.PositiveSmallIntegerField(_("抽取序号"))
    seed = models.CharField(_("种子"), max_length=64)
    seed_hash = models.CharField(_("种子承诺值"), max_length=64)
    targets_digest = models.CharField(_("检查对象名录摘要"), max_length=64)
    inspectors_digest = models.CharField(_("执法人员名录摘要"), max_length=64)
    algorithm = models.CharField(_("算法版本"), max_length=20)
    inputs = models.JSONField(_("抽取参数"))
    result = models.JSONField(_("抽取结果"))
    drawn_at = models.DateTimeField(_("抽取时间"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    reason = models.TextField(_("重新抽取理由"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    superseded_at = models.DateTimeField(_("被重新抽取时间"), null=True, blank=True)
    results_due_at = models.DateTimeField(_("结果公示期限"), null=True, blank=True)
    results_summary = models.TextField(_("检查结果"), blank=True)
    results_published_at = models.DateTimeField(_("结果公示时间"), null=True, blank=True)
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公示人"),
    )

    class Meta:
        verbose_name = _("抽取记录")
        verbose_name_plural = _("抽取记录")
        ordering = ["plan_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "sequence"], name="draws_draw_sequence")]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.sequence}次抽取"

    @property
    def current(self) -> bool:
        return self.superseded_at is None

    @property
    def assigned(self) -> list[dict[str, Any]]:
        return list(self.result.get("targets", []))

    @property
    def unassigned(self) -> list[dict[str, Any]]:
        return list(self.result.get("unassigned", []))
