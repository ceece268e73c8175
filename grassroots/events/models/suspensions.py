"""Suspension (挂起): a unit asks to pause handling, the shift lead approves, the stage clock stands still until the
event resumes. One row is both the request and, once approved, the pause in the event's ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import Status, SuspensionKind, SuspensionStatus


class Suspension(models.Model):
    """A request to suspend an event in hand (挂起申请) and the pause it became (from `started_at` to `ended_at`)."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="suspensions"
    )
    assignment = models.ForeignKey(
        "events.Assignment", verbose_name=_("派遣任务"), on_delete=models.CASCADE, related_name="suspensions"
    )
    kind = models.CharField(_("挂起事由"), max_length=16, choices=SuspensionKind.choices)
    reason = models.TextField(_("说明"))
    status = models.CharField(
        _("状态"), max_length=16, choices=SuspensionStatus.choices, default=SuspensionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    # The pause: set on approval. The event returns to `from_status` on resume.
    from_status = models.CharField(_("挂起前状态"), max_length=16, choices=Status.choices, blank=True)
    started_at = models.DateTimeField(_("挂起时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The stage clock as it stood when it was paused (the event's own fields are empty while it is suspended).
    paused_deadline = models.DateTimeField(_("挂起时期限"), null=True, blank=True)
    paused_warn_at = models.DateTimeField(_("挂起时预警时间"), null=True, blank=True)
    # What the pause covered, in the clock's measure (working seconds, or wall-clock seconds for natural days).
    paused_seconds = models.PositiveIntegerField(_("暂停计时(秒)"), default=0)

    class Meta:
        verbose_name = _("挂起")
        verbose_name_plural = _("挂起")
        ordering = ["event", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status__in=["pending", "active"]),
                name="suspension_one_open_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.get_kind_display()} {self.get_status_display()}"
