"""The case page's forms of the steps. Most are made from the step's schema (`workflow.forms.step_form`); those that
need choices per case (the four conditions of 立案, the chair, the approving head, who asked for an extension), a
date or a file get their fields here. Every one hands `payload()` to the same schema and service call as the JSON
endpoint (`steps.STEPS`)."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import InvalidInput
from grassroots.people.models import Person
from grassroots.workflow.forms import StepForm as BaseStepForm
from grassroots.workflow.forms import step_form

from ..choices import CasePenaltyKind, DiscretionLevel, FilingCondition
from ..models import EnforcementCase
from ..permissions import HEAD_ROLES, is_head
from ..services.discretion import proposed_range
from ..steps import CASE_FLOW


class StepForm(BaseStepForm):
    flow = CASE_FLOW


def _made(action: str, **fields: Any) -> Any:
    """The form made from the step's schema, with `fields` replacing the made ones."""
    made = step_form(CASE_FLOW.step(action), StepForm)
    return type(made.__name__, (made,), {**fields, "__module__": __name__})


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写{label}").format(label=label), "invalid": _("日期格式不正确")},
    )


def _moment(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("时间格式不正确")},
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _person(label: Any, required: bool = True) -> PersonChoice:
    return PersonChoice(
        label=label,
        queryset=Person.objects.none(),
        required=required,
        empty_label=_("请选择"),
        error_messages={"required": _("请选择{label}").format(label=label)},
    )


def heads_of(case: EnforcementCase) -> list[Person]:
    """Who may sign off for the case's unit (负责人): leaders and platform coordinators over it."""
    people = Person.objects.filter(role__in=HEAD_ROLES, is_active=True).order_by("name", "pk")
    return [p for p in people if is_head(p, case.unit)]


def level_choices(case: EnforcementCase) -> list[tuple[str, str]]:
    """The power's levels with their ranges (从轻处罚：100.00–1000.00 元), lightest first."""
    found = []
    for level in DiscretionLevel:
        try:
            found.append((level.value, proposed_range(case.power, level.value).text()))
        except InvalidInput:  # a level the power's table does not have is not offered
            continue
    return found


class ApproveFilingForm(_made("approve_filing")):  # type: ignore[misc]
    """批准立案: the head ticks each of the four conditions of 第十九条."""

    conditions = forms.MultipleChoiceField(
        label=_("立案条件（四项均须符合）"),
        choices=FilingCondition.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请逐项确认立案条件")},
    )

    def payload(self) -> Any:
        return self.schema(conditions=self.cleaned_data["conditions"], note=self.cleaned_data["note"])


def _extend_form(action: str) -> Any:
    """An extension approved by the head (the actor), naming the officer of the case who asked for it."""
    made = _made(action, requested_by_id=_person(_("申请人"), required=False))

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        made.__init__(self, *args, **kwargs)
        self.fields["requested_by_id"].queryset = self.record.officers.order_by("pk")

    return type(made.__name__, (made,), {"__init__": __init__, "__module__": __name__})


ExtendLeadForm = _extend_form("extend_lead")
ExtendCaseForm = _extend_form("extend_case")


class EvidenceForm(_made("add_evidence")):  # type: ignore[misc]
    """登记证据: the file (a photo, a PDF, a recording; the page's file box) or a note, where and when."""

    description = forms.CharField(
        label=_("证明对象/说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    taken_at = _moment(_("取证时间（默认现在）"))
    lon = forms.FloatField(label=_("经度"), required=False)
    lat = forms.FloatField(label=_("纬度"), required=False)

    def payload(self) -> Any:
        data = self.cleaned_data
        taken_at = data.get("taken_at")
        if taken_at is not None and timezone.is_naive(taken_at):
            taken_at = timezone.make_aware(taken_at)
        return self.schema(
            kind=data["kind"],
            description=data.get("description", ""),
            lon=data.get("lon"),
            lat=data.get("lat"),
            taken_at=taken_at,
        )


class ProposeForm(_made("propose")):  # type: ignore[misc]
    """拟定处罚意见 at a level of the power's table (its ranges in the choice); outside the range, a reason and
    the approving head."""

    level = forms.ChoiceField(label=_("裁量阶次（本职权的裁量基准）"), choices=())
    amount = forms.DecimalField(label=_("罚款金额（元）"), required=False, min_value=0, decimal_places=2)
    approver_id = _person(_("批准超幅度的负责人（超出幅度时）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = level_choices(self.record)
        heads = heads_of(self.record)
        field = cast(forms.ModelChoiceField, self.fields["approver_id"])
        field.queryset = Person.objects.filter(pk__in=[p.pk for p in heads]).order_by("name")
        if not self.is_bound and self.record.penalty_kind:
            self.initial |= {
                "penalty_kind": self.record.penalty_kind,
                "level": self.record.discretion_level,
                "amount": self.record.proposed_amount,
            }


class ScheduleHearingForm(_made("schedule_hearing")):  # type: ignore[misc]
    """安排听证: the notice's and the hearing's days, the place, and a chair who did not investigate."""

    notice_on = _date(_("听证通知日期"))
    hearing_on = _date(_("听证日期"))
    place = forms.CharField(label=_("听证地点"), max_length=200)
    chair_id = _person(_("听证主持人"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officers = self.record.officers.values("pk")
        staff = Person.objects.filter(unit_id=self.record.unit_id, is_active=True).exclude(pk__in=officers)
        cast(forms.ModelChoiceField, self.fields["chair_id"]).queryset = staff.order_by("name", "pk")


class DecideForm(_made("decide")):  # type: ignore[misc]
    """作出决定, the proposal's kind, level and amount filled in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", "—"), *level_choices(self.record)]
        kinds = cast(forms.ChoiceField, self.fields["penalty_kind"])
        kinds.choices = [("", "—"), *CasePenaltyKind.choices]
        if not self.is_bound and self.record.penalty_kind:
            self.initial |= {
                "outcome": "penalty",
                "penalty_kind": self.record.penalty_kind,
                "level": self.record.discretion_level,
                "amount": self.record.proposed_amount,
            }


class ServeForm(_made("serve", served_at=_moment(_("送达时间（默认现在）")))):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["recipient"] = self.record.party_representative or self.record.party_name

    def payload(self) -> Any:
        served_at = self.cleaned_data.get("served_at")
        if served_at is not None and timezone.is_naive(served_at):
            self.cleaned_data["served_at"] = timezone.make_aware(served_at)
        return super().payload()


class ExecuteForm(_made("execute", paid_on=_date(_("缴款日期"), required=False))):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.record.decided_amount:
            self.initial |= {"paid_amount": self.record.decided_amount, "paid_on": timezone.localdate()}


class OnSpotForm(_made("decide_on_spot")):  # type: ignore[misc]
    """当场处罚: the level is optional (a browser would otherwise send the first one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["level"]).choices = [("", "—"), *level_choices(self.record)]


FORMS: dict[str, type[StepForm]] = {
    "decide_on_spot": OnSpotForm,
    "approve_filing": ApproveFilingForm,
    "extend_lead": ExtendLeadForm,
    "extend_case": ExtendCaseForm,
    "add_evidence": EvidenceForm,
    "propose": ProposeForm,
    "schedule_hearing": ScheduleHearingForm,
    "decide": DecideForm,
    "serve": ServeForm,
    "execute": ExecuteForm,
}


FORMS |= {s.action: _made(s.action) for s in CASE_FLOW.steps if s.action not in FORMS}


def step_form_for(action: str, case: EnforcementCase, viewer: Any, **kwargs: Any) -> StepForm:
    return FORMS[action](record=case, viewer=viewer, **kwargs)
