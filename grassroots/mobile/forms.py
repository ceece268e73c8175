"""Forms of the phone pages. They only check shapes; the services decide (and say why, in Chinese)."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.events.models import EventType

from .choices import VisitKind

YES_NO = [("1", "1"), ("0", "0")]


class ReportForm(forms.Form):
    """The report form when the page posts without JavaScript (with it, the phone sends to the API)."""

    event_type = forms.CharField(
        label=_("事件类型"), max_length=16, error_messages={"required": _("请选择事件类型")}
    )
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    description = forms.CharField(label=_("描述"), required=False, max_length=4000)
    address = forms.CharField(label=_("地址"), max_length=300, required=False)
    lon = forms.FloatField(required=False)
    lat = forms.FloatField(required=False)
    idempotency_key = forms.CharField(max_length=64, required=False)
    fixed = forms.BooleanField(label=_("已现场处置"), required=False)
    fix_note = forms.CharField(label=_("处置说明"), max_length=1000, required=False)
    visit = forms.IntegerField(required=False)

    def clean_event_type(self) -> EventType:
        code = self.cleaned_data["event_type"]
        event_type = (
            EventType.objects.in_force().filter(code=code, is_active=True, parent__isnull=False).first()
        )
        if event_type is None:
            raise forms.ValidationError(_("请从列表中选择事件类型"))
        return event_type

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event_type = data.get("event_type")
        if event_type is not None and not (data.get("title") or "").strip():
            data["title"] = event_type.name  # the type's name is title enough for a patrol report
        return data


class TaskForm(forms.Form):
    """The verifier's or checker's finding on site."""

    result = forms.ChoiceField(choices=YES_NO, error_messages={"required": _("请选择结果")})
    note = forms.CharField(label=_("说明"), max_length=2000, required=False)

    @property
    def passed(self) -> bool:
        return self.cleaned_data["result"] == "1"


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("走访类型"), choices=VisitKind.choices, initial=VisitKind.HOUSEHOLD)
    household = forms.CharField(
        label=_("走访对象"),
        max_length=100,
        error_messages={"required": _("请填写走访对象（户主姓名或企业名称）")},
    )
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    visited_at = forms.DateTimeField(
        label=_("走访时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"required": _("请填写走访时间"), "invalid": _("时间格式不正确")},
    )
    notes = forms.CharField(label=_("走访情况"), max_length=4000, required=False)
    follow_up = forms.BooleanField(label=_("需跟进"), required=False)
    lon = forms.FloatField(required=False)
    lat = forms.FloatField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("visited_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
