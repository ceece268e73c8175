"""The dispute page's forms of the steps. Most are made from the step's schema (`workflow.forms.step_form`); those
that need choices per dispute (the committee's mediators, the dispute's mediators, the police station) or a date
get their fields here. Every one hands `payload()` to the same schema and service call as the JSON endpoint
(`dispute_steps.STEPS`)."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.forms import StepForm as BaseStepForm
from grassroots.workflow.forms import step_form

from ..dispute_steps import DISPUTE_FLOW
from ..models import Dispute
from .dispute_register_form import Named, police_for


class StepForm(BaseStepForm):
    flow = DISPUTE_FLOW


def _made(action: str, **fields: Any) -> Any:
    made = step_form(DISPUTE_FLOW.step(action), StepForm)
    return type(made.__name__, (made,), {**fields, "__module__": __name__})


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写{label}").format(label=label), "invalid": _("日期格式不正确")},
    )


class People(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _people(label: Any, required: bool = True) -> People:
    return People(
        label=label,
        queryset=Person.objects.none(),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请选择{label}").format(label=label)},
    )


def ids_payload(form: Any) -> Any:
    """The step's payload, the chosen people as their ids under the schema's name."""
    if "mediator_ids" in form.cleaned_data:
        form.cleaned_data["mediator_ids"] = [p.pk for p in form.cleaned_data["mediator_ids"] or []]
    return BaseStepForm.payload(form)


class AcceptForm(_made("accept", mediator_ids=_people(_("指定调解员")))):  # type: ignore[misc]
    def payload(self) -> Any:
        return ids_payload(self)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mediators = Person.objects.filter(
            role=Role.MEDIATOR, is_active=True, unit_id=self.record.committee_id
        )
        cast(forms.ModelMultipleChoiceField, self.fields["mediator_ids"]).queryset = mediators.order_by(
            "name"
        )
        if not self.is_bound and self.viewer.role == Role.MEDIATOR:
            self.initial["mediator_ids"] = [self.viewer.pk]


class SessionForm(
    _made(  # type: ignore[misc]
        "record_session",
        held_at=forms.DateTimeField(
            label=_("调解时间"),
            input_formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local", "step": 1}, format="%Y-%m-%dT%H:%M:%S"
            ),
            error_messages={"required": _("请填写调解时间"), "invalid": _("时间格式不正确")},
        ),
        mediator_ids=_people(_("主持调解员（默认本人）"), required=False),
    )
):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["mediator_ids"])
        field.queryset = self.record.mediators.order_by("pk")
        if not self.is_bound:
            self.initial["held_at"] = timezone.localtime().replace(microsecond=0)

    def payload(self) -> Any:
        held = self.cleaned_data.get("held_at")
        if held is not None and timezone.is_naive(held):
            self.cleaned_data["held_at"] = timezone.make_aware(held)
        return ids_payload(self)


RISK_BASE: Any = _made(
    "assess_risk", police_unit_id=Named(label=_("报告的派出所（高风险时）"), queryset=None, required=False)
)


class RiskForm(RISK_BASE):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["police_unit_id"]).queryset = police_for(self.viewer)


def _dated(action: str, name: str, label: Any, required: bool = True) -> Any:
    made = _made(action, **{name: _date(label, required)})

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made.__init__(self, *args, **kwargs)
        if not self.is_bound and name != "performance_due_on":
            self.initial[name] = timezone.localdate()

    return type(made.__name__, (made,), {"__init__": __init__, "__module__": __name__})


FORMS: dict[str, type[StepForm]] = {
    "accept": AcceptForm,
    "record_session": SessionForm,
    "assess_risk": RiskForm,
    "agree": _dated("agree", "performance_due_on", _("履行期限（书面协议必填）"), required=False),
    "apply_confirmation": _dated("apply_confirmation", "applied_on", _("申请日期")),
    "record_confirmation": _dated("record_confirmation", "decided_on", _("裁定日期")),
    "follow_up": _dated("follow_up", "visited_on", _("回访日期")),
}
FORMS |= {s.action: _made(s.action) for s in DISPUTE_FLOW.steps if s.action not in FORMS}


def step_form_for(action: str, dispute: Dispute, viewer: Any, **kwargs: Any) -> StepForm:
    return FORMS[action](record=dispute, viewer=viewer, **kwargs)
