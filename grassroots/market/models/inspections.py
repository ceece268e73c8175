"""Inspections of market entities (监督检查): the inspection with its checklist and photos, its findings with their
rectification and re-check, and the penalties recorded on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    Conclusion,
    FindingStatus,
    InspectionKind,
    InspectionStatus,
    PenaltyKind,
    Procedure,
)


class Inspection(models.Model):
    """One inspection of one entity by at least one certified inspector (two for 双随机)."""

    number = models.CharField(_("检查编号"), max_length=32, unique=True, null=True, blank=True)
    entity = models.ForeignKey(
        "market.MarketEntity",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("市场主体"),
    )
    kind = models.CharField(_("检查类型"), max_length=16, choices=InspectionKind.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.ASSIGNED
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="market_inspections", verbose_name=_("检查单位")
    )
    items = models.ManyToManyField(
        "draws.InspectionItem", related_name="inspections", blank=True, verbose_name=_("检查事项")
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="market_inspections", verbose_name=_("检查人员")
    )
    # Where it came from: a draw (双随机), a complaint event, a campaign's name.
    draw = models.ForeignKey(
        "draws.Draw",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("抽取记录"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_inspections",
        verbose_name=_("投诉举报事件"),
    )
    campaign = models.CharField(_("专项行动"), max_length=100, blank=True)
    due_on = models.DateField(_("应检查日期"), null=True, blank=True)
    inspected_at = models.DateTimeField(_("检查时间"), null=True, blank=True)
    conclusion = models.CharField(_("检查结果"), max_length=16, choices=Conclusion.choices, blank=True)
    checklist = models.JSONField(_("检查表"), default=list, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("监督检查")
        verbose_name_plural = _("监督检查")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="market_insp_status_due"),
            models.Index(fields=["unit", "created_at"], name="market_insp_unit_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "entity"],
                condition=models.Q(draw__isnull=False),
                name="market_insp_one_per_draw_target",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"检查 {self.pk}"


class InspectionHistory(models.Model):
    """Every step of an inspection: who, when, which action, from which state to which, and what came with it."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="history", verbose_name=_("检查")
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("检查记录")
        verbose_name_plural = _("检查记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.inspection} {self.action}"


def photo_path(instance: "InspectionPhoto", filename: str) -> str:
    return (
        f"market/{instance.uploaded_at:%Y/%m/%d}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"
    )


class InspectionPhoto(models.Model):
    """A photo taken on site (检查 or 复查), checked for type and size by its bytes."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="photos", verbose_name=_("检查")
    )
    stage = models.CharField(_("环节"), max_length=16)  # the action it came with: record, recheck
    file = models.FileField(_("文件"), upload_to=photo_path)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    extension = models.CharField(_("扩展名"), max_length=8)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    # What the photo's EXIF said (taken_at, lat, lng): kept here, stripped from the stored file.
    exif = models.JSONField(_("拍摄信息"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("上传人"),
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("检查照片")
        verbose_name_plural = _("检查照片")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]


class Finding(models.Model):
    """A problem found (发现问题): rectified by a deadline and re-checked on site (复查)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("检查")
    )
    item = models.ForeignKey(
        "draws.InspectionItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查事项"),
    )
    description = models.TextField(_("问题描述"))
    status = models.CharField(_("整改状态"), max_length=16, choices=FindingStatus.choices)
    rectify_by = models.DateField(_("整改期限"))
    rectified_at = models.DateTimeField(_("整改确认时间"), null=True, blank=True)
    late = models.BooleanField(_("逾期整改"), default=False)
    rechecks = models.PositiveSmallIntegerField(_("复查次数"), default=0)
    recheck_note = models.TextField(_("复查情况"), blank=True)

    class Meta:
        verbose_name = _("检查发现问题")
        verbose_name_plural = _("检查发现问题")
        ordering = ["inspection_id", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class Penalty(models.Model):
    """A penalty decided on an entity (行政处罚), recorded with its legal basis; public in the credit file."""

    entity = models.ForeignKey(
        "market.MarketEntity", on_delete=models.PROTECT, related_name="penalties", verbose_name=_("市场主体")
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="penalties",
        verbose_name=_("检查"),
    )
    decision_no = models.CharField(_("处罚决定书文号"), max_length=64, unique=True)
    kind = models.CharField(_("处罚种类"), max_length=16, choices=PenaltyKind.choices)
    procedure = models.CharField(_("程序"), max_length=8, choices=Procedure.choices)
    amount = models.DecimalField(_("罚没金额（元）"), max_digits=12, decimal_places=2, default=0)
    violation = models.TextField(_("违法事实"))
    legal_basis = models.TextField(_("处罚依据"))
    decided_on = models.DateField(_("决定日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("行政处罚")
        verbose_name_plural = _("行政处罚")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return self.decision_no
