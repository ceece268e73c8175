"""The forms of checking, evaluating and the ways across the loop: check, callback, escalate, supervise."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.people.models import Person

from ..choices import (
    Level,
    Satisfaction,
    Status,
    SupervisionKind,
    SupervisionReason,
)
from ..forms import set_choices, yes_no
from ..rules import COMMAND_ROLES
from ..services.core import reporter_ids
from ..services.escalation import open_supervision_kinds, supervision_open_error
from .base import ActionForm, MultipleFileField, PersonChoiceField, _grid_people


class CheckForm(ActionForm):
    """The command room sends a checker, or the checker (or the command room) records pass or fail."""

    action = "check"
    multipart = True
    checker = PersonChoiceField(
        label=_("派核查人员"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("不派员，直接填写结果"),
    )
    passed = forms.ChoiceField(
        label=_("核查结果"),
        choices=[("1", _("通过")), ("0", _("不通过（返工）"))],
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("核查意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label=_("核查照片"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        viewer = self.viewer
        command = viewer.is_superuser or viewer.role in COMMAND_ROLES
        if self.event.status == Status.FED_BACK and command:
            people = _grid_people(self.event, viewer).exclude(pk__in=reporter_ids(self.event))
            self.fields["checker"].queryset = people  # type: ignore[attr-defined]
            self.fields["checker"].help_text = _("或直接填写下方核查结果")
        else:
            del self.fields["checker"]
            self.fields["passed"].required = True
            self.fields["passed"].error_messages["required"] = _("请选择核查结果")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        passed = yes_no(data.get("passed")) if data.get("passed") else None
        if "checker" in self.fields and passed is None and not data.get("checker"):
            self.add_error("checker", _("请指定核查人员，或直接填写核查结果"))
        if passed is False and not (data.get("note") or "").strip():
            self.add_error("note", _("核查不通过须说明原因"))
        return data


class CallbackForm(ActionForm):
    action = "callback"
    help_text = _("电话回访反映人，记录满意度。")
    reached = forms.ChoiceField(
        label=_("是否联系上反映人"),
        choices=[("1", _("已联系上")), ("0", _("未能联系上"))],
        widget=forms.RadioSelect,
        initial="1",
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度"),
        choices=Satisfaction.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("回访记录"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reached") == "1" and data.get("satisfaction") is None:
            self.add_error("satisfaction", _("请选择满意度"))
        return data


class EscalateForm(ActionForm):
    action = "escalate"
    folded = True
    direction = forms.ChoiceField(choices=[("up", _("升级")), ("down", _("下派"))], widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写理由")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["direction"] = self.way

    @property
    def way(self) -> str:
        """Up a level, or (for a level-4 event at the district centre) back down to the township."""
        return "down" if self.event.level >= Level.DISTRICT else "up"

    @property
    def title(self) -> str:
        return gettext("下派到乡镇") if self.way == "down" else gettext("升级到上一层级")

    @property
    def button(self) -> str:
        return gettext("下派") if self.way == "down" else gettext("升级")


class SuperviseForm(ActionForm):
    action = "supervise"
    folded = True
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=SupervisionKind.choices,
        initial=SupervisionKind.SUPERVISE,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("原因"), choices=SupervisionReason.choices, initial=SupervisionReason.LEADER
    )
    days = forms.DecimalField(
        label=_("期限（工作日）"),
        min_value=Decimal("0.5"),
        max_value=30,
        decimal_places=1,
        initial=1,
        error_messages={
            "required": _("请填写期限"),
            "min_value": _("至少 0.5 个工作日"),
            "max_value": _("最多 30 个工作日"),
        },
    )
    note = forms.CharField(
        label=_("督办意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_kinds = open_supervision_kinds(self.event)
        if not self.is_bound:
            # Only the kinds with no open order are offered (a page posted from an older view is still
            # answered by `clean_kind`, with the service's own words).
            offered = [(k, label) for k, label in SupervisionKind.choices if k not in self.open_kinds]
            set_choices(self, "kind", offered)
            if self.open_kinds:
                labels = "、".join(str(SupervisionKind(k).label) for k in sorted(self.open_kinds))
                self.fields["kind"].help_text = gettext("已有未结束的{kinds}，办结前不再重复下发").format(
                    kinds=labels
                )
            if offered and self.initial.get("kind", self.fields["kind"].initial) in self.open_kinds:
                self.initial["kind"] = offered[0][0]

    @property
    def offers_nothing(self) -> bool:
        return self.open_kinds >= set(SupervisionKind.values)

    def clean_kind(self) -> str:
        kind = str(self.cleaned_data["kind"])
        if kind in self.open_kinds:
            raise forms.ValidationError(supervision_open_error(kind).message)
        return kind
