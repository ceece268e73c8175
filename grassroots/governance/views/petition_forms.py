"""The petition pages' forms: the registration (登记信访件, up to five petitioners on the page) and the steps'
forms, made from the steps' schemas (`workflow.forms.step_form`) with choices where a step needs them (the leaders,
the outcome's words, a date). Each hands its values to the same service as the JSON endpoint."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.forms import StepForm as BaseStepForm
from grassroots.workflow.forms import step_form

from ..models import Petition
from ..petition_choices import MAX_REPRESENTATIVES, PetitionChannel, PetitionKind, PetitionOutcome
from ..petition_steps import PETITION_FLOW

PETITIONER_ROWS = range(1, MAX_REPRESENTATIVES + 1)


class StepForm(BaseStepForm):
    flow = PETITION_FLOW


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _leaders(petition: Petition) -> Any:
    code = petition.township.code
    return Person.objects.filter(role=Role.LEADER, is_active=True, division__code__startswith=code).order_by(
        "pk"
    )


def _leader_field(label: Any, required: bool) -> PersonChoice:
    return PersonChoice(
        label=label,
        queryset=Person.objects.none(),
        required=required,
        empty_label=_("请选择"),
        error_messages={"required": _("请选择包案领导")},
    )


class _LeaderMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader_id"].queryset = _leaders(self.record)  # type: ignore[attr-defined]


OUTCOME = forms.ChoiceField(label=_("意见"), choices=PetitionOutcome.choices)
DATE = forms.DateField(label=_("请求日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
EXTRA: dict[str, dict[str, Any]] = {
    "assign_leader": {"leader_id": _leader_field(_("包案领导"), True)},
    "accept": {"leader_id": _leader_field(_("包案领导（可选）"), False)},
    "answer": {"outcome": OUTCOME},
    "answer_review": {"outcome": OUTCOME},
    "answer_recheck": {"outcome": OUTCOME},
    "request_review": {"requested_on": DATE},
    "request_recheck": {"requested_on": DATE},
}
LABELS = {
    "reason": _("理由"),
    "to": _("转送机关"),
    "into_id": _("合并至信访件编号"),
    "days": _("延长天数"),
    "text": _("意见书内容（事实、依据和理由）"),
    "satisfied": _("信访人表示满意"),
}


def _form_class(action: str) -> type[StepForm]:
    made = step_form(PETITION_FLOW.step(action), StepForm, labels=LABELS)
    bases: tuple[type, ...] = (_LeaderMixin, made) if "leader_id" in EXTRA.get(action, {}) else (made,)
    return type(made.__name__, bases, {**EXTRA.get(action, {}), "__module__": __name__})


FORMS = {s.action: _form_class(s.action) for s in PETITION_FLOW.steps}


def step_form_for(action: str, petition: Petition, viewer: Any, data: Any = None) -> StepForm:
    form: StepForm = FORMS[action](data, record=petition, viewer=viewer)
    return form


class RegisterForm(forms.Form):
    """登记信访件: where it goes, how it came, what it asks, who brought it (走访: at most five representatives)."""

    unit = forms.ModelChoiceField(label=_("信访工作机构"), queryset=Unit.objects.none(), empty_label=None)
    village = forms.ModelChoiceField(
        label=_("村社区"), queryset=Division.objects.none(), required=False, empty_label=_("（乡镇本级）")
    )
    channel = forms.ChoiceField(label=_("信访形式"), choices=PetitionChannel.choices)
    kind = forms.ChoiceField(label=_("信访事项类别"), choices=PetitionKind.choices)
    title = forms.CharField(label=_("信访事项"), max_length=200)
    content = forms.CharField(label=_("诉求、事实和理由"), widget=forms.Textarea(attrs={"rows": 4}))
    people_count = forms.IntegerField(label=_("来访人数"), min_value=1, required=False)
    transferred_from = forms.CharField(
        label=_("转送（交办）机关（上级转来的填写）"), max_length=100, required=False
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        townships = [u.division_id for u in units]
        villages = Division.objects.filter(level=DivisionLevel.VILLAGE, parent_id__in=townships).order_by(
            "code"
        )
        self.fields["village"].queryset = villages  # type: ignore[attr-defined]
        for i in PETITIONER_ROWS:
            self.fields[f"name_{i}"] = forms.CharField(label=_("姓名"), max_length=50, required=False)
            self.fields[f"id_number_{i}"] = forms.CharField(
                label=_("身份证号"), max_length=18, required=False
            )
            self.fields[f"phone_{i}"] = forms.CharField(label=_("联系电话"), max_length=20, required=False)
            self.fields[f"address_{i}"] = forms.CharField(label=_("住址"), max_length=300, required=False)

    def petitioner_rows(self) -> list[list[Any]]:
        return [
            [self[f"{n}_{i}"] for n in ("name", "id_number", "phone", "address")] for i in PETITIONER_ROWS
        ]
