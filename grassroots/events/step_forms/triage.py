"""The forms of triage and dispatch (调度分流): verify, register, merge, dispatch."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people import permissions as people_permissions
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.forms import NOTE

from ..choices import (
    Mode,
    Status,
)
from ..forms import set_choices
from ..models import Event
from ..permissions import visible_to
from ..routes import JOINT, PLATFORM, PLATFORM_UNITS, decision_choices, route_label
from ..selectors import UnitSuggestion
from ..services.core import reporter_ids
from .base import ActionForm, PersonChoiceField, _grid_people


class VerifyForm(ActionForm):
    """From REPORTED the command room sends a grid worker; from VERIFYING the verifier records what they found."""

    action = "verify"
    verifier = PersonChoiceField(
        label=_("核实人员"),
        queryset=Person.objects.none(),
        empty_label=_("请选择本网格的网格员"),
        error_messages={"required": _("请选择核实人员")},
    )
    valid = forms.ChoiceField(
        label=_("核实结果"),
        choices=[("1", _("属实")), ("0", _("不属实"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择核实结果")},
    )
    note = forms.CharField(
        label=NOTE, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.event.status == Status.REPORTED:
            del self.fields["valid"]
            people = _grid_people(self.event, self.viewer).exclude(pk__in=reporter_ids(self.event))
            self.fields["verifier"].queryset = people  # type: ignore[attr-defined]
        else:
            del self.fields["verifier"]

    @property
    def button(self) -> str:
        return gettext("派员核实") if "verifier" in self.fields else gettext("提交核实结果")


class RegisterForm(ActionForm):
    action = "register"
    help_text = _("立案后进入派遣。")
    mode = forms.ChoiceField(
        label=_("办理方式"),
        required=False,
        choices=[("", _("派遣时再定")), *Mode.choices],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=NOTE, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(ActionForm):
    action = "merge"
    folded = True
    help_text = _("把重复上报并入另一件未办结的事件，反映人会继续收到主事件的反馈。")
    into = forms.CharField(
        label=_("合并到（事件编号）"),
        max_length=40,
        error_messages={"required": _("请填写要合并到的事件编号")},
    )
    note = forms.CharField(label=NOTE, required=False, max_length=2000)

    def clean_into(self) -> Event:
        number = self.cleaned_data["into"].strip()
        target = visible_to(self.viewer).filter(number=number).first()
        if target is None:
            raise forms.ValidationError(_("目标事件不存在或不在您的管辖范围内"))
        return target


class DispatchForm(ActionForm):
    """派遣: a lead unit (suggestions first), optional assisting units (joint handling), and the mode."""

    action = "dispatch"
    lead_unit = forms.TypedChoiceField(
        label=_("主办单位"), coerce=int, error_messages={"required": _("请选择主办单位")}
    )
    assist_units = forms.TypedMultipleChoiceField(label=_("协办单位（联合处置）"), coerce=int, required=False)
    mode = forms.ChoiceField(
        label=_("办理方式"),
        choices=[c for c in Mode.choices if c[0] != Mode.DIRECT],
        initial=Mode.ASSIGNED,
        widget=forms.RadioSelect,
    )
    route = forms.ChoiceField(label=_("分流路径"), required=False)
    leader = PersonChoiceField(
        label=_("督办责任领导"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("（督办时必选）"),
    )
    note = forms.CharField(
        label=_("派遣意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self,
        *args: Any,
        units: Iterable[Unit] = (),
        suggestions: Iterable[UnitSuggestion] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = list(suggestions)
        suggested = {s.unit.pk for s in self.suggestions}
        units = list(units)
        by_kind: dict[str, list[tuple[str, str]]] = {}
        for unit in units:
            if unit.pk not in suggested:
                by_kind.setdefault(str(UnitKind(unit.kind).label), []).append((str(unit.pk), unit.name))
        lead: list[Any] = [("", _("请选择主办单位"))]
        if self.suggestions:
            lead.append((_("推荐"), [(str(s.unit.pk), f"★ {s.unit.name}") for s in self.suggestions]))
        lead.extend(by_kind.items())
        set_choices(self, "lead_unit", lead)
        self.fields["lead_unit"].widget.attrs["id"] = "dispatch-lead-unit"
        every = [(str(s.unit.pk), s.unit.name) for s in self.suggestions] + [
            (str(u.pk), u.name) for u in units if u.pk not in suggested
        ]
        set_choices(self, "assist_units", every)
        self.fields["assist_units"].widget.attrs.update({"id": "dispatch-assist-units", "size": 6})
        if self.suggestions and not self.is_bound:
            self.initial["lead_unit"] = str(self.suggestions[0].unit.pk)
        routes = [(r, route_label(r)) for r in (PLATFORM, PLATFORM_UNITS, JOINT)]
        set_choices(self, "route", [("", _("按所选单位判定")), *routes])
        leader_field = self.fields["leader"]
        assert isinstance(leader_field, forms.ModelChoiceField)
        leader_field.queryset = people_permissions.visible_to(self.viewer).filter(
            role=Role.LEADER, is_active=True
        )
        if not self.is_bound:
            self.initial["mode"] = (
                self.event.mode if self.event.mode in (Mode.ASSIGNED, Mode.SUPERVISED) else ""
            )
            self.initial["mode"] = self.initial["mode"] or Mode.ASSIGNED
            if self.event.route in (PLATFORM, PLATFORM_UNITS, JOINT):
                self.initial["route"] = self.event.route
            self.initial["leader"] = self.event.leader_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_unit") in (data.get("assist_units") or []):
            self.add_error("assist_units", _("协办单位不能与主办单位相同"))
        return data


class DecideRouteForm(ActionForm):
    """研判: the leader picks a route from the registry (other apps' routes too) and gives a note."""

    action = "decide_route"
    help_text = _("重大事项：决定分流路径并填写研判意见，指挥室按研判结果办理。")
    route = forms.ChoiceField(label=_("分流路径"), error_messages={"required": _("请选择分流路径")})
    note = forms.CharField(
        label=_("研判意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写研判意见")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "route", [("", _("请选择")), *decision_choices()])
