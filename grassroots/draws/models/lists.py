"""一单两库: the inspection item list and the inspector pool, with declared relations for recusal (回避)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionItem(models.Model):
    """An entry of the 抽查事项清单: what is checked, on what basis, by which unit, on which kind of target."""

    code = models.CharField(_("事项编码"), max_length=32, unique=True)
    name = models.CharField(_("抽查事项"), max_length=200)
    legal_basis = models.TextField(_("抽查依据"), blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="inspection_items", verbose_name=_("责任单位")
    )
    # The kind of target, as the pool rows name it ("market.entity"); the registry app owns the meaning.
    target_kind = models.CharField(_("检查对象类型"), max_length=40)
    # The check points (检查要点), one short sentence each, shown on the inspection form in this order.
    checklist = models.JSONField(_("检查要点"), default=list, blank=True)
    published = models.BooleanField(_("已公开"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("抽查事项")
        verbose_name_plural = _("抽查事项清单")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Inspector(models.Model):
    """An entry of the 执法检查人员名录库; name and certificate number are public in 双随机."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspector", verbose_name=_("人员")
    )
    certificate_no = models.CharField(_("执法证号"), max_length=40, unique=True)
    certificate_valid_to = models.DateField(_("执法证有效期至"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="inspectors", verbose_name=_("所属单位")
    )
    fields = models.JSONField(_("执法领域"), default=list, blank=True)
    active = models.BooleanField(_("在库"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员名录库")
        ordering = ["unit_id", "certificate_no"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.certificate_no}）"


class DeclaredRelation(models.Model):
    """A relation an inspector declared with a target (亲属、利害关系…): never drawn for it (回避)."""

    inspector = models.ForeignKey(
        Inspector, on_delete=models.CASCADE, related_name="relations", verbose_name=_("执法人员")
    )
    target_kind = models.CharField(_("检查对象类型"), max_length=40)
    target_id = models.CharField(_("检查对象"), max_length=64)
    reason = models.CharField(_("回避事由"), max_length=200)
    declared_at = models.DateTimeField(_("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回避申报")
        verbose_name_plural = _("回避申报")
        constraints = [
            models.UniqueConstraint(
                fields=["inspector", "target_kind", "target_id"], name="draws_relation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspector_id} ↔ {self.target_kind}:{self.target_id}"
