"""The application (办件): one request of a resident or an organisation for one service item, from the window to
the delivered result, with its history, its one-time notice of missing materials and its visits."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ApplicantKind, Channel, DeliveryMethod, Status, VisitKind


class Application(models.Model):
    number = models.CharField(_("办件编号"), max_length=24, unique=True)
    item = models.ForeignKey(
        "convenience.ServiceItem", verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="+"
    )
    centre = models.ForeignKey(
        "convenience.ServiceCentre",
        verbose_name=_("便民服务中心"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "convenience.Window",
        verbose_name=_("受理窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("受理渠道"), max_length=16, choices=Channel.choices, default=Channel.WINDOW)
    # The township's code, or the village's for one a village agent took in: scope is a prefix match on it.
    region_code = models.CharField(_("区域代码"), max_length=14)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    version = models.PositiveIntegerField(_("版本"), default=1)

    # Personal data: masked by role, every unmasked read audited.
    applicant_kind = models.CharField(
        _("申请人类型"), max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("申请人"), max_length=100)
    applicant_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    applicant_id_number = models.CharField(_("证件号码"), max_length=18, blank=True)
    subject = models.CharField(_("申请内容"), max_length=300, blank=True)

    # 首问负责: the clerk who first took it in follows it through; the handler holds it now (A/B posts apply).
    first_clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 代办: the village agent who took it in on the resident's entrustment, and their village.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代办员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agent_village = models.ForeignKey(
        "geo.Division",
        verbose_name=_("代办点"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entrustment = models.CharField(_("委托书"), max_length=200, blank=True)

    # What the materials check found: the ids of the item's materials received, and those to follow (容缺).
    materials_received = models.JSONField(_("已收材料"), default=list)
    materials_pending = models.JSONField(_("容缺材料"), default=list)

    created_at = models.DateTimeField(_("登记时间"))
    received_at = models.DateTimeField(_("接件时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("终结时间"), null=True, blank=True
    )  # archived, not accepted, withdrawn
    updated_at = models.DateTimeField(_("更新时间"))
    # The promise clock's due time, kept here for lists (the clock in `workflow` is the truth); and whether
    # it ran out: set by the timer while open, final when the application was decided.
    due_at = models.DateTimeField(_("承诺办结时间"), null=True, blank=True)
    late = models.BooleanField(_("超期"), default=False)

    result = models.CharField(_("办理结果"), max_length=24, blank=True)
    decision_note = models.TextField(_("办理意见"), blank=True)
    refusal_reason = models.TextField(_("不予受理/不予许可理由"), blank=True)
    appeal_route = models.CharField(_("救济途径"), max_length=300, blank=True)
    delivery_method = models.CharField(
        _("送达方式"), max_length=16, choices=DeliveryMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("邮寄单号"), max_length=40, blank=True)
    visits = models.PositiveSmallIntegerField(_("到现场次数"), default=0)
    rating_token = models.CharField(_("评价链接令牌"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "created_at"], name="app_region_created_idx"),
            models.Index(fields=["centre", "status", "created_at"], name="app_centre_status_idx"),
            models.Index(fields=["handler", "status"], name="app_handler_status_idx"),
            models.Index(fields=["handling_unit", "status"], name="app_unit_status_idx"),
            models.Index(fields=["agent", "status"], name="app_agent_status_idx"),
            # The figures' window: what was accepted or decided in a period (indicators.prefilter).
            models.Index(fields=["accepted_at"], name="app_accepted_idx"),
            models.Index(fields=["decided_at"], name="app_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel=Channel.AGENT) | Q(agent__isnull=False),
                name="app_agent_channel_has_agent",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationHistory(models.Model):
    """One step taken on an application (or on the rectification of its rating): who, when, from and to."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="history"
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办件记录")
        verbose_name_plural = _("办件记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.action}"


class CorrectionNotice(models.Model):
    """The one-time notice of everything missing (一次性告知书): written once, printable; the clock waits until
    the applicant supplies."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="notices"
    )
    number = models.CharField(_("告知书编号"), max_length=32, unique=True)
    # [{"material": id or null, "name": …, "reason": …}]
    items = models.JSONField(_("需补正材料"))
    note = models.TextField(_("其他说明"), blank=True)
    supply_by = models.DateField(_("补正期限"))
    issued_at = models.DateTimeField(_("告知时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("告知人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性告知书")
        verbose_name_plural = _("一次性告知书")
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.number


class InPersonVisit(models.Model):
    """One time the applicant came in person (上门), for 最多跑一次."""

    application = models.ForeignKey(
        Application, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="visit_log"
    )
    kind = models.CharField(_("事由"), max_length=16, choices=VisitKind.choices)
    at = models.DateTimeField(_("时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("到现场记录")
        verbose_name_plural = _("到现场记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"
