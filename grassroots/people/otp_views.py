"""Second-factor pages: enrol (QR code, a first code, the recovery codes shown once), see one's own factor, and
the security administrator's reset page. The enrolment page serves a person signed in, or one who has just given
the right password and must enrol before the login completes."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from grassroots.core.errors import DomainError

from .actors import person_of
from .login_views import CodeForm, pending_complete, pending_person
from .models import Person, RecoveryCode, SecondFactor
from .otp import (
    otp_enrol_confirm,
    otp_enrol_start,
    otp_required,
    otp_reset,
    otp_resettable,
    provisioning_uri,
    qr_svg,
    recovery_codes_left,
)
from .selectors import people_personal_data

RESET_PAGE_LIMIT = 200


class ResetForm(forms.Form):
    reason = forms.CharField(
        label=_("重置原因"), max_length=200, error_messages={"required": _("请写明重置原因")}
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # a secret or recovery codes, shown once
    return response


def otp_enrol(request: HttpRequest) -> HttpResponse:
    pending = pending_person(request)
    person: Person | None = pending or (request.user if isinstance(request.user, Person) else None)
    if person is None:
        return redirect("login")
    factor = SecondFactor.objects.filter(person=person).first()
    if factor is not None and factor.confirmed_at is not None:
        return redirect("people:otp")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp_enrol_confirm(person=person, code=form.cleaned_data["code"])
        except DomainError as refused:
            form.add_error(None, refused.message)
        else:
            target = pending_complete(request, person, second_factor="enrol") if pending else None
            shown = {"codes": codes, "next": target or "/"}
            return _no_store(render(request, "people/otp_codes.html", shown))
    factor = otp_enrol_start(person=person)
    uri = provisioning_uri(person, factor.secret)
    context: dict[str, Any] = {
        "form": form,
        "qr": qr_svg(uri),
        "secret": factor.secret,
        "uri": uri,
        "pending": pending is not None,
        "required": otp_required(person),
    }
    return _no_store(render(request, "people/otp_enrol.html", context))


@login_required
def otp_status(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    factor = SecondFactor.objects.filter(person=person, confirmed_at__isnull=False).first()
    context = {
        "factor": factor,
        "left": recovery_codes_left(person) if factor else 0,
        "required": otp_required(person),
        "resets": otp_resettable(person),
    }
    return render(request, "people/otp_status.html", context)


@login_required
def otp_reset_page(request: HttpRequest) -> HttpResponse:
    """The security administrator's list of everyone with a second factor, each with a reset form."""
    admin = person_of(request)
    if not otp_resettable(admin):
        raise PermissionDenied
    factors = list(
        SecondFactor.objects.select_related("person")
        .filter(confirmed_at__isnull=False)
        .order_by("person__username")[:RESET_PAGE_LIMIT]
    )
    people = [f.person for f in factors]
    shown = people_personal_data(viewer=admin, people=people, purpose="page.otp_reset")
    left = dict(
        RecoveryCode.objects.filter(person__in=people, used_at__isnull=True)
        .values("person")
        .annotate(n=Count("id"))
        .values_list("person", "n")
    )
    rows = [
        {"factor": f, "name": shown[f.person_id]["name"], "left": left.get(f.person_id, 0)} for f in factors
    ]
    return render(request, "people/otp_reset.html", {"rows": rows, "form": ResetForm()})


@login_required
@require_POST
def otp_reset_person(request: HttpRequest, person_id: int) -> HttpResponse:
    admin = person_of(request)
    if not otp_resettable(admin):
        raise PermissionDenied
    person = get_object_or_404(Person, pk=person_id)
    form = ResetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请写明重置原因")
        return redirect("people:otp_reset")
    try:
        done = otp_reset(actor=admin, person=person, reason=form.cleaned_data["reason"])
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        if done:
            messages.success(request, f"已重置 {person.username} 的双因素认证，其下次登录时需重新绑定")
        else:
            messages.info(request, f"{person.username} 没有已绑定的双因素认证")
    return redirect("people:otp_reset")
