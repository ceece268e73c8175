"""Enforcement cases (行政处罚案件): the case from lead to archive, its history, its evidence, the documents made
from it, and the counter that numbers cases per unit and year. The steps are `rules.TABLE`; only the services in
`services/` write `EnforcementCase.status`."""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import (
    CaseOutcome,
    CasePenaltyKind,
    CaseProcedure,
    CaseSource,
    CaseStatus,
    DiscretionLevel,
    DocumentKind,
    EvidenceKind,
    ExecutionManner,
    NoFilingGround,
    PartyKind,
    ServiceMethod,
)

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


def _person(verbose_name: Any) -> Any:
    """A person who took part (optional; kept when the person leaves: PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class EnforcementCase(models.Model):
    """One case: a lead verified, filed (立案) under one power of the list, investigated by at least two certified
    officers, decided and carried out; or a penalty decided and served on the spot (简易程序)."""

    number = models.CharField(_("案号"), max_length=64, null=True, blank=True)  # given when 立案 is approved
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="enforcement_cases", verbose_name=_("办案单位")
    )
    power = models.ForeignKey(
        "enforcement.Power", on_delete=models.PROTECT, related_name="cases", verbose_name=_("执法职权")
    )
    status = models.CharField(_("状态"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.LEAD)
    procedure = models.CharField(
        _("程序"), max_length=8, choices=CaseProcedure.choices, default=CaseProcedure.GENERAL
    )
    major = models.BooleanField(_("重大案件"), default=False)
    # Where it came from, linked both ways (also a workflow link) when it is a record of ours.
    source = models.CharField(_("案件来源"), max_length=16, choices=CaseSource.choices)
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
        verbose_name=_("来源事件"),
    )
    inspection = models.ForeignKey(
        "market.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
        verbose_name=_("来源检查"),
    )
    # The party (当事人): personal data, masked by role on reading (permissions.party_of).
    party_kind = models.CharField(_("当事人类型"), max_length=16, choices=PartyKind.choices)
    party_name = models.CharField(_("当事人"), max_length=200)
    party_id_number = models.CharField(_("身份证号/统一社会信用代码"), max_length=18)
    party_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    party_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    party_address = models.CharField(_("住所（地址）"), max_length=300, blank=True)
    market_entity = models.ForeignKey(
        "market.MarketEntity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_cases",
        verbose_name=_("市场主体"),
    )
    place = models.CharField(_("案发地点"), max_length=300, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    occurred_on = models.DateField(_("违法行为发生日期"), null=True, blank=True)
    facts = models.TextField(_("案情（违法事实）"))
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="enforcement_cases", verbose_name=_("承办执法人员")
    )
    # 立案
    filing_requested_at = models.DateTimeField(_("申请立案时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    filed_by = _person(_("立案批准人"))
    no_filing_ground = models.CharField(
        _("不予立案理由"), max_length=20, choices=NoFilingGround.choices, blank=True
    )
    no_filing_reason = models.TextField(_("不予立案说明"), blank=True)
    # The proposal (拟处罚意见) and the decision, with the discretion level they rest on
    discretion_level = models.CharField(
        _("裁量阶次"), max_length=16, choices=DiscretionLevel.choices, blank=True
    )
    penalty_kind = models.CharField(_("处罚种类"), max_length=16, choices=CasePenaltyKind.choices, blank=True)
    proposed_amount = models.DecimalField(_("拟罚款金额（元）"), null=True, blank=True, **MONEY)
    proposal_reason = models.TextField(_("拟处罚超出裁量幅度的理由"), blank=True)
    proposal_approved_by = _person(_("拟处罚超幅度批准人"))
    notified_kind = models.CharField(
        _("告知的处罚种类"), max_length=16, choices=CasePenaltyKind.choices, blank=True
    )
    notified_amount = models.DecimalField(_("告知的罚款金额（元）"), null=True, blank=True, **MONEY)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=CaseOutcome.choices, blank=True)
    decided_amount = models.DecimalField(_("决定罚款金额（元）"), null=True, blank=True, **MONEY)
    discretion_reason = models.TextField(_("决定超出裁量幅度的理由"), blank=True)
    discretion_approved_by = _person(_("决定超幅度批准人"))
    # 法制审核, 告知, 听证, 集体讨论
    reviewed_at = models.DateTimeField(_("法制审核通过时间"), null=True, blank=True)
    reviewed_by = _person(_("法制审核人"))
    review_opinion = models.TextField(_("法制审核意见"), blank=True)
    notified_at = models.DateTimeField(_("告知时间"), null=True, blank=True)
    hearing_requested_at = models.DateTimeField(_("申请听证时间"), null=True, blank=True)
    hearing_notice_on = models.DateField(_("听证通知日期"), null=True, blank=True)
    hearing_on = models.DateField(_("听证日期"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_chair = _person(_("听证主持人"))
    hearing_held_at = models.DateTimeField(_("听证举行时间"), null=True, blank=True)
    hearing_party_absent = models.BooleanField(_("当事人无正当理由未到场"), default=False)
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    discussed_at = models.DateTimeField(_("集体讨论时间"), null=True, blank=True)
    discussion = models.TextField(_("集体讨论记录"), blank=True)
    # 决定, 送达, 执行, 结案
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_by = _person(_("决定人"))
    decision_number = models.CharField(_("决定书文号"), max_length=64, null=True, blank=True)
    served_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    service_method = models.CharField(_("送达方式"), max_length=16, choices=ServiceMethod.choices, blank=True)
    service_recipient = models.CharField(_("受送达人"), max_length=100, blank=True)
    payment_due_on = models.DateField(_("缴款期限"), null=True, blank=True)
    executed_at = models.DateTimeField(_("执行时间"), null=True, blank=True)
    execution_manner = models.CharField(
        _("执行方式"), max_length=16, choices=ExecutionManner.choices, blank=True
    )
    paid_amount = models.DecimalField(_("实缴金额（元）"), null=True, blank=True, **MONEY)
    late_fee = models.DecimalField(_("加处罚款（元）"), null=True, blank=True, **MONEY)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    close_report = models.TextField(_("结案报告"), blank=True)
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = _person(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="enf_case_unit_status"),
            models.Index(fields=["status", "created_at"], name="enf_case_status_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"], condition=Q(number__isnull=False), name="enf_case_number_per_unit"
            ),
            models.UniqueConstraint(
                fields=["unit", "decision_number"],
                condition=Q(decision_number__isnull=False),
                name="enf_case_decision_number_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(proposed_amount__isnull=True) | Q(proposed_amount__gte=0),
                name="enf_case_proposed_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(decided_amount__isnull=True) | Q(decided_amount__gte=0),
                name="enf_case_decided_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.decision_number or f"线索 {self.pk}"


class CaseHistory(models.Model):
    """Every step of a case: who, when, which action, from which state to which, and what came with it."""

    case = models.ForeignKey(
        EnforcementCase, on_delete=models.CASCADE, related_name="history", verbose_name=_("案件")
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    actor = _person(_("操作人"))
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件记录")
        verbose_name_plural = _("案件记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.action}"


class CaseCounter(models.Model):
    """The last case number given by a unit in a year; taken under a row lock when 立案 is approved."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用号"), default=0)

    class Meta:
        verbose_name = _("案号计数")
        verbose_name_plural = _("案号计数")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="enf_counter_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}: {self.last}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    return f"enforcement/evidence/{instance.added_at:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """A piece of evidence (证据): a photo, a document (PDF or a photo of it), an audio recording, or a note; files
    checked by their bytes and size, kept with their SHA-256 and where and when they were taken."""

    case = models.ForeignKey(
        EnforcementCase, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("案件")
    )
    kind = models.CharField(_("证据类型"), max_length=16, choices=EvidenceKind.choices)
    description = models.TextField(_("证明对象/说明"), blank=True)
    file = models.FileField(_("文件"), upload_to=evidence_path, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64, blank=True)
    extension = models.CharField(_("扩展名"), max_length=8, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    lon = models.FloatField(_("经度"), null=True, blank=True)
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    taken_at = models.DateTimeField(_("取证时间"))
    # What the photo's EXIF said (taken_at, lat, lng): kept here, stripped from the stored file.
    exif = models.JSONField(_("拍摄信息"), default=dict, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("取证人")
    )
    added_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["taken_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.description[:40] or self.get_kind_display()


def document_path(instance: "CaseDocument", filename: str) -> str:
    return f"enforcement/documents/{instance.generated_at:%Y/%m}/{instance.case_id}/{filename}"


class CaseDocument(models.Model):
    """A document made from the case (文书) as .docx, with its number and digest; a new version is a new row."""

    case = models.ForeignKey(
        EnforcementCase, on_delete=models.CASCADE, related_name="documents", verbose_name=_("案件")
    )
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("文书编号"), max_length=64)
    file = models.FileField(_("文件"), upload_to=document_path)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = _person(_("生成人"))

    class Meta:
        verbose_name = _("案件文书")
        verbose_name_plural = _("案件文书")
        ordering = ["generated_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
