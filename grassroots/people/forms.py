"""The token page's form: a name, read or write, and how long the token lives."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import TokenScope
from .services import TOKEN_NAME_MAX

EXPIRY_DAYS = [(7, _("7 天")), (30, _("30 天")), (90, _("90 天")), (180, _("180 天")), (365, _("1 年"))]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=TOKEN_NAME_MAX,
        help_text=_("写明用途，便于以后辨认和吊销，例如“区数据平台同步”"),
        error_messages={"required": _("请填写令牌名称")},
    )
    scope = forms.ChoiceField(
        label=_("权限"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("只读令牌只能查询；提交或修改数据需要读写令牌"),
    )
    days = forms.TypedChoiceField(
        label=_("有效期"), choices=EXPIRY_DAYS, coerce=int, initial=90, help_text=_("到期后令牌自动失效")
    )

    def expires_at(self) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=self.cleaned_data["days"])
