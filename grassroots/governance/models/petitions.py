"""Petitions (信访件, 信访工作条例 2022): the petition from registration to its end, its petitioners (personal data,
masked by role), its history and its written notices. The steps are `petition_rules.TABLE`; only the services in
`services/petition*.py` write `Petition.status`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..petition_choices import NoticeKind, PetitionChannel, PetitionKind, PetitionOutcome, PetitionStatus
from .disputes import _person


class Petition(models.Model):
    """A petition (信访件) to the township's petition office: registered from a visit, letter, the web, a call or a
    fax; accepted, refused, routed on or joined to the same matter within 15 日; handled within 60 日 (+30 once);
    answered in writing; 复查 and 复核 each asked and answered within 30 日; closed."""

    township = models.ForeignKey(
        "geo.Division", on_delete=models.PROTECT, related_name="+", verbose_name=_("乡镇街道")
    )
    village = models.ForeignKey(
        "geo.Division",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("村社区"),
    )
    # The village's code if there is one, else the township's: the one field the scope predicate reads.
    region_code = models.CharField(_("区域代码"), max_length=14, db_index=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="petitions", verbose_name=_("信访工作机构")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PetitionStatus.choices, default=PetitionStatus.REGISTERED
    )
    channel = models.CharField(_("信访形式"), max_length=8, choices=PetitionChannel.choices)
    kind = models.CharField(_("信访事项类别"), max_length=16, choices=PetitionKind.choices)
    title = models.CharField(_("信访事项"), max_length=200)
    content = models.TextField(_("诉求、事实和理由"))
    people_count = models.PositiveSmallIntegerField(_("来访人数"), default=1)
    received_at = models.DateTimeField(_("收到时间"))
    transferred_from = models.CharField(_("转送（交办）机关"), max_length=100, blank=True)
    leader = _person(_("包案领导"), related_name="petitions_led")
    joined_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("合并至"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("事件"),
    )
    dispute = models.ForeignKey(
        "governance.Dispute",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions",
        verbose_name=_("矛盾纠纷"),
    )
    # 受理 / 不予受理 / 转送 / 退回
    decided_at = models.DateTimeField(_("受理决定时间"), null=True, blank=True)
    decision_reason = models.TextField(_("不予受理、转送或退回理由"), blank=True)
    transferred_to = models.CharField(_("转送机关"), max_length=100, blank=True)
    extended_days = models.PositiveSmallIntegerField(_("延长天数"), default=0)
    # 处理意见 / 复查意见 / 复核意见
    outcome = models.CharField(_("处理意见"), max_length=16, choices=PetitionOutcome.choices, blank=True)
    answer_text = models.TextField(_("处理意见书内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    review_requested_on = models.DateField(_("申请复查日期"), null=True, blank=True)
    review_outcome = models.CharField(
        _("复查意见"), max_length=16, choices=PetitionOutcome.choices, blank=True
    )
    review_text = models.TextField(_("复查意见书内容"), blank=True)
    reviewed_at = models.DateTimeField(_("复查答复时间"), null=True, blank=True)
    recheck_requested_on = models.DateField(_("申请复核日期"), null=True, blank=True)
    recheck_outcome = models.CharField(
        _("复核意见"), max_length=16, choices=PetitionOutcome.choices, blank=True
    )
    recheck_text = models.TextField(_("复核意见书内容"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = _person(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("信访件")
        verbose_name_plural = _("信访件")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="gov_petition_unit_status"),
            models.Index(fields=["received_at", "id"], name="gov_petition_received"),
        ]

    def __str__(self) -> str:
        return f"信访件 {self.pk} {self.title}"


class PetitionPetitioner(models.Model):
    """A petitioner (信访人), or a representative of a collective visit (at most five): personal data."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="petitioners", verbose_name=_("信访件")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("住址"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("信访人")
        verbose_name_plural = _("信访人")
        ordering = ["petition", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "position"], name="gov_petitioner_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.position}"


class PetitionHistory(models.Model):
    """Every step of a petition: who, when, which action, from which state to which, and what came with it."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="history", verbose_name=_("信访件")
    )
    action = models.CharField(_("操作"), max_length=40)
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, blank=True)
    actor = _person(_("操作人"))
    at = models.DateTimeField(_("时间"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("信访件记录")
        verbose_name_plural = _("信访件记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.action}"


def notice_path(instance: "PetitionDocument", filename: str) -> str:
    return f"governance/petitions/{instance.generated_at:%Y/%m}/{instance.petition_id}/{filename}"


class PetitionDocument(models.Model):
    """A written notice a step gave (受理告知书, 信访处理意见书 ...) as .docx, with its digest."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="documents", verbose_name=_("信访件")
    )
    kind = models.CharField(_("文书种类"), max_length=16, choices=NoticeKind.choices)
    file = models.FileField(_("文件"), upload_to=notice_path)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    generated_at = models.DateTimeField(_("生成时间"))
    generated_by = _person(_("生成人"))

    class Meta:
        verbose_name = _("信访文书")
        verbose_name_plural = _("信访文书")
        ordering = ["generated_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.petition_id}"
