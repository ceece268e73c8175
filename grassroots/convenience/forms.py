"""The page's forms of an application's steps. Most are made from the step's schema (`workflow.forms.step_form`);
those whose choices depend on the application (its materials, the units, the windows) or need words for their
choices are given here. Every one hands `payload()` to the same schema and service as the JSON endpoint."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.org.models import Unit
from grassroots.workflow.choices import PauseKind
from grassroots.workflow.declaration import Workflow
from grassroots.workflow.forms import NOTE, step_form
from grassroots.workflow.forms import StepForm as BaseStepForm

from .choices import DeliveryMethod, Grade, MaterialNeed, RatingChannel, ReviewGrade, VisitKind
from .steps import APPLICATION_FLOW, RECTIFICATION_FLOW


class StepForm(BaseStepForm):
    """A step on one application or rectification (the rectification's forms set their own `flow`)."""

    flow = APPLICATION_FLOW


def _made(action: str, flow: Workflow = APPLICATION_FLOW, **fields: Any) -> type[StepForm]:
    """The form made from the step's schema, with `fields` replacing the made ones."""
    base = type("Base", (StepForm,), {"flow": flow, "__module__": __name__})
    made = step_form(flow.step(action), base)
    return type(made.__name__, (made,), {**fields, "__module__": __name__})


def _choice(label: Any, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        error_messages={"required": _("请选择{label}").format(label=label)},
        **kwargs,
    )


class AcceptForm(StepForm):
    action = "accept"
    pending_material_ids = forms.MultipleChoiceField(
        label=_("容缺受理的材料（申请人书面承诺限期补交）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tolerated = [m for m in self.record.item.materials.all() if m.need == MaterialNeed.TOLERATED]
        cast(forms.ChoiceField, self.fields["pending_material_ids"]).choices = [
            (m.pk, m.name) for m in tolerated
        ]
        if not tolerated:
            del self.fields["pending_material_ids"]

    def payload(self) -> Any:
        ids = [int(x) for x in self.cleaned_data.get("pending_material_ids") or []]
        return self.schema(pending_material_ids=ids, note=self.cleaned_data["note"])


class CorrectionForm(StepForm):
    """一次性告知: tick every missing material of the item, and add anything else, in one notice."""

    action = "request_correction"
    help_text = _("一次性列出需补正的全部材料；告知后计时暂停，申请人补齐后恢复。")
    missing = forms.MultipleChoiceField(
        label=_("需补正的材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("其他需补正的事项（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("其他说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = {m.pk: m for m in self.record.item.materials.all()}
        cast(forms.ChoiceField, self.fields["missing"]).choices = [
            (pk, m.name) for pk, m in self.materials.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("missing") and not (data.get("other") or "").strip():
            raise forms.ValidationError(_("请一次性列出需补正的全部材料"))
        return data

    def payload(self) -> Any:
        items = [
            {"material_id": int(pk), "name": self.materials[int(pk)].name, "reason": "未提交或不符合要求"}
            for pk in self.cleaned_data["missing"]
        ]
        items += [{"name": line.strip()} for line in self.cleaned_data["other"].splitlines() if line.strip()]
        return self.schema(items=items, note=self.cleaned_data["note"])


class TransferForm(StepForm):
    action = "transfer"
    folded = True
    unit_id = forms.ModelChoiceField(
        label=_("转至单位"), queryset=Unit.objects.none(), empty_label=_("请选择")
    )
    note = forms.CharField(label=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        township = self.record.centre.township.code
        units = Unit.objects.filter(is_active=True, code__startswith=township).exclude(
            pk=self.record.handling_unit_id
        )
        cast(forms.ModelChoiceField, self.fields["unit_id"]).queryset = units.order_by("code")


SUSPEND_KINDS = [
    (k.value, k.label)
    for k in (PauseKind.HEARING, PauseKind.TESTING, PauseKind.EXPERT_REVIEW, PauseKind.NOTICE)
]
RESULT_CHOICES = [("granted", _("准予")), ("granted_pending", _("容缺准予")), ("refused", _("不予许可"))]

FORMS: dict[str, type[StepForm]] = {
    "receive": _made(
        "receive",
        window_id=forms.TypedChoiceField(label=_("受理窗口"), required=False, coerce=int, choices=[]),
    ),
    "accept": AcceptForm,
    "request_correction": CorrectionForm,
    "supply": _made(
        "supply",
        in_person=forms.ChoiceField(
            label=_("补交方式"),
            choices=[
                ("1", _("申请人到现场补交（计一次跑动）")),
                ("0", _("网上、邮寄或代办补交（不计跑动）")),
            ],
            initial="1",
            widget=forms.RadioSelect,
        ),
    ),
    "reject": _made("reject"),
    "transfer": TransferForm,
    "suspend": _made("suspend", kind=_choice(_("特别程序"), SUSPEND_KINDS)),
    "resume": _made("resume"),
    "decide": _made("decide", result=_choice(_("办理结果"), RESULT_CHOICES, widget=forms.RadioSelect)),
    "deliver": _made(
        "deliver", method=_choice(_("送达方式"), DeliveryMethod.choices, widget=forms.RadioSelect)
    ),
    "archive": _made("archive"),
    "withdraw": _made("withdraw"),
    "record_visit": _made("record_visit", kind=_choice(_("到现场事由"), VisitKind.choices)),
    "rate": _made(
        "rate",
        grade=forms.TypedChoiceField(
            label=_("评价等级"), choices=Grade.choices, coerce=int, widget=forms.RadioSelect
        ),
        channel=_choice(
            _("评价渠道"),
            [
                (RatingChannel.PHONE, RatingChannel.PHONE.label),
                (RatingChannel.DEVICE, RatingChannel.DEVICE.label),
            ],
        ),
    ),
}
RECTIFICATION_FORMS: dict[str, type[StepForm]] = {
    "contact": _made("contact", RECTIFICATION_FLOW),
    "rectify": _made("rectify", RECTIFICATION_FLOW),
    "review": _made(
        "review",
        RECTIFICATION_FLOW,
        review=_choice(_("申请人对整改的评价"), ReviewGrade.choices, widget=forms.RadioSelect),
    ),
}


def step_form_for(
    action: str, record: Any, viewer: Any, *, data: Any = None, rectification: bool = False
) -> StepForm:
    cls = (RECTIFICATION_FORMS if rectification else FORMS)[action]
    form = cls(data, record=record, viewer=viewer) if data is not None else cls(record=record, viewer=viewer)
    if action == "receive":
        cast(forms.ChoiceField, form.fields["window_id"]).choices = [("", _("不指定"))] + [
            (w.pk, str(w)) for w in record.centre.windows.all()
        ]
    return form
