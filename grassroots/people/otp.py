"""The staff second factor: TOTP (RFC 6238) with an authenticator app, and one-time recovery codes.

Enrolment: `otp_enrol_start` gives a fresh secret (shown as a QR code), `otp_enrol_confirm` turns it on when a first
code proves the phone holds it and returns 10 recovery codes, shown once and stored as SHA-256 only. At login,
`otp_verify` accepts a current code (each 30-second step once: no replay) or an unused recovery code (spent at once).
`otp_reset` (the security administrator) removes a person's factor and codes so they enrol again. All audited.
"""

import hashlib
import secrets
import time
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput

from .actors import Actor
from .choices import Role
from .models import Person, RecoveryCode, SecondFactor

ISSUER = "基层治理四个平台"
RECOVERY_CODE_COUNT = 10
# 16 base32 characters: 80 bits, so a stolen table of SHA-256 digests cannot be reversed by trying codes.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STEP_SECONDS = 30
# Codes of the step before and after are accepted too: a phone's clock may be off by up to 30 seconds.
VALID_WINDOW = 1


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_recovery(code).encode()).hexdigest()


def normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def otp_required(person: Person) -> bool:
    """Must this person use a second factor? Their role is in OTP_REQUIRED_ROLES (settings), or they enrolled."""
    return person.role in settings.OTP_REQUIRED_ROLES or otp_enrolled(person)


def otp_enrolled(person: Person) -> bool:
    return SecondFactor.objects.filter(person=person, confirmed_at__isnull=False).exists()


def provisioning_uri(person: Person, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=person.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code as an inline SVG element (no script, no style attribute: fine under a strict CSP)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@transaction.atomic
def otp_enrol_start(*, person: Person) -> SecondFactor:
    """The pending factor to show as a QR code: kept across reloads of the page, refused if one is confirmed."""
    factor = SecondFactor.objects.select_for_update().filter(person=person).first()
    if factor is not None and factor.confirmed_at is not None:
        raise Forbidden("已启用双因素认证；如需更换手机，请联系安全管理员重置", code="otp_already_enrolled")
    if factor is None:
        factor = SecondFactor.objects.create(person=person, secret=pyotp.random_base32())
    return factor


def _accept_totp(factor: SecondFactor, code: str) -> bool:
    """A current code not used before; on success the factor remembers its step (compare-and-set)."""
    code = code.strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        return False
    totp = pyotp.TOTP(factor.secret)
    now = time.time()
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        at = now + offset * STEP_SECONDS
        step = int(at // STEP_SECONDS)
        if step > factor.last_step and secrets.compare_digest(totp.at(at), code):
            return bool(SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step))
    return False


@transaction.atomic
def otp_enrol_confirm(*, person: Person, code: str) -> list[str]:
    """Turn the pending factor on with a first code; the 10 recovery codes, returned once in plain text."""
    factor = SecondFactor.objects.select_for_update().filter(person=person, confirmed_at__isnull=True).first()
    if factor is None:
        raise InvalidInput("没有待确认的双因素认证，请刷新页面重新扫码", code="otp_not_pending")
    if not _accept_totp(factor, code):
        raise InvalidInput("验证码不正确或已过期，请输入手机上当前显示的 6 位数字", code="otp_code_invalid")
    SecondFactor.objects.filter(pk=factor.pk).update(confirmed_at=timezone.now())
    codes = _recovery_codes_replace(person)
    audit_record(actor=person, action="otp.enrol", obj=person, detail={"recovery_codes": len(codes)})
    return codes


def _recovery_codes_replace(person: Person) -> list[str]:
    RecoveryCode.objects.filter(person=person).delete()
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create([RecoveryCode(person=person, code_hash=_digest(c)) for c in codes])
    return codes


def otp_verify(*, person: Person, code: str) -> str | None:
    """How the second step passed ("totp" or "recovery"), or None. A recovery code is spent on its first use."""
    with transaction.atomic():
        factor = SecondFactor.objects.filter(person=person, confirmed_at__isnull=False).first()
        if factor is None:
            return None
        if _accept_totp(factor, code):
            return "totp"
        spent = RecoveryCode.objects.filter(
            person=person, code_hash=_digest(code), used_at__isnull=True
        ).update(used_at=timezone.now())
        if spent:
            left = RecoveryCode.objects.filter(person=person, used_at__isnull=True).count()
            audit_record(actor=person, action="otp.recovery_used", obj=person, detail={"left": left})
            return "recovery"
    return None


def otp_failed(*, person: Person, address: str | None = None) -> None:
    """A wrong second-factor code: audited, and counted towards the account's (and address's) lockout like a
    wrong password."""
    from .backends import count_failure  # the lockout lives with the login backend

    count_failure(person, code_step=True, address=address)


def otp_resettable(actor: Any) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role == Role.SECURITY_ADMIN
    )


@transaction.atomic
def otp_reset(*, actor: Actor, person: Person, reason: str) -> bool:
    """The security administrator removes a person's factor and recovery codes (a lost phone); they enrol again
    at their next login. False when there was nothing to reset."""
    if not otp_resettable(actor):
        raise Forbidden("只有安全管理员可以重置双因素认证", code="otp_reset_forbidden")
    reason = reason.strip()
    if not reason or len(reason) > 200:
        raise InvalidInput(
            "请写明重置原因（不超过 200 字）", code="otp_reset_reason", details={"reason": "必填"}
        )
    deleted, _ = SecondFactor.objects.filter(person=person).delete()
    RecoveryCode.objects.filter(person=person).delete()
    if not deleted:
        return False
    audit_record(actor=actor, action="otp.reset", obj=person, detail={"reason": reason})
    return True


def recovery_codes_left(person: Person) -> int:
    return RecoveryCode.objects.filter(person=person, used_at__isnull=True).count()
