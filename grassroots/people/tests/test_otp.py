"""The staff second factor: enrolment confirmed by a code, recovery codes stored hashed and spent once, the login
asking for the code after the password, roles that must enrol, and the security administrator's audited reset."""

import hashlib
import time

import pyotp
import pytest
from django.test import Client, override_settings

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD, make_person
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.people.choices import Role
from grassroots.people.models import Person, RecoveryCode, SecondFactor
from grassroots.people.otp import (
    otp_enrol_confirm,
    otp_enrol_start,
    otp_reset,
    otp_verify,
    qr_svg,
    recovery_codes_left,
)


def enrol(person: Person) -> tuple[str, list[str]]:
    secret = otp_enrol_start(person=person).secret
    codes = otp_enrol_confirm(person=person, code=pyotp.TOTP(secret).now())
    SecondFactor.objects.filter(person=person).update(last_step=0)  # let the test use the current code again
    return secret, codes


def logged_in(client: Client) -> bool:
    return client.get("/account/otp/").status_code == 200  # a page behind login_required


def password_step(username: str = "bob") -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_enrolment_needs_a_right_code_and_gives_ten_recovery_codes_stored_hashed(world):
    factor = otp_enrol_start(person=world.bob)
    with pytest.raises(InvalidInput) as refused:
        otp_enrol_confirm(person=world.bob, code="000000")
    assert refused.value.code == "otp_code_invalid"
    assert not SecondFactor.objects.get(person=world.bob).confirmed_at
    codes = otp_enrol_confirm(person=world.bob, code=pyotp.TOTP(factor.secret).now())
    assert len(codes) == len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(person=world.bob).values_list("code_hash", flat=True))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert AuditEntry.objects.filter(action="otp.enrol", object_id=str(world.bob.pk)).count() == 1
    with pytest.raises(Forbidden):
        otp_enrol_start(person=world.bob)  # a second phone only after a reset


def test_a_code_is_accepted_once_and_a_recovery_code_once(world):
    secret, codes = enrol(world.bob)
    code = pyotp.TOTP(secret).now()
    assert otp_verify(person=world.bob, code=code) == "totp"
    assert otp_verify(person=world.bob, code=code) is None  # replayed within its window
    assert otp_verify(person=world.bob, code=codes[0].lower()) == "recovery"
    assert otp_verify(person=world.bob, code=codes[0]) is None
    assert recovery_codes_left(world.bob) == 9
    assert AuditEntry.objects.filter(action="otp.recovery_used").count() == 1


def test_a_code_of_a_step_long_past_is_refused(world):
    secret, _ = enrol(world.bob)
    assert otp_verify(person=world.bob, code=pyotp.TOTP(secret).at(time.time() - 120)) is None


def test_the_qr_code_is_inline_svg_without_script_or_style(world):
    svg = qr_svg("otpauth://totp/x?secret=ABC")
    assert svg.startswith("<svg") and "<script" not in svg and "style=" not in svg


def test_an_enrolled_person_logs_in_with_the_password_then_the_code(world):
    secret, _ = enrol(world.bob)
    client = password_step()
    assert not logged_in(client)  # not logged in between the two steps
    assert not AuditEntry.objects.filter(action="login").exists()
    page = client.get("/account/login/code/")
    assert "验证码" in page.content.decode()
    wrong = client.post("/account/login/code/", {"code": "123456"})
    assert "验证码不正确" in wrong.content.decode()
    assert AuditEntry.objects.filter(action="otp.failed").count() == 1
    response = client.post("/account/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in(client)
    assert Person.objects.get(pk=world.bob.pk).failed_logins == 0
    assert AuditEntry.objects.get(action="login").detail == {"second_factor": "totp"}


def test_without_the_password_step_the_code_page_sends_back_to_login(world):
    enrol(world.bob)
    assert Client().get("/account/login/code/")["Location"] == "/login/"


@override_settings(LOGIN_MAX_FAILURES=3)
def test_wrong_codes_lock_the_account_and_the_right_password_does_not_clear_them(world):
    enrol(world.bob)
    for _ in range(3):
        client = password_step()  # a known password must not buy unlimited guesses at the code
        client.post("/account/login/code/", {"code": "000000"})
    bob = Person.objects.get(pk=world.bob.pk)
    assert bob.locked_until is not None
    client = Client()
    client.post("/login/", {"username": "bob", "password": PASSWORD})
    assert client.get("/account/login/code/")["Location"] == "/login/"


@override_settings(OTP_REQUIRED_ROLES=frozenset({Role.VILLAGE_STAFF}))
def test_a_role_that_must_enrol_enrols_before_the_login_completes(world):
    client = password_step()
    assert client.get("/account/login/code/")["Location"] == "/account/otp/enrol/"  # no factor yet
    page = client.get("/account/otp/enrol/")
    assert "<svg" in page.content.decode() and page["Cache-Control"] == "no-store"
    assert not logged_in(client)
    secret = SecondFactor.objects.get(person=world.bob).secret
    response = client.post("/account/otp/enrol/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and "恢复码" in response.content.decode()
    assert logged_in(client)
    # alice's role is not in the setting: her password alone still logs her in.
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD})["Location"] == "/"


def test_staff_roles_must_enrol_in_production_by_default():
    from config.settings import _STAFF_ROLES

    assert set(_STAFF_ROLES.split(",")) == set(Role.values) - {Role.VOLUNTEER}


def test_only_the_security_administrator_resets_and_it_is_audited(world):
    enrol(world.bob)
    sec = make_person("sec", "安全员", Role.SECURITY_ADMIN)
    sysadmin = make_person("sys", "系统员", Role.SYSTEM_ADMIN, is_superuser=True)
    with pytest.raises(Forbidden):
        otp_reset(actor=sysadmin, person=world.bob, reason="丢失手机")
    assert world.client_for(sysadmin).get("/account/otp/reset/").status_code == 403
    with pytest.raises(InvalidInput):
        otp_reset(actor=sec, person=world.bob, reason=" ")
    client = world.client_for(sec)
    assert "李建国" in client.get("/account/otp/reset/").content.decode()
    client.post(f"/account/otp/reset/{world.bob.pk}/", {"reason": "手机丢失"})
    assert not SecondFactor.objects.filter(person=world.bob).exists()
    assert not RecoveryCode.objects.filter(person=world.bob).exists()
    entry = AuditEntry.objects.get(action="otp.reset")
    assert entry.actor_id == sec.pk and entry.detail == {"reason": "手机丢失"}
    # After the reset bob's password alone logs him in again (his role need not enrol here).
    assert Client().post("/login/", {"username": "bob", "password": PASSWORD})["Location"] == "/"


def test_the_admin_login_goes_through_the_two_step_login(world):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
