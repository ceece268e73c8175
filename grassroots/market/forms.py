"""The inspection page's forms: the on-site record (the checklist of every item, the conclusion, the findings one per
line), the re-check, the penalty and the cancellation; and the form that arranges an inspection. The step forms
hand `payload()` to the same schema and service as `POST /api/v1/inspections/{id}/<action>`."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.draws.models import InspectionItem
from grassroots.people.models import Person
from grassroots.workflow.forms import StepForm as BaseStepForm
from grassroots.workflow.forms import step_form

from .choices import CheckResult, Conclusion, FindingStatus, InspectionKind
from .steps import INSPECTION_FLOW


def phone_inputs(form: forms.Form) -> None:
    """Big inputs for a thumb outdoors (mobile.css): every text, number, date and select box."""
    for field in form.fields.values():
        if not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
            field.widget.attrs.setdefault("class", "m-input")


class StepForm(BaseStepForm):
    flow = INSPECTION_FLOW

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        phone_inputs(self)


def _days(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecordForm(StepForm):
    """现场检查: each check point of each item answered 符合 / 不符合 / 不适用, the conclusion, problems one per line."""

    action = "record"
    multipart = True
    help_text = _("逐项填写检查表；发现问题时逐条写明问题并拍摄现场照片，系统按整改期限计时。")
    conclusion = forms.ChoiceField(label=_("检查结果"), choices=Conclusion.choices, widget=forms.RadioSelect)
    findings = forms.CharField(
        label=_("发现的问题（每行一条）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rectify_days = _days(_("整改期限（工作日，默认 10）"))
    summary = forms.CharField(label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points: list[tuple[str, Any, str]] = []  # (field name, item, point)
        for item in self.record.items.all():
            for n, point in enumerate(getattr(item, "checklist", None) or []):
                name = f"check_{item.pk}_{n}"
                self.fields[name] = forms.ChoiceField(
                    label=point,
                    choices=CheckResult.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("请填写这一项")},
                )
                self.points.append((name, item, point))

    @property
    def checklist_fields(self) -> list[tuple[Any, list[Any]]]:
        """The check points grouped by item, as bound fields, for the template."""
        groups: dict[int, tuple[Any, list[Any]]] = {}
        for name, item, _point in self.points:
            groups.setdefault(item.pk, (item, []))[1].append(self[name])
        return list(groups.values())

    @property
    def plain_fields(self) -> list[Any]:
        return [self[n] for n in ("conclusion", "findings", "rectify_days", "summary")]

    def payload(self) -> Any:
        data = self.cleaned_data
        checklist = [
            {"item_id": item.pk, "point": point, "result": data[name]} for name, item, point in self.points
        ]
        findings = [{"description": line} for line in _lines(data.get("findings", ""))]
        return self.schema(
            conclusion=data["conclusion"],
            summary=data.get("summary", ""),
            checklist=checklist,
            findings=findings,
            rectify_days=data.get("rectify_days"),
        )


class RecheckForm(StepForm):
    action = "recheck"
    multipart = True
    help_text = _("勾选已整改到位的问题并拍摄现场照片；仍未整改的，填写情况并给出新的整改期限。")
    rectified_ids = forms.MultipleChoiceField(
        label=_("已整改的问题"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("复查情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    rectify_days = _days(_("未整改问题的新期限（工作日）"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_findings = self.record.findings.filter(status=FindingStatus.OPEN)
        cast(forms.ChoiceField, self.fields["rectified_ids"]).choices = [
            (f.pk, f"{f.description}（期限 {f.rectify_by:%Y-%m-%d}）") for f in open_findings
        ]

    def payload(self) -> Any:
        data = self.cleaned_data
        return self.schema(
            rectified_ids=[int(x) for x in data.get("rectified_ids") or []],
            note=data.get("note", ""),
            rectify_days=data.get("rectify_days"),
        )


def _made(action: str, **fields: Any) -> type[StepForm]:
    made = step_form(INSPECTION_FLOW.step(action), StepForm)
    return type(made.__name__, (made,), {**fields, "__module__": __name__})


PenaltyForm = _made(
    "penalize",
    decided_on=forms.DateField(label=_("决定日期"), widget=forms.DateInput(attrs={"type": "date"})),
    amount=forms.DecimalField(
        label=_("罚没金额（元）"), required=False, min_value=0, decimal_places=2, initial=0
    ),
)
CancelForm = _made("cancel")

FORMS: dict[str, type[StepForm]] = {
    "record": RecordForm,
    "recheck": RecheckForm,
    "penalize": PenaltyForm,
    "cancel": CancelForm,
}


def step_form_for(action: str, inspection: Any, viewer: Any, **kwargs: Any) -> StepForm:
    return FORMS[action](record=inspection, viewer=viewer, **kwargs)


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        certificate = getattr(getattr(obj, "inspector", None), "certificate_no", "")
        return f"{obj.name}（{certificate}）" if certificate else obj.name


class ArrangeForm(forms.Form):
    """安排检查 of one entity: the kind, the certified inspectors, the items, by when."""

    kind = forms.ChoiceField(
        label=_("检查类型"),
        choices=[(k, label) for k, label in InspectionKind.choices if k != InspectionKind.RANDOM],
    )
    campaign = forms.CharField(label=_("专项行动名称"), required=False, max_length=100)
    inspectors = PersonChoices(
        label=_("检查人员"), queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    items = forms.ModelMultipleChoiceField(
        label=_("检查事项"),
        queryset=InspectionItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_on = forms.DateField(
        label=_("应检查日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, inspectors: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["inspectors"]).queryset = inspectors
        cast(forms.ModelMultipleChoiceField, self.fields["items"]).queryset = items
        phone_inputs(self)
