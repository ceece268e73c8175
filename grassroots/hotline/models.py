"""An event handed out to the 12345 government service hotline (转12345): the outbound work order."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OPEN_STATES, OrderState


class WorkOrder(models.Model):
    """A 12345 work order (12345 转办工单): one per hand-off, idempotent by its key on both sides."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.PROTECT, related_name="hotline_orders", verbose_name=_("事件")
    )
    # Sent with every attempt; the 12345 side answers a replay with the order it already has.
    idempotency_key = models.CharField(_("幂等键"), max_length=64, unique=True)
    external_number = models.CharField(
        _("12345 工单号"), max_length=64, blank=True, default="", db_index=True
    )
    state = models.CharField(_("状态"), max_length=16, choices=OrderState.choices, default=OrderState.QUEUED)
    mode = models.CharField(_("交换方式"), max_length=8, default="http")
    attempts = models.PositiveIntegerField(_("发送次数"), default=0)
    # When the worker next sends (queued) or asks for the answer (sent, accepted when polling).
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("最近错误"), blank=True, default="")
    payload = models.JSONField(_("发送内容"), default=dict)
    note = models.TextField(_("转办说明"), blank=True, default="")
    answer = models.TextField(_("答复内容"), blank=True, default="")
    answered_by = models.CharField(_("答复单位"), max_length=100, blank=True, default="")
    created_by = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", null=True, verbose_name=_("转办人")
    )
    created_at = models.DateTimeField(_("转办时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("12345 转办工单")
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            # One order out at a time per event: a double click or a second operator gets a clear refusal.
            models.UniqueConstraint(
                fields=["event"], condition=Q(state__in=sorted(OPEN_STATES)), name="hotline_one_open_order"
            ),
            models.UniqueConstraint(
                fields=["external_number"], condition=~Q(external_number=""), name="hotline_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_number or self.idempotency_key} ({self.get_state_display()})"

    @property
    def is_out(self) -> bool:
        return self.state in OPEN_STATES
