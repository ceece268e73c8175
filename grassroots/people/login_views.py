"""Login in two steps for people with a second factor: the password (the usual login form), then a TOTP code or a
recovery code. Between the two the session holds only the pending person, never a login. Someone whose role must
use a second factor (OTP_REQUIRED_ROLES) and has none enrols right after the password (otp_views.py)."""

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from grassroots.audit.services import audit_record

from . import throttle
from .backends import account_locked, clear_failures
from .models import Person
from .otp import otp_enrolled, otp_failed, otp_required, otp_verify, recovery_codes_left

PENDING = "otp_pending"
# How long the second step may wait after the password.
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=32,
        help_text=_("手机验证器中的 6 位数字；手机不在身边时可输入一个恢复码"),
        error_messages={"required": _("请输入验证码")},
    )


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        person = form.get_user()
        if not otp_required(person):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": person.pk,
            "backend": person.backend,
            "at": int(time.time()),
            "next": self.get_success_url(),
        }
        return redirect("people:login_code" if otp_enrolled(person) else "people:otp_enrol")


def pending_person(request: HttpRequest) -> Person | None:
    """The person who gave the right password in this session and still owes the second step, if any."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None
    person = Person.objects.filter(pk=pending["user"], is_active=True).first()
    if person is None or account_locked(person):
        return None
    return person


def pending_complete(request: HttpRequest, person: Person, *, second_factor: str) -> str:
    """Log the pending person in (a new session key), audited with how the second step passed; where they were
    going."""
    pending = request.session.pop(PENDING)
    clear_failures(person)
    audit_record(actor=person, action="login", obj=person, detail={"second_factor": second_factor})
    auth_login(request, person, backend=pending["backend"])
    return pending["next"]


def login_code(request: HttpRequest) -> HttpResponse:
    person = pending_person(request)
    if person is None:
        request.session.pop(PENDING, None)
        messages.info(request, "请重新输入用户名和密码")
        return redirect("login")
    if not otp_enrolled(person):
        return redirect("people:otp_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = throttle.client_address(request)
        passed = None
        if throttle.refused([throttle.address_key(address)]) is None:
            passed = otp_verify(person=person, code=form.cleaned_data["code"])
        if passed:
            target = pending_complete(request, person, second_factor=passed)
            if passed == "recovery":
                left = recovery_codes_left(person)
                messages.warning(request, f"已使用一个恢复码，还剩 {left} 个；用完前请联系安全管理员重置")
            return redirect(target)
        otp_failed(person=person, address=address)
        if account_locked(Person.objects.get(pk=person.pk)):
            request.session.pop(PENDING, None)
        form.add_error(None, "验证码不正确或已使用，请输入手机上当前显示的 6 位数字")
    return render(request, "people/login_code.html", {"form": form, "person": person})
