"""Clocks: the time limits of every case workflow, with their suspension ledger and extensions (DOMAIN.md §6, §7);
links: one record of a workflow leading to another (an event that became an enforcement case).

A clock belongs to one record of one workflow by name, (workflow, object_id, name) such as ("event", 42,
"handling"), rather than by a generic foreign key: the scanner reads clocks of every workflow in one query and
each workflow finds its own by a plain index. Links name both records the same way. Only `clocks.py` and
`timers.py` write the clock tables, only `links.py` the links.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from grassroots.workcal.choices import LimitUnit

from .choices import ClockState, LinkKind, PauseKind


class Clock(models.Model):
    """One time limit running against one record: its budget, what is used up, and since when it runs.

    Seconds are those of the unit's measure: working seconds (the calendar's working hours on working days)
    for working days and hours, wall-clock seconds for natural days. `warn_at` and `due_at` are derived, set
    only by the services that change the clock, and empty while it is paused.
    """

    workflow = models.CharField(_("流程"), max_length=40)
    object_id = models.BigIntegerField(_("对象编号"))
    name = models.CharField(_("时限名称"), max_length=40)
    unit = models.CharField(_("计时单位"), max_length=16, choices=LimitUnit.choices)
    statutory_seconds = models.BigIntegerField(_("法定时限（秒）"))
    promised_seconds = models.BigIntegerField(_("承诺时限（秒）"), null=True, blank=True)
    extended_seconds = models.BigIntegerField(_("已批准延长（秒）"), default=0)
    # The limit the clock runs against: the promise when there is one (it is what the public was told), else
    # the statutory limit; plus every approved extension.
    budget_seconds = models.BigIntegerField(_("计时额度（秒）"))
    consumed_seconds = models.BigIntegerField(_("此前已用（秒）"), default=0)
    # When the current run began counting; for a run that starts "from the next day" the midnight after the
    # start, so it may lie a few hours ahead of the moment the clock was started.
    running_since = models.DateTimeField(_("本段计时起点"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=ClockState.choices, default=ClockState.RUNNING)
    warn_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    warned = models.BooleanField(_("已预警"), default=False)
    overdue = models.BooleanField(_("已超期"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    limit_source = models.CharField(_("时限依据"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    stopped_at = models.DateTimeField(_("停止时间"), null=True, blank=True)
    result = models.CharField(_("办理结果"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["-id"]
        constraints = [
            # One live clock of a name per record; stopped ones stay as its history.
            models.UniqueConstraint(
                fields=["workflow", "object_id", "name"],
                condition=~Q(state=ClockState.STOPPED),
                name="workflow_clock_live_unique",
            ),
            models.CheckConstraint(
                condition=Q(promised_seconds__isnull=True)
                | Q(promised_seconds__lte=models.F("statutory_seconds")),
                name="workflow_clock_promise_within_statutory",
            ),
        ]
        indexes = [
            models.Index(fields=["workflow", "object_id"], name="workflow_clock_object_idx"),
            # What the scanner reads: only running clocks not yet flagged are in these, so they stay small.
            models.Index(
                fields=["warn_at"],
                condition=Q(state=ClockState.RUNNING, warned=False),
                name="workflow_clock_warn_idx",
            ),
            models.Index(
                fields=["due_at"],
                condition=Q(state=ClockState.RUNNING, overdue=False),
                name="workflow_clock_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.object_id} {self.name}"


class ClockPause(models.Model):
    """One suspension in a clock's ledger: from `started_at` to `ended_at` its time did not count."""

    clock = models.ForeignKey(Clock, verbose_name=_("时限"), on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("暂停事由"), max_length=16, choices=PauseKind.choices)
    reason = models.CharField(_("说明"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("暂停时间"))
    ended_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("暂停人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("时限暂停")
        verbose_name_plural = _("时限暂停")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clock"], condition=Q(ended_at__isnull=True), name="workflow_clock_one_open_pause"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clock} {self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ClockExtension(models.Model):
    """One approved extension of a clock's limit (延期)."""

    clock = models.ForeignKey(
        Clock, verbose_name=_("时限"), on_delete=models.CASCADE, related_name="extensions"
    )
    amount = models.DecimalField(_("延长数量"), max_digits=6, decimal_places=1)
    unit = models.CharField(_("单位"), max_length=16, choices=LimitUnit.choices)
    seconds = models.BigIntegerField(_("折合秒数"))
    reason = models.CharField(_("理由"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("批准时间"))

    class Meta:
        verbose_name = _("时限延长")
        verbose_name_plural = _("时限延长")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.clock} +{self.amount} {self.get_unit_display()}"


class Link(models.Model):
    """One record leading to another, read both ways (流程关联): "event 42 became enforcement case 7" on the
    event's page is "case 7 arose from event 42" on the case's page. The wording of each side is the kind's."""

    source_workflow = models.CharField(_("来源流程"), max_length=40)
    source_id = models.BigIntegerField(_("来源对象编号"))
    target_workflow = models.CharField(_("目标流程"), max_length=40)
    target_id = models.BigIntegerField(_("目标对象编号"))
    kind = models.CharField(_("关联方式"), max_length=16, choices=LinkKind.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("关联时间"))

    class Meta:
        verbose_name = _("流程关联")
        verbose_name_plural = _("流程关联")
        ordering = ["created_at", "id"]
        constraints = [
            # Its index, led by the source, is the one the source's page reads.
            models.UniqueConstraint(
                fields=["source_workflow", "source_id", "target_workflow", "target_id", "kind"],
                name="workflow_link_unique",
            ),
            models.CheckConstraint(
                condition=~Q(source_workflow=models.F("target_workflow"), source_id=models.F("target_id")),
                name="workflow_link_not_self",
            ),
        ]
        indexes = [
            models.Index(fields=["target_workflow", "target_id"], name="workflow_link_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_workflow}#{self.source_id} {self.get_kind_display()} {self.target_workflow}#{self.target_id}"
