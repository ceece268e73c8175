"""Inspection plans and daily reports (执法计划与每日巡查上报): a unit's yearly plan split among its certified officers,
the monthly plans derived from it, the stations (执法站) with their posts and roster (排班, night checks included),
and each officer's report of a day's inspections, due within 24 hours of the day's end. Written only by
`services/plans.py` and `services/daily_reports.py`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    FIXED = "fixed", _("固定守卡")  # a checkpoint held by the station (长三角钢材市场 in seed 002)
    PATROL = "patrol", _("流动巡查")  # checks around the station's area


class ShiftKind(models.TextChoices):
    DAY = "day", _("日间巡查")
    NIGHT = "night", _("夜间设卡夜查")  # seed 002: 日间网格巡查，夜间设卡夜查


class InspectionPlan(models.Model):
    """A unit's inspection plan (执法检查计划) for a year (month empty) or for one month of it; a monthly plan points
    at its year's plan and the twelve months' shares sum to the year's, officer by officer."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name=_("执法单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="months",
        verbose_name=_("年度计划"),
    )
    target = models.PositiveIntegerField(_("计划检查数"), default=0)  # the sum of the shares
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("编制人")
    )
    created_at = models.DateTimeField(_("编制时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("执法检查计划")
        verbose_name_plural = _("执法检查计划")
        ordering = ["unit_id", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], condition=Q(month__isnull=True), name="enf_plan_one_year"
            ),
            models.UniqueConstraint(
                fields=["unit", "year", "month"], condition=Q(month__isnull=False), name="enf_plan_one_month"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)),
                name="enf_plan_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月计划" if self.month else f"{self.year}年度计划"

    @property
    def yearly(self) -> bool:
        return self.month is None


class PlanShare(models.Model):
    """One officer's part of a plan (任务分解): how many inspections they are to report in its period."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="shares", verbose_name=_("计划")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("执法人员")
    )
    target = models.PositiveIntegerField(_("计划检查数"))

    class Meta:
        verbose_name = _("计划分解")
        verbose_name_plural = _("计划分解")
        ordering = ["plan_id", "officer_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "officer"], name="enf_share_one_per_officer")]

    def __str__(self) -> str:
        return f"{self.plan} {self.officer_id}: {self.target}"


class Station(models.Model):
    """An enforcement station (综合执法站 / 中队驻点) of a unit: fixed checkpoints and patrols from there."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="enforcement_stations", verbose_name=_("执法单位")
    )
    name = models.CharField(_("站点名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("执法站")
        verbose_name_plural = _("执法站")
        ordering = ["unit_id", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="enf_station_name_per_unit")]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A post of a station (岗位): a fixed checkpoint or a patrol round."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="posts", verbose_name=_("执法站")
    )
    name = models.CharField(_("岗位名称"), max_length=100)
    kind = models.CharField(_("岗位类型"), max_length=8, choices=PostKind.choices)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("执法岗位")
        verbose_name_plural = _("执法岗位")
        ordering = ["station_id", "name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="enf_post_name_per_station")]

    def __str__(self) -> str:
        return f"{self.station} · {self.name}"


class RosterShift(models.Model):
    """One line of a station's roster (排班): who is on which post on which day, by day or on the night check."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("岗位"))
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("执法人员")
    )
    day = models.DateField(_("日期"))
    kind = models.CharField(_("班次"), max_length=8, choices=ShiftKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("排班人")
    )
    created_at = models.DateTimeField(_("排班时间"))

    class Meta:
        verbose_name = _("排班")
        verbose_name_plural = _("排班")
        ordering = ["day", "kind", "post_id", "officer_id"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "day", "kind"], name="enf_shift_one_per_officer"),
        ]
        indexes = [models.Index(fields=["day", "post"], name="enf_shift_day_post")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()} {self.post}"


class DailyReport(models.Model):
    """每日巡查上报: what one officer inspected on one day (or on one roster shift), due within
    `ENFORCEMENT_DAILY_REPORT_HOURS` (24) of the day's end; a later one is kept and flagged late."""

    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("执法人员")
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="enforcement_daily_reports",
        verbose_name=_("执法单位"),
    )
    day = models.DateField(_("巡查日期"))
    shift = models.ForeignKey(
        RosterShift,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("排班"),
    )
    checked = models.PositiveIntegerField(_("检查场所/主体数"))
    places = models.TextField(_("检查的场所/主体"), blank=True)  # one a line
    problems_found = models.PositiveIntegerField(_("发现问题数"), default=0)
    problems = models.TextField(_("发现的问题"), blank=True)
    note = models.TextField(_("备注"), blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("上报时间"))
    due_at = models.DateTimeField(_("上报期限"))
    late = models.BooleanField(_("逾期上报"), default=False)
    idempotency_key = models.CharField(_("幂等键"), max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = _("每日巡查上报")
        verbose_name_plural = _("每日巡查上报")
        ordering = ["-day", "officer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "day"], condition=Q(shift__isnull=True), name="enf_report_one_per_day"
            ),
            models.UniqueConstraint(
                fields=["shift"], condition=Q(shift__isnull=False), name="enf_report_one_per_shift"
            ),
            models.UniqueConstraint(
                fields=["officer", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="enf_report_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(problems_found__lte=models.F("checked")), name="enf_report_problems_le_checked"
            ),
        ]
        indexes = [models.Index(fields=["unit", "day"], name="enf_report_unit_day")]

    def __str__(self) -> str:
        return f"{self.day} 巡查上报"


def report_photo_path(instance: "DailyReportPhoto", filename: str) -> str:
    return f"enforcement/daily/{instance.report.day:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class DailyReportPhoto(models.Model):
    """A photo of a daily report, checked by its bytes and kept with its SHA-256."""

    report = models.ForeignKey(
        DailyReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("上报")
    )
    file = models.FileField(_("照片"), upload_to=report_photo_path)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    extension = models.CharField(_("扩展名"), max_length=8)
    # What the photo's EXIF said (taken_at, lat, lng): kept here, stripped from the stored file.
    exif = models.JSONField(_("拍摄信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("巡查照片")
        verbose_name_plural = _("巡查照片")
        ordering = ["report_id", "id"]

    def __str__(self) -> str:
        return f"{self.sha256[:12]}{self.extension}"


class EvidenceReceipt(models.Model):
    """The phone's idempotency key of a piece of evidence sent from the outbox: a replay answers the first one."""

    evidence = models.OneToOneField(
        "enforcement.Evidence", on_delete=models.CASCADE, related_name="receipt", verbose_name=_("证据")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("取证人")
    )
    key = models.CharField(_("幂等键"), max_length=64)

    class Meta:
        verbose_name = _("证据提交回执")
        verbose_name_plural = _("证据提交回执")
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="enf_evidence_receipt_key")]

    def __str__(self) -> str:
        return self.key
