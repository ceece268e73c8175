"""The forms of the handling units' steps (处置反馈): extension and suspension (挂起) requests and decisions, feedback,
and the grid worker's own fix."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from grassroots.workcal.calendar import days_text
from grassroots.workflow.forms import NOTE

from ..choices import ExtensionStatus, SuspensionKind
from ..forms import set_choices
from .base import ActionForm, MultipleFileField


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


class DecisionForm(ActionForm):
    """The shift lead's decision on a unit's pending request (an extension, a suspension): which request, approve
    or reject, a note. Offered only while a request is pending."""

    request_field: ClassVar[str]
    approve = forms.ChoiceField(
        label=_("审批意见"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择批准或驳回")},
    )
    note = forms.CharField(label=NOTE, required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields([self.request_field, "approve", "note"])
        set_choices(self, self.request_field, [(str(r.pk), self.describe(r)) for r in self.pending])

    def requests(self) -> Iterable[Any]:
        raise NotImplementedError

    def describe(self, request: Any) -> str:
        raise NotImplementedError

    @property
    def pending(self) -> list[Any]:
        # A pending suspension says so as an extension does.
        return [r for r in self.requests() if r.status == ExtensionStatus.PENDING]

    @property
    def offers_nothing(self) -> bool:
        return not self.pending


class DecideExtensionForm(DecisionForm):
    action = "decide_extension"
    request_field = "request"
    request = forms.TypedChoiceField(
        label=_("延期申请"), coerce=int, error_messages={"required": _("请选择延期申请")}
    )

    def requests(self) -> Iterable[Any]:
        return self.event.extension_requests.all()

    def describe(self, request: Any) -> str:
        return f"{request.assignment.unit.name} 申请延长 {days_text(request.days)} 个工作日：{request.reason}"


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


# -- 挂起 (suspension): request, decision, resume -------------------------------------------------------------


class SuspensionRequestForm(ActionForm):
    action = "request_suspension"
    folded = True
    help_text = _("值班长批准后暂停计时，恢复办理时期限顺延暂停的时长；批准前计时照常进行。")
    kind = forms.ChoiceField(
        label=_("挂起事由"), choices=SuspensionKind.choices, error_messages={"required": _("请选择挂起事由")}
    )
    reason = forms.CharField(
        label=_("挂起说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写挂起说明")},
    )


class DecideSuspensionForm(DecisionForm):
    action = "decide_suspension"
    request_field = "suspension"
    suspension = forms.TypedChoiceField(
        label=_("挂起申请"), coerce=int, error_messages={"required": _("请选择挂起申请")}
    )

    def requests(self) -> Iterable[Any]:
        return self.event.suspensions.all()

    def describe(self, request: Any) -> str:
        return f"{request.assignment.unit.name}（{request.get_kind_display()}）：{request.reason}"
