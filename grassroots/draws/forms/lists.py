"""The list pages' forms (一单两库): an inspection item, an inspector, a declared relation, and the version a
publish or deactivate button carries."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import DomainError
from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..choices import TargetKind
from ..models import InspectionItem, Inspector
from ..targets import target_resolve

FIELD_SEPARATORS = re.compile(r"[,，、;；\s]+")


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonPick(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        unit = f"，{obj.unit.name}" if obj.unit_id else ""
        return f"{obj.name}（{obj.get_role_display()}{unit}）"


class VersionForm(forms.Form):
    """The row's version the person saw: a publish, deactivate or reactivate after another change is a 409."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    code = forms.CharField(label=_("事项编码"), max_length=32)
    name = forms.CharField(label=_("抽查事项"), max_length=200)
    legal_basis = forms.CharField(
        label=_("抽查依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    unit = UnitChoice(label=_("责任单位"), queryset=Unit.objects.none())
    target_kind = forms.ChoiceField(
        label=_("检查对象类型"), choices=TargetKind.choices, initial=TargetKind.MARKET_ENTITY
    )
    checklist = forms.CharField(
        label=_("检查要点"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
        help_text=_("每行一条，按检查顺序填写；手机检查表单逐条显示。"),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], item: InspectionItem | None = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        field = self.fields["unit"]
        assert isinstance(field, UnitChoice)
        field.queryset = units.filter(is_active=True).order_by("code")
        if item is not None and not self.is_bound:
            self.initial.update(
                version=item.version,
                code=item.code,
                name=item.name,
                legal_basis=item.legal_basis,
                unit=item.unit_id,
                target_kind=item.target_kind,
                checklist="\n".join(item.checklist),
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "name": data["name"],
            "legal_basis": data["legal_basis"],
            "unit": data["unit"],
            "target_kind": data["target_kind"],
            "checklist": data["checklist"].splitlines(),
        }


class InspectorForm(forms.Form):
    """A new entry of the pool (with the person) or an entry's certificate, unit and fields."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    person = PersonPick(label=_("人员"), queryset=Person.objects.none())
    certificate_no = forms.CharField(label=_("执法证号"), max_length=40)
    valid_to = forms.DateField(
        label=_("执法证有效期至"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),  # what <input type=date> reads
    )
    unit = UnitChoice(label=_("所属单位"), queryset=Unit.objects.none())
    fields_text = forms.CharField(
        label=_("执法领域"),
        max_length=500,
        required=False,
        help_text=_("多个领域用顿号或逗号分开，如：食品、特种设备"),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        inspector: Inspector | None = None,
        people: QuerySet[Person] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, UnitChoice)
        unit_field.queryset = units.filter(is_active=True).order_by("code")
        if inspector is not None:
            del self.fields["person"]  # the entry's person stays
            if not self.is_bound:
                self.initial.update(
                    version=inspector.version,
                    certificate_no=inspector.certificate_no,
                    valid_to=inspector.certificate_valid_to,
                    unit=inspector.unit_id,
                    fields_text="、".join(inspector.fields),
                )
        else:
            person_field = self.fields["person"]
            assert isinstance(person_field, PersonPick)
            person_field.queryset = (people or Person.objects.none()).select_related("unit").order_by("name")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "certificate_no": data["certificate_no"],
            "valid_to": data["valid_to"],
            "unit": data["unit"],
            "fields": [f for f in FIELD_SEPARATORS.split(data["fields_text"]) if f],
        }


class RelationForm(forms.Form):
    """A declared relation with a market entity, named by its USCC (or its number in the registry)."""

    target = forms.CharField(
        label=_("检查对象（统一社会信用代码）"),
        max_length=32,
        help_text=_("填写市场主体的 18 位统一社会信用代码，也可填写其在本系统中的编号。"),
    )
    reason = forms.CharField(label=_("回避事由"), max_length=200)

    def clean_target(self) -> tuple[str, str]:
        try:
            return target_resolve(TargetKind.MARKET_ENTITY, self.cleaned_data["target"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None
