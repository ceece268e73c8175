"""通知公告: the notices a person received (unread first) and sent; publishing one to units, villages and grids; one
notice (opening it is the read receipt) with its receipts for the sender and the township's organisers."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.core.errors import DomainError
from grassroots.core.scope import code_prefix_q
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division, Grid
from grassroots.org.models import Unit
from grassroots.people.actors import person_of

from ..choices import Forum
from ..forms import township_units
from ..models import Notice, NoticeReceipt
from ..permissions import access_notice, may_convene, sees_receipts
from ..services.notices import default_remind_hours, notice_publish, notice_read


class NoticeForm(forms.Form):
    forum = forms.ChoiceField(label=gettext_lazy("发布平台"), choices=Forum.choices)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100)
    body = forms.CharField(label=gettext_lazy("正文"), widget=forms.Textarea(attrs={"rows": 5}))
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("发送单位"), queryset=Unit.objects.none(), required=False
    )
    villages = forms.ModelMultipleChoiceField(
        label=gettext_lazy("发送村社"), queryset=Division.objects.none(), required=False
    )
    grids = forms.ModelMultipleChoiceField(
        label=gettext_lazy("发送网格"), queryset=Grid.objects.none(), required=False
    )
    remind_after_hours = forms.IntegerField(
        label=gettext_lazy("未读多少工作小时后提醒"), min_value=1, max_value=240
    )

    def __init__(self, *args: Any, township: Division, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remind_after_hours"].initial = default_remind_hours()
        code = township.code
        cast(forms.ModelMultipleChoiceField, self.fields["units"]).queryset = township_units(code)
        villages = Division.objects.filter(code_prefix_q("code", code), level=DivisionLevel.VILLAGE)
        cast(forms.ModelMultipleChoiceField, self.fields["villages"]).queryset = villages.order_by("code")
        grids = Grid.objects.filter(code_prefix_q("code", code)).order_by("code")
        cast(forms.ModelMultipleChoiceField, self.fields["grids"]).queryset = grids


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    received = NoticeReceipt.objects.filter(person=person).select_related("notice", "notice__sender")
    sent = Notice.objects.filter(sender=person).order_by("-published_at")[:50]
    rows = list(received.order_by("-notice__published_at", "-pk")[:100])
    rows.sort(key=lambda r: r.read_at is not None)  # unread first, each part newest first
    context = {"received": rows, "sent": list(sent), "may_publish": may_convene(person)}
    return render(request, "meetings/notices.html", context)


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_convene(person):
        raise PermissionDenied("您的岗位不发布通知")
    code = (person.region_code or "")[:9]
    township = Division.objects.filter(code=code, level=DivisionLevel.TOWNSHIP).first()
    if township is None:
        raise Http404("请从所在乡镇发布通知")
    form = NoticeForm(request.POST or None, township=township)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_publish(
                actor=person,
                township=township,
                forum=data["forum"],
                title=data["title"],
                body=data["body"],
                units=list(data["units"]),
                villages=list(data["villages"]),
                grids=list(data["grids"]),
                remind_after_hours=data["remind_after_hours"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已发布通知"))
            return redirect("meetings:notice", notice.pk)
    status = 422 if form.is_bound else 200
    return render(request, "meetings/notice_new.html", {"form": form, "township": township}, status=status)


@login_required
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    person = person_of(request)
    notice = access_notice(person, notice_id)
    notice_read(person=person, notice=notice)
    receipts = None
    if sees_receipts(notice, person):
        receipts = list(notice.receipts.select_related("person").order_by("read_at", "pk"))
    return render(request, "meetings/notice.html", {"notice": notice, "receipts": receipts})
