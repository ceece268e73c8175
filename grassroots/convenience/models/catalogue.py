"""The service catalogue (事项清单 / 实施清单 and 办事指南), the service centres and their windows."""

from decimal import Decimal
from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.catalogue import CatalogueVersion

from ..choices import RESULTS, DecidingLevel, ItemKind, MaterialForm, MaterialNeed, TownshipType


class ServiceItem(CatalogueVersion):
    """One version of a service item (服务事项): what a resident may apply for, on what basis, with which
    materials, within which limits. An application keeps the version it was received under."""

    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类型"), max_length=4, choices=ItemKind.choices)
    department = models.CharField(_("实施机关"), max_length=100)
    deciding_level = models.CharField(
        _("办理层级"), max_length=16, choices=DecidingLevel.choices, default=DecidingLevel.TOWNSHIP
    )
    # The township office that handles it behind the window (its unit code's suffix: BMFW, JYBZ, SCJG …).
    office_suffix = models.CharField(_("后台办理科室"), max_length=16, default="BMFW")
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("受理条件"), blank=True)
    procedure = models.TextField(_("办理流程"), blank=True)
    fee = models.CharField(_("收费标准"), max_length=200, default="不收费")
    channels = models.JSONField(_("办理渠道"), default=list)
    windows = models.CharField(_("受理窗口"), max_length=200, default="综合受理窗口")
    required_visits = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    at_most_once = models.BooleanField(_("最多跑一次"), default=True)
    zero_visit = models.BooleanField(_("零跑腿"), default=False)
    no_meeting = models.BooleanField(_("不见面审批"), default=False)
    # The township types whose lists carry it, and whether village service points take it in (36 items).
    in_central = models.BooleanField(_("中心镇（街道）清单"), default=False)
    in_developing = models.BooleanField(_("发展型乡镇清单"), default=False)
    in_ecological = models.BooleanField(_("生态型乡镇清单"), default=False)
    at_village = models.BooleanField(_("村级可办"), default=False)
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)

    catalogue_copy_related: ClassVar[tuple[str, ...]] = ("materials",)

    class Meta(CatalogueVersion.Meta):
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code} v{self.version}）"

    @property
    def promise_label(self) -> str:
        """The limit the public was promised, e.g. "XK330421001 v1：5 工作日"."""
        amount = self.promised_limit or self.statutory_limit
        return self.limit_label(amount, self.limit_unit) if amount is not None else self.version_label

    @property
    def limits_text(self) -> str:
        """The limits in words for the public and the window: "承诺 5 工作日（法定 20 工作日）"."""
        unit = LimitUnit(self.limit_unit or LimitUnit.WORKING_DAYS).label

        def days(amount: Any) -> str:
            return f"{Decimal(amount).normalize():f} {unit}"

        if self.promised_limit is None:
            return f"法定 {days(self.statutory_limit)}" if self.statutory_limit is not None else ""
        return f"承诺 {days(self.promised_limit)}（法定 {days(self.statutory_limit)}）"

    def on_list(self, township_type: str) -> bool:
        return bool(getattr(self, f"in_{township_type}"))

    @property
    def allowed_results(self) -> frozenset[str]:
        return RESULTS

    def catalogue_problems(self) -> list[tuple[str, str]]:
        problems = []
        if self.statutory_limit is None:
            problems.append(("limit_missing", "请填写法定时限"))
        if self.zero_visit and self.required_visits:
            problems.append(("zero_visit_with_visits", "零跑腿事项的到现场次数应为 0"))
        if self.at_most_once and self.required_visits > 1:
            problems.append(("at_most_once_with_visits", "最多跑一次事项的到现场次数不得超过 1"))
        if not (self.in_central or self.in_developing or self.in_ecological or self.at_village):
            problems.append(("no_list", "事项至少应列入一张清单"))
        return problems


class ServiceMaterial(models.Model):
    """One material an item asks for (申请材料), in the order of the guide."""

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("服务事项"), on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(
        _("材料形式"), max_length=16, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("份数"), default=1)
    need = models.CharField(
        _("必要性"), max_length=16, choices=MaterialNeed.choices, default=MaterialNeed.REQUIRED
    )
    note = models.CharField(_("填报说明"), max_length=300, blank=True)
    sample = models.CharField(_("样表"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["item", "order", "id"]

    def __str__(self) -> str:
        return self.name


class ServiceCentre(models.Model):
    """A township's convenience-service centre (便民服务中心): its type picks the item list it carries."""

    township = models.OneToOneField(
        "geo.Division", verbose_name=_("乡镇街道"), on_delete=models.PROTECT, related_name="service_centre"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("中心单位"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=100)
    township_type = models.CharField(_("乡镇类型"), max_length=16, choices=TownshipType.choices)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    hours = models.CharField(_("办公时间"), max_length=100, default="工作日 8:30–12:00，13:30–17:00")
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("便民服务中心")
        verbose_name_plural = _("便民服务中心")
        ordering = ["township__code"]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A window of a centre (窗口). A comprehensive window (综合窗口) accepts any item of the list."""

    centre = models.ForeignKey(
        ServiceCentre, verbose_name=_("便民服务中心"), on_delete=models.CASCADE, related_name="windows"
    )
    number = models.PositiveSmallIntegerField(_("窗口号"))
    name = models.CharField(_("名称"), max_length=50)
    comprehensive = models.BooleanField(_("综合窗口"), default=True)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["centre", "number"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="convenience_window_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}号窗口（{self.name}）"
