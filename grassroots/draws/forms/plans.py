"""The plan pages' forms: a plan's fields (new or draft), a re-draw (reason and approver), the results to publish."""

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..algorithm import RISK_CLASSES
from ..choices import RiskClass
from ..models import DrawPlan, InspectionItem
from ..models.plans import default_rates

HUNDRED = Decimal(100)


def rate_to_percent(rate: str) -> Decimal:
    """ "0.2" → 20: the stored decimal fraction as the percentage the form shows (no exponent, no trailing 0)."""
    return Decimal(format((Decimal(str(rate)) * HUNDRED).normalize(), "f"))


def percent_to_rate(percent: Decimal) -> str:
    """20 → "0.2": the percentage typed as the decimal string the draw reads (exact, no exponent)."""
    return format((Decimal(percent) / HUNDRED).normalize(), "f")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


class UnitChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        hidden = "" if obj.published else "（未公开）"
        return f"{obj.code} {obj.name}{hidden}"


class PlanForm(forms.Form):
    """A plan's fields. Rates are typed as percentages and handed to the service as decimal strings."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("计划名称"), max_length=200)
    units = UnitChoices(
        label=_("参与单位"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    items = ItemChoices(
        label=_("抽查事项"),
        queryset=InspectionItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("只能选择已公开的抽查事项；冻结名录前至少选择一项。"),
    )
    target_filter = forms.CharField(
        label=_("检查对象范围"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    inspectors_per_target = forms.IntegerField(
        label=_("每个对象执法人员数"), min_value=2, max_value=20, initial=2
    )
    joint_key = forms.CharField(
        label=_("联合抽查批次"),
        max_length=40,
        required=False,
        help_text=_("同一批次的计划对同一检查对象只抽查一次；不参加联合抽查请留空。"),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], plan: DrawPlan | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for risk in RISK_CLASSES:
            self.fields[f"rate_{risk}"] = forms.DecimalField(
                label=_("%(label)s 抽查比例（%%）") % {"label": RiskClass(risk).label},
                min_value=Decimal(0),
                max_value=HUNDRED,
                max_digits=9,
                decimal_places=6,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        current_units = plan.units.all() if plan else Unit.objects.none()
        current_items = plan.items.all() if plan else InspectionItem.objects.none()
        unit_field, item_field = self.fields["units"], self.fields["items"]
        assert isinstance(unit_field, UnitChoices) and isinstance(item_field, ItemChoices)
        # A plan keeps the units and items it has even when they fall outside the lists now.
        unit_field.queryset = Unit.objects.filter(
            Q(pk__in=units.filter(is_active=True).values("pk")) | Q(pk__in=current_units.values("pk"))
        ).order_by("code")
        item_field.queryset = InspectionItem.objects.filter(
            Q(published=True) | Q(pk__in=current_items.values("pk"))
        ).order_by("code")
        if self.is_bound:
            return
        rates = dict(plan.rates) if plan else default_rates()
        self.initial.update({f"rate_{risk}": rate_to_percent(rates.get(risk, "0")) for risk in RISK_CLASSES})
        if plan is not None:
            self.initial.update(
                version=plan.version,
                name=plan.name,
                units=list(current_units),
                items=list(current_items),
                target_filter=plan.target_filter,
                inspectors_per_target=plan.inspectors_per_target,
                joint_key=plan.joint_key,
            )

    @property
    def rate_fields(self) -> list[forms.BoundField]:
        return [self[f"rate_{risk}"] for risk in RISK_CLASSES]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if not f.name.startswith("rate_")]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "units": list(data["units"]),
            "items": list(data["items"]),
            "target_filter": data["target_filter"],
            "rates": {risk: percent_to_rate(data[f"rate_{risk}"]) for risk in RISK_CLASSES},
            "inspectors_per_target": data["inspectors_per_target"],
            "joint_key": data["joint_key"],
        }


class RedrawForm(forms.Form):
    reason = forms.CharField(
        label=_("重新抽取理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
    approver = PersonChoice(label=_("批准人"), queryset=Person.objects.none())

    def __init__(self, *args: Any, approvers: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approver"]
        assert isinstance(field, PersonChoice)
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in approvers])


class PublishForm(forms.Form):
    summary = forms.CharField(label=_("检查结果"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
