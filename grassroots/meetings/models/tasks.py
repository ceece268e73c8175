"""A meeting's decision as a task (会议决定事项督办): an owner, the text, a limit in working days counted by a
workflow clock, tracked to done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import TaskStatus


class MeetingTask(models.Model):
    """A decision someone must carry out by a deadline; the owner is a unit, a person, or a person of a unit."""

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("会议")
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("议题"),
    )
    number = models.CharField(_("督办编号"), max_length=40, unique=True, null=True, blank=True)
    text = models.TextField(_("决定事项"))
    owner_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("责任单位"),
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_tasks",
        verbose_name=_("责任人"),
    )
    limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    due_at = models.DateTimeField(_("办结期限"), null=True, blank=True)
    late = models.BooleanField(_("已超期"), default=False)
    done_note = models.TextField(_("办结情况"), blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="meetings_task_status_due"),
            models.Index(fields=["owner_unit", "status"], name="meetings_task_unit"),
            models.Index(fields=["owner_person", "status"], name="meetings_task_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_unit__isnull=False) | models.Q(owner_person__isnull=False),
                name="meetings_task_has_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(limit_days__gte=1), name="meetings_task_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.text[:40]

    @property
    def owner_label(self) -> str:
        names = [str(x) for x in (self.owner_unit, self.owner_person and self.owner_person.name) if x]
        return " · ".join(names)
