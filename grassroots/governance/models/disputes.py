"""Disputes and their mediation (矛盾纠纷 / 人民调解): the dispute from registration to closing, its parties (personal
data, masked by role), its sessions, follow-up visits, history and documents. The steps are `rules.TABLE`; only the
services in `services/disputes*.py` write `Dispute.status`."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import (
    ConfirmationResult,
    DisputeOutcome,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    PartyKind,
    PartySide,
    Performance,
    ReferralRoute,
    RiskLevel,
)


def _person(verbose_name: Any, related_name: str = "+") -> Any:
    """A person who took part (optional; kept when the person leaves: PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Dispute(models.Model):
    """A dispute (矛盾纠纷) mediated by a people's mediation committee (人民调解委员会): registered, accepted with
    mediators named, mediated in sessions within a month, ended by an agreement or a failure, an agreement's
    judicial confirmation and performance followed up, closed."""

    township = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇街道")
    )
    village = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="disputes", verbose_name=_("村社区")
    )
    grid = models.ForeignKey(
        "geo.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("网格")
    )
    # The grid's code if there is one, else the village's: the one field the scope predicate reads.
    region_code = models.CharField(_("区域代码"), max_length=14, db_index=True)
    committee = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="disputes", verbose_name=_("人民调解委员会")
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="disputes_mediated", verbose_name=_("调解员")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.REGISTERED
    )
    source = models.CharField(_("纠纷来源"), max_length=16, choices=DisputeSource.choices)
    referred_by = models.CharField(_("移送（委派）单位"), max_length=100, blank=True)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("来源事件"),
    )
    kind = models.CharField(_("纠纷类型"), max_length=16, choices=DisputeType.choices)
    title = models.CharField(_("纠纷简述"), max_length=200)
    facts = models.TextField(_("纠纷主要事实及争议事项"))
    risk_level = models.CharField(
        _("激化风险"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    police_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报告的公安机关"),
    )
    police_notified_at = models.DateTimeField(_("报告公安时间"), null=True, blank=True)
    # 受理 / 不予调解
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = _person(_("受理人"))
    refusal_reason = models.TextField(_("不予调解理由"), blank=True)
    # 调解结果
    outcome = models.CharField(_("调解结果"), max_length=8, choices=DisputeOutcome.choices, blank=True)
    concluded_at = models.DateTimeField(_("调结时间"), null=True, blank=True)
    responsibilities = models.TextField(_("各方责任"), blank=True)
    agreement_terms = models.TextField(_("协议内容"), blank=True)  # or the oral agreement's content recorded
    performance_manner = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_place = models.CharField(_("履行地点"), max_length=200, blank=True)
    performance_due_on = models.DateField(_("履行期限"), null=True, blank=True)
    failure_reason = models.TextField(_("调解不成（终止）原因"), blank=True)
    referral_route = models.CharField(
        _("告知的其他途径"), max_length=16, choices=ReferralRoute.choices, blank=True
    )
    referral_note = models.CharField(_("途径说明"), max_length=200, blank=True)
    # 司法确认 (applied for jointly within 30 日 of the agreement)
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_court = models.CharField(_("受理法院"), max_length=100, blank=True)
    confirmation_result = models.CharField(
        _("司法确认结果"), max_length=8, choices=ConfirmationResult.choices, blank=True
    )
    confirmation_decided_on = models.DateField(_("裁定日期"), null=True, blank=True)
    confirmation_number = models.CharField(_("裁定书文号"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = _person(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["committee", "status"], name="gov_dispute_committee_status"),
            models.Index(fields=["status", "created_at"], name="gov_dispute_status_created"),
            models.Index(fields=["outcome", "concluded_at"], name="gov_dispute_outcome_concluded"),
        ]

    def __str__(self) -> str:
        return f"纠纷 {self.pk} {self.title}"


class DisputeParty(models.Model):
    """A party (当事人): a person (name, ID number, phone: personal data, masked by role) or an organisation."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="parties", verbose_name=_("纠纷")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    side = models.CharField(_("当事人地位"), max_length=16, choices=PartySide.choices)
    kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    name = models.CharField(_("姓名（名称）"), max_length=200)
    id_number = models.CharField(_("身份证号/统一社会信用代码"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=300, blank=True)
    representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("纠纷当事人")
        verbose_name_plural = _("纠纷当事人")
        ordering = ["dispute", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dispute", "position"], name="gov_party_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} {self.position}"


class MediationSession(models.Model):
    """A mediation session (调解工作记录): when, where, which mediators, who attended, the minutes."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("纠纷")
    )
    held_at = models.DateTimeField(_("调解时间"))
    place = models.CharField(_("调解地点"), max_length=200)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("主持调解员")
    )
    attendees = models.CharField(_("参加人员"), max_length=300, blank=True)
    minutes = models.TextField(_("调解记录"))
    recorded_by = _person(_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.held_at:%Y-%m-%d}"


class DisputeFollowUp(models.Model):
    """A follow-up visit on an agreement's performance (回访): the committee supervises performance (第三十一条)."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("纠纷")
    )
    visited_on = models.DateField(_("回访日期"))
    visitor = _person(_("回访人"))
    performance = models.CharField(_("履行情况"), max_length=16, choices=Performance.choices)
    note = models.TextField(_("回访情况"), blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("履行回访")
        verbose_name_plural = _("履行回访")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.visited_on}"


class DisputeHistory(models.Model):
    """Every step of a dispute: who, when, which action, from which state to which, and what came with it."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="history", verbose_name=_("纠纷")
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    actor = _person(_("操作人"))
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("纠纷记录")
        verbose_name_plural = _("纠纷记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dispute_id} {self.action}"


def document_path(instance: "DisputeDocument", filename: str) -> str:
    return f"governance/disputes/{instance.generated_at:%Y/%m}/{instance.dispute_id}/{filename}"


class DisputeDocument(models.Model):
    """A document made from the dispute (调解协议书) as .docx, with its digest; a new version is a new row."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="documents", verbose_name=_("纠纷")
    )
    kind = models.CharField(_("文书种类"), max_length=20)
    file = models.FileField(_("文件"), upload_to=document_path)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = _person(_("生成人"))

    class Meta:
        verbose_name = _("纠纷文书")
        verbose_name_plural = _("纠纷文书")
        ordering = ["generated_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.dispute_id}"
