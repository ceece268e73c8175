"""Notices (通知公告) from the command room or a platform to units, villages or grids: each recipient's read receipt,
and reminders to those who have not read it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Forum


class Notice(models.Model):
    township = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="notices", verbose_name=_("乡镇街道")
    )
    forum = models.CharField(_("发布平台"), max_length=16, choices=Forum.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发布人")
    )
    targets = models.JSONField(
        _("发送范围"), default=dict, blank=True
    )  # {"units": [...], "villages": [...], "grids": [...]}
    published_at = models.DateTimeField(_("发布时间"))
    # Working hours after publishing when those who have not read it are reminded (settings default 8).
    remind_after_hours = models.PositiveSmallIntegerField(_("未读提醒（工作小时后）"), default=8)

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeReceipt(models.Model):
    """One recipient of a notice: read when they opened it; reminded once when unread after the notice's
    working hours."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("通知")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notice_receipts",
        verbose_name=_("接收人"),
    )
    via = models.CharField(
        _("接收途径"), max_length=100, blank=True
    )  # the unit, village or grid it reached them by
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知回执")
        verbose_name_plural = _("通知回执")
        ordering = ["notice", "id"]
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="meetings_receipt_once")]
        indexes = [models.Index(fields=["person", "read_at"], name="meetings_receipt_unread")]

    def __str__(self) -> str:
        return f"{self.notice} → {self.person_id}"
