"""What the command room's intake desk writes down beside the event (来电/来信/来访登记): the caller's ID number and
whether they want a call back, and the fields of letters and visits. One row per call, letter or visit; a repeat
call that joined an existing event has its own row on the report merged into it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class IntakeRecord(models.Model):
    """登记记录: the desk's own fields of one call, letter or visit, on the event it was filed as."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="intake"
    )
    # Personal data like the event's reporter fields: shown masked to everyone but the command room.
    caller_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    callback_wanted = models.BooleanField(_("需要回电"), default=False)
    letter_date = models.DateField(_("来信日期"), null=True, blank=True)
    letter_reference = models.CharField(_("来信编号"), max_length=50, blank=True)
    visitors = models.PositiveSmallIntegerField(_("来访人数"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("来电来信登记")
        verbose_name_plural = _("来电来信登记")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visitors__isnull=True) | Q(visitors__gte=1), name="intake_visitors_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.received_at:%Y-%m-%d %H:%M}"
