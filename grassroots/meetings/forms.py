"""The meeting page's forms: attendance per person asked, an agenda item naming a record of any linked workflow, a
decision with its owner and limit, and the steps whose schema alone makes the form; the decision page's; and the
form that arranges a meeting. Each step form hands `payload()` to the same schema and service as the JSON
endpoint."""

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import code_prefix_q
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workflow import links
from grassroots.workflow.forms import StepForm as BaseStepForm
from grassroots.workflow.forms import step_form

from .choices import Forum, MeetingKind, Presence
from .models import AgendaItem
from .steps import MEETING_FLOW, TASK_FLOW

PRESENCE = [(Presence.PRESENT, _("出席")), (Presence.LEAVE, _("请假")), (Presence.ABSENT, _("缺席"))]


def township_people(code: str) -> QuerySet[Person]:
    """Staff of the township: by their region, or by their unit's."""
    in_township = code_prefix_q("region_code", code) | code_prefix_q("unit__division__code", code)
    return (
        Person.objects.filter(in_township, is_active=True).exclude(password__startswith="!").order_by("name")
    )


def township_units(code: str) -> QuerySet[Unit]:
    return Unit.objects.filter(code_prefix_q("division__code", code), is_active=True).order_by("code")


class StepForm(BaseStepForm):
    flow = MEETING_FLOW


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.unit}）" if obj.unit_id else obj.name


class AttendanceForm(StepForm):
    """签到: one choice per person asked (出席 / 请假 / 缺席)."""

    action = "hold"
    help_text = _("逐人登记出席情况；未登记的记为缺席。")
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(self.record.attendances.select_related("person", "unit"))
        for row in self.rows:
            initial = row.presence if row.presence != Presence.INVITED else None
            self.fields[f"presence_{row.pk}"] = forms.ChoiceField(
                label=str(row) + (f"（{row.unit}）" if row.person_id and row.unit_id else ""),
                choices=PRESENCE,
                widget=forms.RadioSelect,
                required=False,
                initial=initial,
            )

    def payload(self) -> Any:
        rows = [
            {"id": row.pk, "presence": value}
            for row in self.rows
            if (value := self.cleaned_data.get(f"presence_{row.pk}"))
        ]
        return self.schema(attendance=rows, note=self.cleaned_data.get("note", ""))


class CorrectAttendanceForm(AttendanceForm):
    action = "record_attendance"
    folded = True
    help_text = _("更正个别人员的出席情况。")


class InviteForm(StepForm):
    action = "invite"
    folded = True
    person = PersonChoice(label=_("参会人员"), queryset=Person.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("或单位"), queryset=Unit.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.record.township.code
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = township_people(code)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = township_units(code)

    def payload(self) -> Any:
        data = self.cleaned_data
        person, unit = data.get("person"), data.get("unit")
        return self.schema(
            person_id=person.pk if person else None, unit_id=unit.pk if unit else None, note=data["note"]
        )


def linkable_workflows() -> list[tuple[str, str]]:
    """The workflows whose records an agenda item may name: every one registered for links, but meetings."""
    return [(name, label) for name, label in links.link_workflows() if not name.startswith("meeting")]


class AgendaForm(StepForm):
    action = "add_agenda"
    help_text = _("议题可关联一条记录（事件、执法案件、办件、检查等），填写其类型和编号（ID）。")
    topic = forms.CharField(label=_("议题"), max_length=200)
    note = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    workflow = forms.ChoiceField(label=_("关联记录类型"), required=False)
    record_id = forms.IntegerField(label=_("关联记录编号（ID）"), required=False, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["workflow"]).choices = [("", "—"), *linkable_workflows()]

    def payload(self) -> Any:
        data = self.cleaned_data
        return self.schema(
            title=data["topic"],
            note=data["note"],
            workflow=data["workflow"] or "",
            record_id=data.get("record_id"),
        )


class DecisionForm(StepForm):
    action = "decide"
    help_text = _(
        "每项决定指定责任单位或责任人和办理时限（工作日，自次日起算，节假日顺延），到期未办结即超期督办。"
    )
    text = forms.CharField(label=_("决定事项"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    owner_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.none(), required=False)
    owner_person = PersonChoice(label=_("责任人"), queryset=Person.objects.none(), required=False)
    limit_days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=90, initial=5)
    agenda_item = forms.ModelChoiceField(
        label=_("所属议题"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.record.township.code
        cast(forms.ModelChoiceField, self.fields["owner_unit"]).queryset = township_units(code)
        cast(forms.ModelChoiceField, self.fields["owner_person"]).queryset = township_people(code)
        cast(forms.ModelChoiceField, self.fields["agenda_item"]).queryset = self.record.agenda.all()

    def payload(self) -> Any:
        data = self.cleaned_data
        unit, person, item = data.get("owner_unit"), data.get("owner_person"), data.get("agenda_item")
        return self.schema(
            text=data["text"],
            owner_unit_id=unit.pk if unit else None,
            owner_person_id=person.pk if person else None,
            limit_days=data["limit_days"],
            agenda_item_id=item.pk if item else None,
        )


def _made(flow: Any, base: type[BaseStepForm], action: str) -> type[BaseStepForm]:
    made = step_form(flow.step(action), base)
    return type(made.__name__, (made,), {"__module__": __name__})


FORMS: dict[str, type[BaseStepForm]] = {
    "invite": InviteForm,
    "add_agenda": AgendaForm,
    "hold": AttendanceForm,
    "record_attendance": CorrectAttendanceForm,
    "decide": DecisionForm,
    **{
        a: _made(MEETING_FLOW, StepForm, a)
        for a in ("record_minutes", "approve_minutes", "export_minutes", "cancel")
    },
}


def meeting_form_for(action: str, meeting: Any, viewer: Any, **kwargs: Any) -> BaseStepForm:
    form = FORMS[action](record=meeting, viewer=viewer, **kwargs)
    if action == "record_minutes" and not form.is_bound:
        form.initial["minutes"] = meeting.minutes
    return form


class TaskStepForm(BaseStepForm):
    flow = TASK_FLOW


TASK_FORMS = {a: _made(TASK_FLOW, TaskStepForm, a) for a in ("complete", "withdraw")}


def task_form_for(action: str, task: Any, viewer: Any, **kwargs: Any) -> BaseStepForm:
    return TASK_FORMS[action](record=task, viewer=viewer, **kwargs)


class MeetingForm(forms.Form):
    """安排会议."""

    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    forum = forms.ChoiceField(label=_("平台"), choices=Forum.choices)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    convenor = PersonChoice(
        label=_("召集人（不填为协调组组长）"), queryset=Person.objects.none(), required=False
    )
    invite_group = forms.BooleanField(
        label=_("邀请本平台协调组组长及成员单位负责人"), required=False, initial=True
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("另行邀请"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, township_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = township_people(township_code)
        cast(forms.ModelChoiceField, self.fields["convenor"]).queryset = people
        cast(forms.ModelMultipleChoiceField, self.fields["attendees"]).queryset = people.filter(~Q(role=""))
