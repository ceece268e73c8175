"""The window's accept page (一窗受理): pick the item, check the materials against its list, and in one step accept,
give the one-time notice of everything missing, or refuse in writing. And the village agent's forward page (代办)."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import DomainError
from grassroots.events.models import Event
from grassroots.events.permissions import visible_to as event_visible_to
from grassroots.org.choices import PlatformKind
from grassroots.people.choices import Role

from .. import services
from ..choices import ApplicantKind, Channel, MaterialNeed
from ..models import ServiceItem
from ..selectors import centre_of, items_for, village_items
from .common import AGENT_ROLES, viewer

APPLY_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.AGENT]


class ApplicantFields(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("申请人类型"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(label=_("申请人（单位）名称"), max_length=100)
    applicant_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    applicant_id_number = forms.CharField(
        label=_("证件号码（身份证或统一社会信用代码）"), max_length=18, required=False
    )
    subject = forms.CharField(label=_("申请内容"), max_length=300, required=False)
    received = forms.MultipleChoiceField(
        label=_("已收材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    from_event = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, item: ServiceItem | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        materials = list(item.materials.all()) if item is not None else []
        self.materials = materials
        cast(forms.ChoiceField, self.fields["received"]).choices = [
            (m.pk, f"{m.name}（{m.get_form_display()} {m.count} 份，{m.get_need_display()}）")
            for m in materials
        ]

    def add_domain_error(self, exc: DomainError) -> None:
        details = exc.details if isinstance(exc.details, dict) else {}
        keys = {"materials_received": "received", "materials_pending": "pending"}
        field = next((keys.get(k, k) for k in details if keys.get(k, k) in self.fields), None)
        self.add_error(field, details.get(field, exc.message) if field in details else exc.message)


class ApplyForm(ApplicantFields):
    window = forms.TypedChoiceField(label=_("受理窗口"), coerce=int, required=False, empty_value=None)
    channel = forms.ChoiceField(label=_("申请方式"), choices=APPLY_CHANNELS, initial=Channel.WINDOW)
    pending = forms.MultipleChoiceField(
        label=_("容缺受理（申请人书面承诺限期补交）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_missing = forms.CharField(
        label=_("其他需补正的事项（每行一项）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reject = forms.BooleanField(label=_("不予受理"), required=False)
    reject_reason = forms.CharField(
        label=_("不予受理理由（将写入书面凭证）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, windows: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["window"]).choices = [("", _("不指定")), *windows]
        cast(forms.ChoiceField, self.fields["pending"]).choices = [
            (m.pk, m.name) for m in self.materials if m.need == MaterialNeed.TOLERATED
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reject") and not (data.get("reject_reason") or "").strip():
            self.add_error("reject_reason", _("请填写不予受理的理由"))
        return data


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    person = viewer(request, frozenset({Role.WINDOW_CLERK}))
    centre = centre_of(person)
    if centre is None:
        messages.error(request, _("您不在任何便民服务中心的窗口，不能受理办件。"))
        return redirect("convenience:desk")
    items = list(items_for(centre).only("pk", "code", "name", "kind", "version"))
    code = request.POST.get("item") or request.GET.get("item") or ""
    item = next((i for i in items if i.code == code), None)
    windows = [(w.pk, str(w)) for w in centre.windows.all()]
    source = _source_event(request, person)
    form = ApplyForm(request.POST or None, item=item, windows=windows, initial=_initial(source))
    if request.method == "POST" and item is not None and form.is_valid():
        d = form.cleaned_data
        extra = [
            {"material": None, "name": line.strip(), "reason": ""}
            for line in d["other_missing"].splitlines()
            if line.strip()
        ]
        try:
            application = services.application_apply(
                actor=person,
                item_code=item.code,
                applicant_kind=d["applicant_kind"],
                applicant_name=d["applicant_name"],
                applicant_phone=d["applicant_phone"].strip(),
                applicant_id_number=d["applicant_id_number"].strip(),
                subject=d["subject"],
                window_id=d["window"],
                channel=d["channel"],
                materials_received=[int(x) for x in d["received"]],
                materials_pending=[int(x) for x in d["pending"]],
                extra_missing=extra,
                reject_reason=d["reject_reason"].strip() if d["reject"] else "",
                note=d["note"],
                from_event=source.pk if source is not None else None,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("办件 %(number)s 已登记：%(status)s")
                % {"number": application.number, "status": application.get_status_display()},
            )
            return redirect("convenience:application", application.pk)
    # With HTMX the page is asked again when the item changes and its form part swapped in (hx-select).
    context = {"centre": centre, "items": items, "item": item, "form": form, "source_event": source}
    return render(request, "convenience/apply.html", context)


class ForwardForm(ApplicantFields):
    entrustment = forms.CharField(label=_("委托书（编号或说明）"), max_length=200)


@login_required
def forward(request: HttpRequest) -> HttpResponse:
    """代办: a village agent takes in an item for a resident on their written entrustment and forwards it."""
    person = viewer(request, AGENT_ROLES)
    items = list(village_items().only("pk", "code", "name", "kind", "version"))
    code = request.POST.get("item") or request.GET.get("item") or ""
    item = next((i for i in items if i.code == code), None)
    source = _source_event(request, person)
    form = ForwardForm(request.POST or None, item=item, initial=_initial(source))
    if request.method == "POST" and item is not None and form.is_valid():
        d = form.cleaned_data
        try:
            application = services.application_forward(
                actor=person,
                item_code=item.code,
                applicant_name=d["applicant_name"],
                applicant_phone=d["applicant_phone"].strip(),
                applicant_id_number=d["applicant_id_number"].strip(),
                subject=d["subject"],
                entrustment=d["entrustment"],
                materials_received=[int(x) for x in d["received"]],
                from_event=source.pk if source is not None else None,
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("办件 %(number)s 已转交乡镇便民服务中心") % {"number": application.number}
            )
            return redirect("convenience:application", application.pk)
    context = {"items": items, "item": item, "form": form, "source_event": source}
    return render(request, "convenience/forward.html", context)


def _source_event(request: HttpRequest, person: Any) -> Event | None:
    """The 便民服务 event this application is filed for (代为申办 from the event's page), if the person sees it."""
    raw = request.POST.get("from_event") or request.GET.get("event") or ""
    if not raw.isdigit():
        return None
    return event_visible_to(person).filter(pk=int(raw), platform=PlatformKind.SERVICE).first()


def _initial(source: Event | None) -> dict[str, Any]:
    if source is None:
        return {}
    return {"from_event": source.pk, "subject": source.title[:300]}
