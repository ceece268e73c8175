"""The list of entities with abnormal operations (经营异常名录), with its working-day limits (DOMAIN.md §7)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AbnormalReason
from .entities import MarketEntity


class AbnormalListing(models.Model):
    """One listing of an entity in the 经营异常名录, and its removal.

    The due dates are computed with the working calendar when the listing (or the compliance) is recorded: listed
    within 10 工作日 of the trigger, removed within 5 工作日 of compliance (services/abnormal.py)."""

    entity = models.ForeignKey(
        MarketEntity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="abnormal_listings"
    )
    reason = models.CharField(_("列入事由"), max_length=24, choices=AbnormalReason.choices)
    triggered_on = models.DateField(_("事由发生日期"))
    list_due_on = models.DateField(_("应列入期限"))
    listed_on = models.DateField(_("列入日期"))
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("列入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("说明"), blank=True)
    complied_on = models.DateField(_("履行义务日期"), null=True, blank=True)
    remove_due_on = models.DateField(_("应移出期限"), null=True, blank=True)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.TextField(_("移出理由"), blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("经营异常名录记录")
        verbose_name_plural = _("经营异常名录记录")
        ordering = ["-listed_on", "-id"]
        constraints = [
            # One open listing per entity and reason.
            models.UniqueConstraint(
                fields=["entity", "reason"],
                condition=models.Q(removed_on__isnull=True),
                name="market_abnormal_open_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity.name} {self.get_reason_display()}"

    @property
    def is_open(self) -> bool:
        return self.removed_on is None

    @property
    def listed_late(self) -> bool:
        return self.listed_on > self.list_due_on
