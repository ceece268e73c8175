"""Login with lockout after repeated failures (等保 level 3), every attempt audited.

Lockout is per account (LOGIN_MAX_FAILURES in a row) and per client address (AUTH_ADDRESS_MAX_FAILURES in a
window, `throttle.py`); both apply to API tokens too. Every answer costs one run of the password hasher: an unknown
account, a locked account or a locked address is checked against a dummy hash, so the time taken tells nothing.
"""

import datetime as dt
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record

from . import throttle
from .models import Person


@cache
def _dummy_hash(hashers: tuple[str, ...]) -> str:
    return make_password("grassroots-dummy-password")


def burn_hasher(password: str) -> None:
    """The same work as checking a real password (one `verify` of the default hasher), for nothing."""
    check_password(password, _dummy_hash(tuple(settings.PASSWORD_HASHERS)))


def account_locked(person: Person, now: dt.datetime | None = None) -> bool:
    return bool(person.locked_until and person.locked_until > (now or timezone.now()))


def count_failure(person: Person, *, code_step: bool = False, address: str | None = None) -> None:
    """A wrong password (or second-factor code, `code_step`): counted towards the account's lockout (and the address's), and audited."""
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(failed_logins=F("failed_logins") + 1)
        person.refresh_from_db(fields=["failed_logins"])
        if person.failed_logins >= settings.LOGIN_MAX_FAILURES:
            until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            Person.objects.filter(pk=person.pk).update(locked_until=until, failed_logins=0)
        if code_step:
            audit_record(actor=None, action="otp.failed", obj=person, result=AuditResult.DENIED)
        else:
            audit_record(actor=None, action="login.failed", obj=person, result=AuditResult.DENIED)
    if address is not None:
        throttle.failure_count([throttle.address_key(address)])


def clear_failures(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Person | None:
        if not username or password is None:
            return None
        address = throttle.client_address(request)
        person = Person.objects.filter(username=username).first()
        if person is None:
            burn_hasher(password)
            throttle.failure_count([throttle.address_key(address)])
            return None
        if throttle.refused([throttle.address_key(address)]):
            burn_hasher(password)
            audit_record(actor=None, action="login.address_locked", obj=person, result=AuditResult.DENIED)
            return None
        if account_locked(person):
            burn_hasher(password)
            audit_record(actor=None, action="login.locked", obj=person, result=AuditResult.DENIED)
            return None
        if person.check_password(password) and self.user_can_authenticate(person):
            from .otp import otp_required

            # With a second factor the count is cleared, and the login audited, only once the code is right: a
            # known password must not buy unlimited guesses at the code.
            if not otp_required(person):
                clear_failures(person)
                audit_record(actor=person, action="login", obj=person)
            return person
        count_failure(person, address=address)
        return None
