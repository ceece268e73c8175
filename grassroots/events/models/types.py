"""The catalogue of event types (事件分类): a two-level tree with limits and routing per type.

Each row is one version of a type (`workflow.catalogue`): an event points at the version it was reported under,
new events take the version in force (`EventType.objects.in_force()`). The tree links versions by code: a
subclass's `parent` is the class version it was created under, so walk the tree by `parent.code`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.org.choices import PlatformKind
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.catalogue import CatalogueVersion

from ..choices import GridClass, Level


class EventType(CatalogueVersion):
    """A class (大类, no parent) or subclass (小类) of events, one version of it.

    Its limit pair, when set, is the handling limit at any level without a row in `limits` (the statutory one
    caps every per-level limit of the same unit); left empty, such a level takes the default 1/3/5/7 days.
    """

    code = models.CharField(_("分类代码"), max_length=16)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("大类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    platform = models.CharField(_("所属平台"), max_length=16, choices=PlatformKind.choices)
    grid_class = models.CharField(_("网格事件类别"), max_length=16, choices=GridClass.choices, blank=True)
    default_level = models.PositiveSmallIntegerField(
        _("默认层级"), choices=Level.choices, default=Level.TOWNSHIP
    )
    # Units are per township; the default handler is named by the suffix of its code ("<township code>-<suffix>").
    default_unit_suffix = models.CharField(_("默认处置单位"), max_length=16, blank=True)
    registration_conditions = models.TextField(_("立案条件"), blank=True)
    closing_conditions = models.TextField(_("结案条件"), blank=True)
    self_fixable = models.BooleanField(_("网格员可自行处置"), default=False)
    is_public = models.BooleanField(_("向公众开放上报"), default=True)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True)
    # Duplicate detection: a new report of this type within this distance and window of an open event.
    duplicate_radius_m = models.PositiveIntegerField(_("疑似重复距离(米)"), default=50)
    duplicate_window_hours = models.PositiveIntegerField(_("疑似重复时间窗(小时)"), default=72)
    # Escalation rules (DOMAIN.md §5): on timeout, and after this many reworks (0 = never).
    escalate_on_timeout = models.BooleanField(_("超时自动升级"), default=True)
    escalate_after_reworks = models.PositiveSmallIntegerField(_("返工几次后升级"), default=2)
    # Clocks that are not per level: verification of a report, and the check after feedback.
    verify_hours = models.PositiveSmallIntegerField(_("核实时限(工作时)"), default=4)
    check_hours = models.PositiveSmallIntegerField(_("核查时限(工作时)"), default=8)
    is_active = models.BooleanField(_("启用"), default=True)

    catalogue_copy_related = ("limits", "open311_attributes")

    class Meta(CatalogueVersion.Meta):
        verbose_name = _("事件分类")
        verbose_name_plural = _("事件分类")
        ordering = ["code", "version"]

    def __str__(self) -> str:
        # Versions after the first say so, so that two versions of a type can be told apart in a list.
        return f"{self.code} {self.name}" + (f" (v{self.version})" if self.version > 1 else "")

    def catalogue_problems(self) -> list[tuple[str, str]]:
        if self.statutory_limit is None:
            return []
        over = [
            f"L{limit.level}"
            for limit in self.limits.all()
            if limit.unit == self.limit_unit and limit.amount > self.statutory_limit
        ]
        if over:
            return [("level_limit_exceeds_statutory", f"{'、'.join(over)} 的处置时限长于法定时限")]
        return []


class TimeLimit(models.Model):
    """The handling time limit of a type at one level (Shangyu: 1 to 7 days)."""

    event_type = models.ForeignKey(
        EventType, verbose_name=_("事件类型"), on_delete=models.CASCADE, related_name="limits"
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    amount = models.DecimalField(_("时限"), max_digits=6, decimal_places=1)
    unit = models.CharField(
        _("单位"), max_length=16, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = _("处置时限")
        verbose_name_plural = _("处置时限")
        ordering = ["event_type", "level"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "level"], name="time_limit_one_per_level")
        ]

    def __str__(self) -> str:
        return f"L{self.level} {self.amount} {self.get_unit_display()}"
