"""The household-visit log (走访日志): one row per visit a grid worker makes in their grid."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import VisitKind


class Visit(models.Model):
    """A visit to a household, an enterprise or a key person; it may spawn an event."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="visits"
    )
    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+")
    # The grid's code: scope is a prefix match on it, as for events and people.
    region_code = models.CharField(_("区域代码"), max_length=14, db_index=True)
    kind = models.CharField(
        _("走访类型"), max_length=16, choices=VisitKind.choices, default=VisitKind.HOUSEHOLD
    )
    # Personal data for households and key persons: masked by role wherever it is shown.
    household = models.CharField(_("走访对象"), max_length=100, help_text=_("户主姓名或企业名称"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    visited_at = models.DateTimeField(_("走访时间"))
    notes = models.TextField(_("走访情况"), blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    follow_up = models.BooleanField(_("需跟进"), default=False)
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("由此上报的事件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访日志")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["worker", "visited_at"], name="visit_worker_at_idx"),
            models.Index(fields=["grid", "visited_at"], name="visit_grid_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visited_at:%Y-%m-%d}"
