"""Market entities (市场主体) keyed by their unified social credit code, and their licences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Demonstration, EntityKind, EntityStatus, FoodClass, LicenceKind, RiskClass


class MarketEntity(models.Model):
    """An enterprise, individual business, cooperative or branch in the registry (市场主体)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("主体类型"), max_length=16, choices=EntityKind.choices)
    # Personal data: the phone is masked by role and every unmasked read audited (permissions.legal_rep_of).
    legal_rep = models.CharField(_("法定代表人（经营者）"), max_length=100, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    address = models.CharField(_("住所（经营场所）"), max_length=300, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    # The 12-digit village/community of the address; scope is a prefix match on it (grassroots/core/scope.py).
    region_code = models.CharField(_("所在村社代码"), max_length=12, blank=True, db_index=True)
    grid = models.ForeignKey(
        "geo.Grid",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="market_entities",
    )
    industry_code = models.CharField(_("行业代码"), max_length=5, blank=True, db_index=True)  # GB/T 4754
    industry_name = models.CharField(_("行业名称"), max_length=100, blank=True)
    status = models.CharField(
        _("登记状态"), max_length=16, choices=EntityStatus.choices, default=EntityStatus.OPERATING
    )
    registered_on = models.DateField(_("成立日期"), null=True, blank=True)
    food_class = models.CharField(
        _("食品经营类别"), max_length=16, choices=FoodClass.choices, default=FoodClass.NONE
    )
    demonstration = models.CharField(
        _("示范创建"), max_length=16, choices=Demonstration.choices, default=Demonstration.NONE
    )
    key_tags = models.JSONField(_("重点监管标签"), default=list, blank=True)
    # The class in force: the override when there is one, else the computed class (services/risk.py).
    risk_class = models.CharField(
        _("风险分类"), max_length=1, choices=RiskClass.choices, default=RiskClass.B, db_index=True
    )
    risk_computed = models.CharField(
        _("计算风险分类"), max_length=1, choices=RiskClass.choices, default=RiskClass.B
    )
    risk_reasons = models.JSONField(_("分类依据"), default=list, blank=True)
    risk_override = models.CharField(_("人工调整分类"), max_length=1, choices=RiskClass.choices, blank=True)
    risk_override_reason = models.TextField(_("调整理由"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status", "risk_class"], name="market_entity_status_risk")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class Licence(models.Model):
    """A licence held by an entity (许可证), with its validity; reminded before it expires."""

    entity = models.ForeignKey(
        MarketEntity, verbose_name=_("市场主体"), on_delete=models.CASCADE, related_name="licences"
    )
    kind = models.CharField(_("许可类别"), max_length=24, choices=LicenceKind.choices)
    number = models.CharField(_("许可证编号"), max_length=64)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_to = models.DateField(_("有效期至"), db_index=True)
    # The day an expiry reminder went out, so the worker tells people once (services/licences.py).
    reminded_on = models.DateField(_("到期提醒日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("许可证")
        verbose_name_plural = _("许可证")
        ordering = ["valid_to", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="market_licence_kind_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
