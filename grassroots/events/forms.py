"""Forms of the command-room queue: its filters, saved filters and bulk actions. The forms of the loop's steps are
in `step_forms.py`.

Forms only read and check what a person typed (in Chinese, next to the field); the views hand the cleaned values
to the services.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.scope import scope_of
from grassroots.core.widgets import PlainSelect
from grassroots.geo.models import Grid
from grassroots.org.choices import PlatformKind
from grassroots.org.models import Unit
from grassroots.workflow.forms import NOTE, YES_NO

from .choices import (
    Level,
    Mode,
    Source,
    Status,
    SupervisionKind,
)
from .models import EventType
from .selectors import LIGHTS

Text = str | Promise  # a label, translated when shown


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    """Choices computed per request (the viewer's grids, units, the event's pending requests)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def yes_no(value: Any) -> bool | None:
    """ "1"/"0" (and "true"/"false") from a radio button; None when not answered."""
    return {"1": True, "0": False, "true": True, "false": False}.get(str(value).lower())


# -- the queue ----------------------------------------------------------------------------------------------

LIGHT_CHOICES = [
    ("", _("全部灯色")),
    ("red", _("红灯（超期）")),
    ("yellow", _("黄灯（预警）")),
    ("green", _("绿灯（正常）")),
]
STATUS_OPEN = "open"
STATUS_ALL = "all"
SORT_CHOICES = [("new", _("最新上报")), ("due", _("期限最近"))]


class QueueFilterForm(forms.Form):
    """The live queue's filters, read from the query string (GET), so a filtered view is a link."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    light = forms.ChoiceField(label=_("灯色"), required=False, choices=LIGHT_CHOICES)
    status = forms.ChoiceField(label=_("状态"), required=False)
    level = forms.TypedChoiceField(
        label=_("层级"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("全部层级")), *Level.choices],
    )
    platform = forms.ChoiceField(
        label=_("平台"), required=False, choices=[("", _("全部平台")), *PlatformKind.choices]
    )
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部来源")), *Source.choices]
    )
    # PlainSelect: one option per grid or unit of the viewer's region, thousands for a city (core/widgets.py).
    type = forms.ChoiceField(label=_("分类"), required=False, widget=PlainSelect)
    grid = forms.ChoiceField(label=_("网格"), required=False, widget=PlainSelect)
    unit = forms.TypedChoiceField(
        label=_("责任单位"), required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    reported_from = forms.DateField(
        label=_("上报日期起"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请填写有效日期，如 2026-05-01")},
    )
    reported_to = forms.DateField(
        label=_("上报日期止"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请填写有效日期，如 2026-05-31")},
    )
    # A checked box reads "1" in the link, as the other filters read their value.
    supervised = forms.BooleanField(
        label=_("督办中"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    pending = forms.BooleanField(
        label=_("待审批"), required=False, widget=forms.CheckboxInput(attrs={"value": "1"})
    )
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORT_CHOICES)

    # The query-string keys that make a filter (page and sort are how it is shown, not what it selects).
    FILTER_KEYS: ClassVar[tuple[str, ...]] = (
        "q",
        "light",
        "status",
        "level",
        "platform",
        "type",
        "grid",
        "unit",
        "source",
        "reported_from",
        "reported_to",
        "supervised",
        "pending",
    )

    def __init__(self, *args: Any, viewer: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"id": "filter-q", "placeholder": _("编号、标题、地址 （按 / 聚焦）"), "type": "search"}
        )
        self.fields["light"].widget.attrs["id"] = "filter-light"
        set_choices(
            self,
            "status",
            [
                (STATUS_OPEN, _("未办结（全部）")),
                (STATUS_ALL, _("全部状态")),
                *Status.choices,
            ],
        )
        scope = scope_of(viewer)
        types = list(EventType.objects.in_force().filter(is_active=True).order_by("code"))
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for t in types:
            if t.parent_id is None:
                groups.append((t.name, [(t.code, f"{t.name}（全部）")]))
            elif groups:
                groups[-1][1].append((t.code, f"{t.code} {t.name}"))
        set_choices(self, "type", [("", _("全部分类")), *groups])
        # The grids of the viewer's region and the units of its township (none without a region: no query).
        grids = list(
            Grid.objects.filter(scope.q(region_field="code"))
            .select_related("village")
            .only("code", "name", "village__name")
            .order_by("code")
        )
        township = scope.widened_to(9)
        units = list(
            Unit.objects.filter(township.q(region_field="division__code"), is_active=True).order_by("code")
        )
        set_choices(
            self,
            "grid",
            [
                ("", _("全部网格")),
                *[(g.code, f"{g.village.name} {g.name}") for g in grids],
            ],
        )
        set_choices(self, "unit", [("", _("全部单位")), *[(str(u.pk), u.name) for u in units]])
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and start > end:
            # Neither end applies until the range is put right: half a range would select something unasked.
            self.add_error("reported_to", gettext("开始日期不能晚于结束日期，请修改日期范围"))
            data.pop("reported_from", None)
        return data

    def filter_values(self) -> dict[str, Any]:
        """The valid filters (an invalid one is shown with its error and left out); a ticked box reads "1"."""
        data = getattr(self, "cleaned_data", {})
        values: dict[str, Any] = {}
        for key in self.FILTER_KEYS:
            value = data.get(key)
            if value is None or value == "" or value is False:
                continue
            values[key] = "1" if value is True else value
        return values


class SavedFilterForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=40,
        error_messages={"required": _("请填写筛选名称"), "max_length": _("不超过 40 个字")},
    )
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)


BULK_ACTIONS = [("register", _("批量立案")), ("dispatch", _("批量派遣")), ("supervise", _("批量督办"))]
MAX_BULK = 200


class IdListField(forms.Field):
    """Repeated `ids=…` values as a list of event ids (each is checked against the viewer's scope later)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("事件选择有误，请刷新后重选")) from None
        if len(ids) > MAX_BULK:
            raise forms.ValidationError(f"一次最多处理 {MAX_BULK} 件事件")
        return list(dict.fromkeys(ids))


class BulkForm(forms.Form):
    """One action on several events; each event goes through the service on its own."""

    ids = IdListField(error_messages={"required": _("请先勾选事件")})
    bulk_action = forms.ChoiceField(label=_("批量操作"), choices=BULK_ACTIONS)
    lead_unit = forms.TypedChoiceField(label=_("派遣至"), required=False, coerce=int, empty_value=None)
    mode = forms.ChoiceField(label=_("办理方式"), choices=Mode.choices, initial=Mode.ASSIGNED, required=False)
    supervise_kind = forms.ChoiceField(
        label=_("督办类型"),
        choices=SupervisionKind.choices,
        initial=SupervisionKind.SUPERVISE,
        required=False,
    )
    days = forms.DecimalField(
        label=_("督办期限（工作日）"),
        min_value=Decimal("0.5"),
        max_value=30,
        decimal_places=1,
        required=False,
    )
    note = forms.CharField(label=NOTE, required=False, max_length=2000)
    back = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Iterable[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "lead_unit", [("", _("选择主办单位")), *[(str(u.pk), u.name) for u in units]])
        self.fields["lead_unit"].widget.attrs["id"] = "bulk-lead-unit"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("bulk_action") == "dispatch" and not data.get("lead_unit"):
            self.add_error("lead_unit", _("请选择主办单位"))
        return data


__all__ = ["LIGHTS", "YES_NO", "BulkForm", "QueueFilterForm", "SavedFilterForm"]
