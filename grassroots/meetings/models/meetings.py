"""A meeting (联席会议, 会商, 例会, 矛盾联调): who was asked and who came, the agenda with the records it discusses,
the minutes and their Word file, and the history of its steps."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Forum, MeetingKind, MeetingStatus, Presence


def _person(label: Any) -> Any:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=label,
    )


class Meeting(models.Model):
    """One sitting of a coordinating group or the command room."""

    number = models.CharField(_("会议编号"), max_length=32, unique=True, null=True, blank=True)
    kind = models.CharField(_("会议类型"), max_length=16, choices=MeetingKind.choices)
    forum = models.CharField(_("平台"), max_length=16, choices=Forum.choices)
    township = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("乡镇街道")
    )
    group = models.ForeignKey(
        "meetings.CoordinatingGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("协调组"),
    )
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("开始时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    convenor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("召集人")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_at = models.DateTimeField(_("召开时间"), null=True, blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    minutes_approved_by = _person(_("纪要审定人"))
    minutes_approved_at = models.DateTimeField(_("纪要审定时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消理由"), blank=True)
    created_by = _person(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["township", "starts_at"], name="meetings_township_starts"),
            models.Index(fields=["status", "starts_at"], name="meetings_status_starts"),
        ]

    def __str__(self) -> str:
        return self.number or self.title


class Attendance(models.Model):
    """One person (or a unit not yet naming one) asked to a meeting, and whether they came."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("会议")
    )
    person = _person(_("参会人员"))
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("单位")
    )
    presence = models.CharField(
        _("出席情况"), max_length=8, choices=Presence.choices, default=Presence.INVITED
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="meetings_attendee_once",
            ),
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(unit__isnull=False),
                name="meetings_attendee_named",
            ),
        ]

    def __str__(self) -> str:
        return self.person.name if self.person_id and self.person else str(self.unit)


class AgendaItem(models.Model):
    """A matter on the agenda; it may discuss one record of any workflow registered for links (an event, an
    enforcement case, an application, an inspection, a dispute), named as clocks and links name it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("会议")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    note = models.TextField(_("情况说明"), blank=True)
    ref_workflow = models.CharField(_("关联记录类型"), max_length=32, blank=True)
    ref_id = models.PositiveBigIntegerField(_("关联记录"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.title


def minutes_path(instance: "MinutesDocument", filename: str) -> str:
    return f"meetings/{instance.generated_at:%Y/%m}/{instance.sha256[:2]}/{filename}"


class MinutesDocument(models.Model):
    """The minutes as a Word file, kept with its digest; exporting again makes a new row."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents", verbose_name=_("会议")
    )
    file = models.FileField(_("文件"), upload_to=minutes_path)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = _person(_("生成人"))

    class Meta:
        verbose_name = _("会议纪要文件")
        verbose_name_plural = _("会议纪要文件")
        ordering = ["generated_at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.sha256[:12]}"


class MeetingHistory(models.Model):
    """Every step of a meeting and of its decisions: who, when, which action, from which state to which."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="history", verbose_name=_("会议")
    )
    task = models.ForeignKey(
        "meetings.MeetingTask",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("督办事项"),
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = _person(_("操作人"))
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting} {self.action}"
