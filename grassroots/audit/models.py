"""The audit log: append-only, every row signed and chained as its transaction commits (DOMAIN.md §10)."""

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
    # Filled by the sealer as the writing transaction commits (services.audit_seal): a dense number in commit order
    # and an HMAC over the previous row's chain value, this number and this row's signature. A deleted row leaves a
    # gap in the numbers; an edited one breaks its signature; neither can be re-chained without the key.
    seq = models.BigIntegerField(_("链序号"), null=True, blank=True, unique=True)
    chain = models.CharField(_("链值"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
            # Only the rows still waiting for the sealer: a handful at any time.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_sealing", False):
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")


class AuditHead(models.Model):
    """The chain's head: the last sealed number and chain value, and where a purge left the chain's start.

    One row. Sealers lock it (SELECT ... FOR UPDATE) so two never fork the chain; a row cut from the end of the
    log is missing against `seq`, rows purged from the start are accounted for by `base_seq`/`base_chain`.
    """

    seq = models.BigIntegerField(_("最后链序号"), default=0)
    chain = models.CharField(_("最后链值"), max_length=64, default="0" * 64)
    base_seq = models.BigIntegerField(_("起始链序号"), default=0)
    base_chain = models.CharField(_("起始链值"), max_length=64, default="0" * 64)
    # The timer worker's last full verification (`audit_verify_due`): when, how many problems, the first one.
    verified_at = models.DateTimeField(_("最近核验时间"), null=True, blank=True)
    verified_problems = models.IntegerField(_("最近核验问题数"), default=0)
    verified_first = models.TextField(_("最近核验第一个问题"), blank=True)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.base_seq}–{self.seq}"
