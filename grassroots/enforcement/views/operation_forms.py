"""The forms of the joint-operation pages: the plan (new and edit), and one small form per step on the page. Targets
are written one a line: places as 名称 or 名称, 经度, 纬度; entities by USCC; grids by code."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.geo.models import Grid
from grassroots.market.models import MarketEntity
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit

from ..models.operations import JointOperation, OperationKind
from ..services.operations import Place

DATE = forms.DateInput(attrs={"type": "date"})


def partner_units(person: Any, lead_units: QuerySet[Unit]) -> QuerySet[Unit]:
    """Units that may take part: every active unit of the districts of the units the person may lead (any
    platform, county departments too), village committees aside."""
    districts = sorted({u.division.code[:6] for u in lead_units.select_related("division")})
    rows = Unit.objects.filter(is_active=True).exclude(kind=UnitKind.VILLAGE_COMMITTEE)
    if not districts:
        return rows.none()
    q = Q(pk__in=[])
    for code in districts:
        q |= Q(division__code__startswith=code)
    return rows.filter(q).order_by("code")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def places_text(places: list[dict[str, Any]]) -> str:
    return "\n".join(
        p["name"] if p.get("lon") is None else f"{p['name']}, {p['lon']}, {p['lat']}" for p in places
    )


class OperationForm(forms.Form):
    kind = forms.ChoiceField(label=_("行动类型"), choices=OperationKind.choices)
    title = forms.CharField(label=_("行动名称"), max_length=200)
    lead_unit = forms.ModelChoiceField(label=_("牵头单位"), queryset=Unit.objects.none())
    units = forms.ModelMultipleChoiceField(
        label=_("参与单位"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 可多选；牵头单位自动计入"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    plan = forms.CharField(label=_("工作方案"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    places = forms.CharField(
        label=_("重点区域（地点）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个：名称，或 名称, 经度, 纬度"),
    )
    entities = forms.CharField(
        label=_("检查对象（统一社会信用代码）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("每行一个"),
    )
    grids = forms.CharField(
        label=_("涉及网格（网格代码）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, lead_units: QuerySet[Unit], partners: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        lead_field = self.fields["lead_unit"]
        units_field = self.fields["units"]
        assert isinstance(lead_field, forms.ModelChoiceField)
        assert isinstance(units_field, forms.ModelMultipleChoiceField)
        lead_field.queryset = lead_units.order_by("code")
        units_field.queryset = partners

    @classmethod
    def initial_of(cls, operation: JointOperation) -> dict[str, Any]:
        return {
            "kind": operation.kind,
            "title": operation.title,
            "lead_unit": operation.lead_unit_id,
            "units": list(operation.participants.filter(lead=False).values_list("unit_id", flat=True)),
            "starts_on": operation.starts_on,
            "ends_on": operation.ends_on,
            "plan": operation.plan,
            "places": places_text(operation.places),
            "entities": "\n".join(operation.entities.values_list("uscc", flat=True)),
            "grids": "\n".join(operation.grids.values_list("code", flat=True)),
            "version": operation.version,
        }

    def clean_places(self) -> list[Place]:
        places = []
        for line in _lines(self.cleaned_data["places"]):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) == 1:
                places.append(Place(name=parts[0]))
                continue
            try:
                places.append(Place(name=parts[0], lon=float(parts[1]), lat=float(parts[2])))
            except (IndexError, ValueError):
                raise forms.ValidationError(
                    _("地点“%(line)s”应为 名称, 经度, 纬度") % {"line": line}
                ) from None
        return places

    def clean_entities(self) -> list[MarketEntity]:
        codes = [c.upper() for c in _lines(self.cleaned_data["entities"])]
        found = {e.uscc: e for e in MarketEntity.objects.filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("没有这些市场主体：%(codes)s") % {"codes": "、".join(missing)})
        return list(found.values())

    def clean_grids(self) -> list[Grid]:
        codes = _lines(self.cleaned_data["grids"])
        found = {g.code: g for g in Grid.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise forms.ValidationError(_("没有这些网格：%(codes)s") % {"codes": "、".join(missing)})
        return list(found.values())


class StepForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskForm(StepForm):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none())
    text = forms.CharField(label=_("任务"), max_length=300)

    def __init__(self, *args: Any, operation: JointOperation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=operation.participants.values("unit_id"))


class TaskRefForm(StepForm):
    task = forms.IntegerField(widget=forms.HiddenInput)


class TaskDoneForm(TaskRefForm):
    done = forms.BooleanField(label=_("已完成"), required=False)
    notes = forms.CharField(label=_("完成情况"), required=False, max_length=2000)


class ResultsForm(StepForm):
    unit = forms.ModelChoiceField(label=_("填报单位"), queryset=Unit.objects.none())
    places_inspected = forms.IntegerField(label=_("检查场所（户次）"), min_value=0)
    problems_found = forms.IntegerField(label=_("发现问题"), min_value=0)
    cases_opened = forms.IntegerField(label=_("立案查处"), min_value=0)
    rectified = forms.IntegerField(label=_("整改到位"), min_value=0)
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units])


class LinkForm(StepForm):
    workflow = forms.ChoiceField(
        label=_("关联"),
        choices=[("event", _("事件")), ("case", _("执法案件")), ("inspection", _("监督检查"))],
    )
    object_id = forms.IntegerField(label=_("记录编号（id）"), min_value=1)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class FinishForm(StepForm):
    summary = forms.CharField(label=_("行动总结"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(StepForm):
    reason = forms.CharField(label=_("取消理由"), widget=forms.Textarea(attrs={"rows": 2}))
