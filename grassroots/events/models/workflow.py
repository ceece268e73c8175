"""What happens to an event: assignments to units, the history of transitions, extensions, supervision, files."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    AssignmentRole,
    AssignmentStatus,
    AttachmentKind,
    AttachmentPhase,
    ExtensionStatus,
    Level,
    Mode,
    SupervisionKind,
    SupervisionReason,
)


class Assignment(models.Model):
    """One unit's share of an event: the lead unit, or an assisting unit in joint handling, with its own clock."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("处置单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("角色"), max_length=8, choices=AssignmentRole.choices, default=AssignmentRole.LEAD
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.DISPATCHED
    )
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    mode = models.CharField(_("办理方式"), max_length=16, choices=Mode.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1, help_text=_("返工后重新派遣为下一轮"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("派遣人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空：由系统按规则派遣（超时升级到村社）"),
    )
    dispatched_at = models.DateTimeField(_("派遣时间"))
    warn_at = models.DateTimeField(_("预警时间"))
    deadline = models.DateTimeField(_("处置期限"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    feedback = models.TextField(_("处置反馈"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回原因"), blank=True)
    warned = models.BooleanField(_("已预警"), default=False)
    overdue = models.BooleanField(_("已超期"), default=False)
    extended = models.BooleanField(_("已延期"), default=False)

    class Meta:
        verbose_name = _("派遣任务")
        verbose_name_plural = _("派遣任务")
        ordering = ["event", "round", "role", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="assignment_unit_status_idx"),
            models.Index(fields=["status", "deadline"], name="assignment_status_deadline_idx"),
            # The days a task is counted in (dispatched, due, fed back): see the event's indexes.
            models.Index(fields=["dispatched_at"], name="assignment_dispatched_idx"),
            models.Index(fields=["deadline"], name="assignment_deadline_idx"),
            models.Index(
                fields=["fed_back_at"], condition=Q(fed_back_at__isnull=False), name="assignment_fed_back_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_role_display()} {self.get_status_display()}"


class Transition(models.Model):
    """One row per step of the loop (or per act on it), written in the same transaction as the step."""

    # Indexed by `transition_seq_unique` (event, seq), which leads with it.
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("事件"),
        on_delete=models.CASCADE,
        related_name="transitions",
        db_index=False,
    )
    seq = models.PositiveIntegerField(_("序号"))
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("动作"), max_length=32)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)
    # Working seconds since the previous step: how long the event waited in the previous state.
    elapsed_seconds = models.PositiveIntegerField(_("用时(工作秒)"), default=0)
    data = models.JSONField(_("附加数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["event", "seq"]
        constraints = [models.UniqueConstraint(fields=["event", "seq"], name="transition_seq_unique")]
        indexes = [models.Index(fields=["action", "at"], name="transition_action_at_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.from_status}→{self.to_status}"


class ExtensionRequest(models.Model):
    """A unit asks for more time (延期申请); approval moves its deadline by the approved amount."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("派遣任务"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"))
    days = models.DecimalField(_("延长(工作日)"), max_digits=5, decimal_places=1)
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
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

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending_per_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment} +{self.days}d {self.get_status_display()}"


class SupervisionOrder(models.Model):
    """A supervision order (督办/催办) with its own deadline."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="supervision_orders"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=SupervisionKind.choices)
    reason = models.CharField(_("原因"), max_length=32, choices=SupervisionReason.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("督办对象"), null=True, blank=True, on_delete=models.PROTECT
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("下发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空：由系统按规则下发"),
    )
    issued_at = models.DateTimeField(_("下发时间"))
    deadline = models.DateTimeField(_("督办期限"))
    note = models.TextField(_("督办意见"), blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-issued_at"]
        constraints = [
            # One open order of a kind per event: a second 督办 while the first runs only repeats its notices.
            # Of two concurrent orders the second waits on this index and fails (see `event_supervise`).
            models.UniqueConstraint(
                fields=["event", "kind"],
                condition=Q(resolved_at__isnull=True),
                name="supervision_one_open_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_reason_display()}）"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return (
        f"events/{instance.uploaded_at:%Y/%m/%d}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"
    )


class Attachment(models.Model):
    """A photo or audio note on an event, checked for type and size on upload."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("事件"), on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("类型"), max_length=8, choices=AttachmentKind.choices)
    phase = models.CharField(_("环节"), max_length=16, choices=AttachmentPhase.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    content_type = models.CharField(_("文件类型"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    extension = models.CharField(_("扩展名"), max_length=8)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    # What a photo's EXIF said (taken_at, lat, lng): kept here, stripped from the stored file.
    exif = models.JSONField(_("拍摄信息"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["event", "uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()}{self.get_kind_display()} {self.original_name}"
