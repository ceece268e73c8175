"""The public report form: a type, what is wrong, where (a pin or an address), and optionally who to call back."""

import re
import uuid
from collections import defaultdict
from typing import Any

from django import forms
from django.urls import reverse

from grassroots.events.models import EventType

from .validation import MAX_TEXT

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def service_choices(services: list[EventType]) -> list[Any]:
    """Types grouped by platform, as <optgroup>s."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for service in services:
        groups[str(service.get_platform_display())].append((service.code, service.name))
    return [("", "请选择问题类型"), *[(label, choices) for label, choices in groups.items()]]


class PublicReportForm(forms.Form):
    service_code = forms.ChoiceField(label="问题类型", error_messages={"required": "请选择问题类型"})
    description = forms.CharField(
        label="问题描述",
        max_length=MAX_TEXT,
        min_length=5,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "请描述看到的问题，例如：XX 路口井盖缺失，夜间很危险"}
        ),
        error_messages={"required": "请描述问题", "min_length": "请至少写 5 个字，说清楚问题"},
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = forms.CharField(
        label="详细地址（选填）",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "例如：西塘镇红菱村村委会门口"}),
    )
    name = forms.CharField(label="您的称呼（选填）", required=False, max_length=20)
    phone = forms.CharField(
        label="联系电话（选填）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text="仅用于回访，不会公开；不留电话即为匿名反映。",
    )
    # A field people do not see: a bot that fills every field gives itself away.
    website = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )
    # Makes a double tap on "提交" file one report, not two.
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, services: list[EventType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = service_choices(services)
        # The type's extra questions are swapped in when it changes (HTMX); without JavaScript they appear once
        # the form comes back with an error.
        field.widget.attrs.update(
            {"hx-get": reverse("report:attributes"), "hx-target": "#attributes", "hx-trigger": "change"}
        )
        if not self.is_bound:
            self.initial.setdefault("nonce", uuid.uuid4().hex)

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].replace(" ", "")
        if phone and not PHONE.match(phone):
            raise forms.ValidationError("请填写 11 位手机号或带区号的固定电话")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_pin = data.get("lat") is not None and data.get("lon") is not None
        if not has_pin and not (data.get("address") or "").strip():
            raise forms.ValidationError("请在地图上点选问题位置，或填写详细地址")
        return data


class LookupForm(forms.Form):
    number = forms.CharField(
        label="事件编号",
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": "例如 FW0403-20260115-000042", "autocapitalize": "characters"}
        ),
        error_messages={"required": "请输入事件编号"},
    )
