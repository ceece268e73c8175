"""Assessment schemes (考核方案), manual ratings, published (frozen) assessments and report jobs.

A scheme is configuration: which indicators count for which subjects, with weights, deductions, bonuses and
grade bands; a scheme has one or more parts, each computed from the records or rated by people, weighted into
the total (Zhenhai 60/40, Shangyu 50/40/10). Publishing stores the figures and scores, so later changes to the
records do not move a published result; re-running it is an explicit act with its own version and audit row.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.org.choices import AgencyClass, UnitKind

from .choices import (
    AdjustmentBasis,
    AdjustmentDirection,
    AssessmentStatus,
    JobStatus,
    PartMethod,
    RaterKind,
    ReportKind,
    SubjectKind,
)
from .indicators import INDICATORS


def plain(value: Decimal) -> str:
    """A decimal as people write it: 10, 0.5, 12.25 (never 1E+1)."""
    text = format(Decimal(value).normalize(), "f")
    return text


INDICATOR_CHOICES = [(code, i.label) for code, i in INDICATORS.items()]
PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Scheme(models.Model):
    """An assessment scheme for one kind of subject (a department, township, village, grid or person)."""

    code = models.SlugField(_("方案代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    subject_kind = models.CharField(_("考核对象"), max_length=16, choices=SubjectKind.choices)
    # Narrow unit subjects: e.g. dispatched agencies of class B only (Shangyu).
    unit_kind = models.CharField(_("单位类型"), max_length=32, choices=UnitKind.choices, blank=True)
    agency_class = models.CharField(
        _("派驻机构类别"), max_length=1, choices=AgencyClass.choices, blank=True, default=""
    )
    description = models.TextField(_("说明"), blank=True)
    grade_a = models.DecimalField(_("A 等下限"), max_digits=5, decimal_places=2, default=Decimal(90))
    grade_b = models.DecimalField(_("B 等下限"), max_digits=5, decimal_places=2, default=Decimal(75))
    grade_c = models.DecimalField(_("C 等下限"), max_digits=5, decimal_places=2, default=Decimal(60))
    grade_d = models.DecimalField(_("D 等下限"), max_digits=5, decimal_places=2, default=Decimal(40))
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["subject_kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(grade_a__gte=models.F("grade_b"))
                & Q(grade_b__gte=models.F("grade_c"))
                & Q(grade_c__gte=models.F("grade_d")),
                name="scheme_grade_bands_descend",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SchemePart(models.Model):
    """One part of a scheme, weighted into the total: computed from the records or rated by people."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="parts"
    )
    name = models.CharField(_("名称"), max_length=50)
    weight = models.DecimalField(_("权重(%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    method = models.CharField(_("评分方式"), max_length=16, choices=PartMethod.choices)
    rater = models.CharField(_("评分方"), max_length=16, choices=RaterKind.choices, blank=True)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("考核组成")
        verbose_name_plural = _("考核组成")
        ordering = ["scheme", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method=PartMethod.COMPUTED) | ~Q(rater=""), name="scheme_part_manual_has_rater"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{plain(self.weight)}%）"


class SchemeItem(models.Model):
    """An indicator in a computed part, with its weight in points."""

    part = models.ForeignKey(
        SchemePart, verbose_name=_("考核组成"), on_delete=models.CASCADE, related_name="items"
    )
    indicator = models.CharField(_("指标"), max_length=32, choices=INDICATOR_CHOICES)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["part", "id"]
        constraints = [models.UniqueConstraint(fields=["part", "indicator"], name="scheme_item_once")]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {plain(self.weight)}分"


class SchemeAdjustment(models.Model):
    """A deduction or bonus per counted item (per overdue event, per supervision order...), with a cap."""

    part = models.ForeignKey(
        SchemePart, verbose_name=_("考核组成"), on_delete=models.CASCADE, related_name="adjustments"
    )
    basis = models.CharField(_("依据"), max_length=32, choices=AdjustmentBasis.choices)
    direction = models.CharField(_("加减"), max_length=8, choices=AdjustmentDirection.choices)
    points = models.DecimalField(
        _("每项分值"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    cap = models.DecimalField(_("封顶"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("加减分规则")
        verbose_name_plural = _("加减分规则")
        ordering = ["part", "direction", "id"]

    def __str__(self) -> str:
        sign = "−" if self.direction == AdjustmentDirection.DEDUCT else "+"
        cap = f"，最多 {plain(self.cap)} 分" if self.cap is not None else ""
        return f"每{self.get_basis_display()} {sign}{plain(self.points)} 分{cap}"


class ManualRating(models.Model):
    """A rater's score (0–100) of one subject in a manual part for one period; audited on every change."""

    part = models.ForeignKey(
        SchemePart, verbose_name=_("考核组成"), on_delete=models.PROTECT, related_name="ratings"
    )
    subject_key = models.CharField(_("考核对象"), max_length=32)
    period_key = models.CharField(_("考核周期"), max_length=24)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, validators=PERCENT)
    note = models.TextField(_("评语"), blank=True)
    created_at = models.DateTimeField(_("评分时间"))
    updated_at = models.DateTimeField(_("修改时间"))

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        ordering = ["part", "period_key", "subject_key", "rater"]
        constraints = [
            models.UniqueConstraint(
                fields=["part", "subject_key", "period_key", "rater"], name="manual_rating_once_per_rater"
            )
        ]

    def __str__(self) -> str:
        return f"{self.part} {self.period_key} {self.subject_key}: {self.score}"


class Assessment(models.Model):
    """A published (frozen) assessment: one scheme, one period, one area. Its results are stored rows."""

    scheme = models.ForeignKey(
        Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="assessments"
    )
    period_key = models.CharField(_("考核周期"), max_length=24)
    area_code = models.CharField(_("区域"), max_length=12, blank=True)
    area_name = models.CharField(_("区域名称"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.PUBLISHED
    )
    # The moment the figures were computed at: what had fallen due by then.
    as_of = models.DateTimeField(_("数据截至"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["-period_key", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "period_key", "area_code"], name="assessment_one_per_period_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.period_key} {self.area_name} v{self.version}"


class AssessmentResult(models.Model):
    """One subject's stored figures and scores in one version of a published assessment."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="results"
    )
    version = models.PositiveIntegerField(_("版本"))
    subject_key = models.CharField(_("对象"), max_length=32)
    subject_name = models.CharField(_("名称"), max_length=100)
    subject_code = models.CharField(_("代码"), max_length=40, blank=True)
    subject_parent = models.CharField(_("所属"), max_length=100, blank=True)
    counts = models.JSONField(_("计数"), default=dict)
    parts = models.JSONField(_("分项得分"), default=list)
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=1, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)

    class Meta:
        verbose_name = _("考核明细")
        verbose_name_plural = _("考核明细")
        ordering = ["assessment", "version", "rank", "subject_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "version", "subject_key"], name="assessment_result_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.score} {self.grade}"


def report_path(instance: "ReportJob", filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class ReportJob(models.Model):
    """A report being built in the background (a year for a district takes a while): the page polls it."""

    kind = models.CharField(_("报告类型"), max_length=16, choices=ReportKind.choices)
    period_key = models.CharField(_("统计周期"), max_length=24)
    area_code = models.CharField(_("区域"), max_length=12, blank=True)
    area_name = models.CharField(_("区域名称"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    message = models.CharField(_("当前步骤"), max_length=100, blank=True)
    data = models.JSONField(_("报告数据"), default=dict, blank=True)
    file = models.FileField(_("Excel 文件"), upload_to=report_path, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)

    class Meta:
        verbose_name = _("分析报告")
        verbose_name_plural = _("分析报告")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="report_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_key} {self.area_name}"

    @property
    def period_label(self) -> str:
        from grassroots.core.errors import InvalidInput

        from .periods import period_parse

        try:
            return period_parse(self.period_key).label
        except InvalidInput:  # not a key this version understands: show it as stored
            return self.period_key
