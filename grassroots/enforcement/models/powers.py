"""The power list (权力清单): every enforcement power a township's team exercises, with its legal basis and its
discretion table (裁量基准: circumstances → penalty range), published by law (行政处罚法 第三十四条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import PowerCategory


class Power(models.Model):
    """One power of the list. `discretion` is its table, one row per level:
    {"level": DiscretionLevel, "circumstances": text, "min": yuan or null, "max": yuan or null, "measure": text}."""

    code = models.CharField(_("职权编码"), max_length=40, unique=True)
    name = models.CharField(_("职权名称"), max_length=300)
    category = models.CharField(_("职权类型"), max_length=2, choices=PowerCategory.choices)
    violation = models.TextField(_("违法行为"), blank=True)
    basis = models.TextField(_("设定依据"), blank=True)  # the article that forbids (违则)
    penalty_basis = models.TextField(_("处罚依据"), blank=True)  # the article that punishes (罚则)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="powers", verbose_name=_("实施主体")
    )
    field = models.CharField(_("执法领域"), max_length=60, blank=True, db_index=True)
    discretion = models.JSONField(_("裁量基准"), default=list, blank=True)
    published = models.BooleanField(_("已公布"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("执法职权")
        verbose_name_plural = _("权力清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
