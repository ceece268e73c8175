"""Forms of the command-room pages: the queue's filters and bulk actions, and one form per step of the loop.

Forms only read and check what a person typed (in Chinese, next to the field); the views hand the cleaned values
to the services, and a refusal from a service (`DomainError`) comes back onto the form with `add_domain_error`,
next to the field it names, so the page shows it where the person typed and keeps what they typed.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import DomainError
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.geo.models import Grid
from grassroots.org.choices import PlatformKind, UnitKind
from grassroots.org.models import Unit
from grassroots.people import permissions as people_permissions
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import days_text

from .choices import (
    ExtensionStatus,
    Level,
    Mode,
    Satisfaction,
    Source,
    Status,
    SupervisionKind,
    SupervisionReason,
)
from .models import Event, EventType
from .permissions import visible_to
from .rules import COMMAND_ROLES
from .selectors import LIGHTS, UnitSuggestion
from .services.core import reporter_ids
from .services.escalation import open_supervision_kinds, supervision_open_error

NOTE = _("说明")
Text = str | Promise  # a label, translated when shown
YES_NO = [("1", _("是")), ("0", _("否"))]


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
    type = forms.ChoiceField(label=_("分类"), required=False)
    grid = forms.ChoiceField(label=_("网格"), required=False)
    unit = forms.TypedChoiceField(label=_("责任单位"), required=False, coerce=int, empty_value=None)
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
        types = list(EventType.objects.filter(is_active=True).order_by("code"))
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


# -- one form per step of the loop --------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or audio notes in one input (`photos`); their type and size are checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,audio/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial


# Where a service's `details` key points on the page's forms.
DETAIL_FIELDS = {
    "verifier": "verifier",
    "valid": "valid",
    "reason": "reason",
    "note": "note",
    "feedback": "feedback",
    "days": "days",
    "satisfaction": "satisfaction",
    "checker": "checker",
    "lead_unit_id": "lead_unit",
    "units": "lead_unit",
    "assist_unit_ids": "assist_units",
    "mode": "mode",
    "into_id": "into",
    "direction": "direction",
    "kind": "kind",
    "files": "photos",
}
FILE_ERRORS = {"unsupported_file_type", "file_too_large", "empty_file"}


class ActionForm(forms.Form):
    """A step of the loop on one event. `version` is the event's version the person saw: if someone else moved
    the event meanwhile, the step is refused instead of acting on a state they never saw."""

    action: ClassVar[str] = ""
    submit_label: ClassVar[Text] = ""
    help_text: ClassVar[Text] = ""
    multipart: ClassVar[bool] = False
    # Steps shown folded on the event page (less common, or a way out of the normal path).
    folded: ClassVar[bool] = False

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, event: Event, viewer: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        super().__init__(*args, **kwargs)
        self.event = event
        self.viewer = viewer
        if not self.is_bound:
            self.initial["version"] = event.version

    @property
    def offers_nothing(self) -> bool:
        """True when the step has nothing left to choose on this event (the page then leaves it out)."""
        return False

    @property
    def title(self) -> str:
        from .rules import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    @property
    def button(self) -> str:
        return str(self.submit_label or self.title)

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal next to the field it concerns, or above the form."""
        field = None
        if isinstance(exc.details, dict):
            field = next((DETAIL_FIELDS[k] for k in exc.details if DETAIL_FIELDS.get(k) in self.fields), None)
        if field is None and exc.code in FILE_ERRORS and "photos" in self.fields:
            field = "photos"
        self.add_error(field, exc.message)


class NoteForm(ActionForm):
    note = forms.CharField(
        label=NOTE, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason_label: ClassVar[Text] = _("理由")
    folded = True

    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = str(self.reason_label)
        self.fields["reason"].error_messages["required"] = f"请填写{self.reason_label}"


def _grid_people(event: Event, viewer: Any) -> Any:
    """Grid workers who can go on site for `event`: its grid's team, or its village's when it has no grid.

    Not sliced: a ModelChoiceField validates the submitted choice with `queryset.get(pk=…)`, which a sliced queryset
    refuses, so every choice would be rejected. A grid team or a village's grid workers are tens of people."""
    people = people_permissions.visible_to(viewer).filter(
        role__in=[Role.GRID_WORKER, Role.GRID_HEAD], is_active=True
    )
    if event.grid_id is not None:
        people = people.filter(grid_id=event.grid_id)
    else:
        people = people.filter(code_prefix_q("region_code", event.region_code[:12] or event.region_code))
    return people.order_by("role", "name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"


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


class VoidForm(ReasonForm):
    action = "void"
    reason_label = _("不予立案理由")


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
        label=_("办理方式"), choices=Mode.choices, initial=Mode.ASSIGNED, widget=forms.RadioSelect
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lead_unit") in (data.get("assist_units") or []):
            self.add_error("assist_units", _("协办单位不能与主办单位相同"))
        return data


class SignForm(NoteForm):
    action = "sign"
    help_text = _("签收后开始计时处置。")


class HandleForm(NoteForm):
    action = "handle"
    help_text = _("记录已开始现场处置。")


class ReturnForm(ReasonForm):
    action = "return"
    reason_label = _("退回原因")
    help_text = _("不属于本单位职责时退回指挥室重新派遣。")


class ExtensionRequestForm(ActionForm):
    action = "request_extension"
    folded = True
    help_text = _("批准前计时照常进行。")
    days = forms.DecimalField(
        label=_("延长（工作日）"),
        min_value=Decimal("0.5"),
        max_value=30,
        decimal_places=1,
        initial=1,
        error_messages={
            "required": _("请填写延期天数"),
            "min_value": _("至少 0.5 个工作日"),
            "max_value": _("最多 30 个工作日"),
            "invalid": _("请填写数字"),
            "max_decimal_places": _("最多保留一位小数"),
        },
    )
    reason = forms.CharField(
        label=_("延期理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写延期理由")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].widget.attrs["step"] = "0.5"


class DecideExtensionForm(ActionForm):
    action = "decide_extension"
    request = forms.TypedChoiceField(
        label=_("延期申请"), coerce=int, error_messages={"required": _("请选择延期申请")}
    )
    approve = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择批准或驳回")},
    )
    note = forms.CharField(label=NOTE, required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self,
            "request",
            [
                (str(r.pk), f"{r.assignment.unit.name} 申请延长 {days_text(r.days)} 个工作日：{r.reason}")
                for r in self.pending
            ],
        )

    @property
    def pending(self) -> list[Any]:
        return [r for r in self.event.extension_requests.all() if r.status == ExtensionStatus.PENDING]

    @property
    def offers_nothing(self) -> bool:
        return not self.pending


class FeedBackForm(ActionForm):
    action = "feed_back"
    multipart = True
    help_text = _("填写处置情况并上传处置后照片，提交后由指挥室安排核查。")
    feedback = forms.CharField(
        label=_("处置情况"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写处置情况")},
    )
    photos = MultipleFileField(label=_("处置照片"), required=False)


class SelfHandleForm(ActionForm):
    action = "self_handle"
    multipart = True
    help_text = _("网格员现场已解决的小问题，须上传处置前后照片。")
    note = forms.CharField(
        label=_("处置情况"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = MultipleFileField(label=_("处置前后照片"), error_messages={"required": _("请上传处置前后照片")})


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


class CloseForm(NoteForm):
    action = "close"
    help_text = _("结案后结果反馈给指挥室和反映人。")


class ArchiveForm(NoteForm):
    action = "archive"


class ReopenForm(ReasonForm):
    action = "reopen"
    reason_label = _("重启原因")


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


ACTION_FORMS: dict[str, type[ActionForm]] = {
    form.action: form
    for form in (
        SelfHandleForm,
        VerifyForm,
        RegisterForm,
        VoidForm,
        MergeForm,
        DispatchForm,
        SignForm,
        HandleForm,
        ReturnForm,
        ExtensionRequestForm,
        DecideExtensionForm,
        FeedBackForm,
        CheckForm,
        CallbackForm,
        CloseForm,
        ArchiveForm,
        ReopenForm,
        EscalateForm,
        SuperviseForm,
    )
}

__all__ = ["ACTION_FORMS", "LIGHTS", "YES_NO", "ActionForm", "BulkForm", "QueueFilterForm", "SavedFilterForm"]
