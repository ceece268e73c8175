"""The second factor in a real browser: enrol by scanning the QR code (the test computes the codes from the
secret, as the phone would), log out, log in with the password and a code, log in once with a recovery code (its
second use refused), and the security administrator resets the factor."""

import time

import pyotp
import pytest

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD, make_person
from grassroots.people.choices import Role
from grassroots.people.models import RecoveryCode, SecondFactor
from grassroots.people.otp import provisioning_uri, qr_svg

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def log_in(page, password_then: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/account/login/code/")
    page.fill("#id_code", password_then)
    page.click("[data-testid=otp-login-form] button[type=submit]")
    page.wait_for_load_state()


def log_out(page) -> None:
    page.click("form[action='/logout/'] button")
    page.wait_for_url("**/login/")


def test_enrol_log_in_with_a_code_and_a_recovery_code_then_the_security_admin_resets(world, open_as):
    page = open_as(world.bob)
    page.goto("/")
    page.click("[data-testid=nav-otp]")
    page.click("[data-testid=otp-enrol-link]")
    secret = page.inner_text("[data-testid=otp-secret]").strip()
    # "Scanning": the QR code on the page encodes this person's secret.
    drawn = page.get_attribute("[data-testid=otp-qr] path.qrline", "d")
    assert f'd="{drawn}"' in qr_svg(provisioning_uri(world.bob, secret))
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("[data-testid=otp-enrol-form] button[type=submit]")
    codes = page.locator("[data-testid=recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    assert SecondFactor.objects.get(person=world.bob).confirmed_at is not None
    page.click("[data-testid=otp-continue]")
    log_out(page)

    # The code of the next step: this step's code was spent on the enrolment.
    log_in(page, pyotp.TOTP(secret).at(time.time() + 30))
    assert "/account/login/code/" not in page.url and "/login/" not in page.url
    log_out(page)

    log_in(page, codes[0])
    assert "还剩 9 个" in page.content()
    log_out(page)
    log_in(page, codes[0])
    assert "验证码不正确或已使用" in page.inner_text("[data-testid=form-error]")
    assert RecoveryCode.objects.filter(person=world.bob, used_at__isnull=False).count() == 1

    security = make_person("sec", "安全员", Role.SECURITY_ADMIN)
    admin_page = open_as(security)
    admin_page.goto("/account/otp/")
    admin_page.click("[data-testid=otp-reset-link]")
    row = admin_page.locator("tr[data-username=bob]")
    row.locator("input[name=reason]").fill("手机丢失，本人申请")
    row.locator("button[type=submit]").click()
    admin_page.wait_for_load_state()
    assert "已重置 bob 的双因素认证" in admin_page.content()
    assert not SecondFactor.objects.filter(person=world.bob).exists()
    assert AuditEntry.objects.get(action="otp.reset").detail == {"reason": "手机丢失，本人申请"}
