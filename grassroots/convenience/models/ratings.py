"""好差评: one rating per application (一次一评), and the rectification every bad one opens (差评整改)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Grade, RatingChannel, RectificationStatus, ReviewGrade


class Rating(models.Model):
    application = models.OneToOneField(
        "convenience.Application", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="rating"
    )
    grade = models.PositiveSmallIntegerField(_("评价等级"), choices=Grade.choices)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=RatingChannel.choices)
    comment = models.TextField(_("评价内容"), blank=True)
    at = models.DateTimeField(_("评价时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("电话回访时由工作人员代为录入"),
    )

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["at"], name="rating_at_idx")]  # the figures' window

    def __str__(self) -> str:
        return f"{self.application} {self.get_grade_display()}"


class Rectification(models.Model):
    """The rectification of a bad rating: a callback within a working day, the fix within fifteen (both
    configuration), and the applicant's word on the fix."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("差评"), on_delete=models.CASCADE, related_name="rectification"
    )
    application = models.ForeignKey(
        "convenience.Application", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改责任人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    contacted_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    contact_note = models.TextField(_("回访情况"), blank=True)
    rectified_at = models.DateTimeField(_("整改时间"), null=True, blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    review = models.CharField(_("整改评价"), max_length=16, choices=ReviewGrade.choices, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("整改期限"), null=True, blank=True)
    late = models.BooleanField(_("超期"), default=False)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} 差评整改"
