"""The audit log: append-only, every row signed, sealed rows chained (DOMAIN.md §10)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    OK = "ok", _("成功")
    DENIED = "denied", _("拒绝")
    FAILED = "failed", _("失败")


class AuditEntry(models.Model):
    """One act: who did what to which object, when, from where, and whether it succeeded."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人名称"), max_length=100, blank=True)
    action = models.CharField(_("动作代码"), max_length=64)
    object_type = models.CharField(_("对象类型代码"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    result = models.CharField(_("结果"), max_length=8, choices=AuditResult.choices, default=AuditResult.OK)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=32, blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    # HMAC of this row's content: an edited row no longer matches.
    signature = models.CharField(_("签名"), max_length=64)
    # Filled by the sealer: hash of the previous sealed row's chain value and this row's signature,
    # so a deleted or reordered row breaks the chain.
    # Not indexed: the sealer walks rows in id order, and an index would be written twice for every row.
    chain = models.CharField(_("链值"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_sealing", False):
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")
