"""The administrator's page for Open311 clients' API keys (/integrations/open311-keys/): issue a client and its
key (shown once), list the clients, revoke one. Everyone else gets 404, like any page outside their work."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import InvalidInput
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.people.actors import person_of
from grassroots.people.permissions import administers_tokens

from ..models import OpenClient
from ..services import open_client_create, open_client_revoke


class OpenClientForm(forms.Form):
    name = forms.CharField(
        label=_("客户端名称"), max_length=100, error_messages={"required": _("请填写客户端名称")}
    )
    contact = forms.CharField(label=_("联系人/联系方式"), max_length=200, required=False)
    district = forms.ModelChoiceField(
        label=_("辖区（区县）"),
        queryset=Division.objects.none(),
        empty_label=None,
        help_text=_("密钥只能向该区县提交"),
    )
    rate_limit_per_minute = forms.IntegerField(
        label=_("每分钟提交上限"), min_value=1, max_value=10_000, initial=60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = Division.objects.filter(level=DivisionLevel.DISTRICT, valid_to__isnull=True).order_by(
            "code"
        )
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


def _administrator(request: HttpRequest) -> Any:
    person = person_of(request)
    if not administers_tokens(person):
        raise Http404("页面不存在")
    return person


@login_required
def keys(request: HttpRequest) -> HttpResponse:
    person = _administrator(request)
    form = OpenClientForm(request.POST or None)
    issued: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, key = open_client_create(
                actor=person,
                name=data["name"],
                district=data["district"],
                rate_limit_per_minute=data["rate_limit_per_minute"],
                contact=data["contact"],
            )
        except InvalidInput as refused:
            form.add_error(None, refused.message)
        else:
            issued = {"client": client, "key": key}
            form = OpenClientForm()
    clients = OpenClient.objects.select_related("district").order_by("-created_at", "-id")
    context = {"form": form, "issued": issued, "clients": clients}
    response = render(request, "open311/keys.html", context)
    response["Cache-Control"] = "no-store"  # the page may hold a key shown once
    return response


@login_required
@require_POST
def key_revoke(request: HttpRequest, client_id: int) -> HttpResponse:
    person = _administrator(request)
    client = OpenClient.objects.filter(pk=client_id).first()
    if client is None:
        raise Http404("客户端不存在")
    if client.revoked_at is None:
        open_client_revoke(actor=person, client=client)
        messages.success(request, f"已吊销“{client.name}”的密钥，使用它的请求将立即被拒绝")
    else:
        messages.info(request, f"“{client.name}”的密钥此前已吊销")
    return redirect("open311_keys:list")
