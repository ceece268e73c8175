"""Login with lockout after repeated failures (等保 level 3), every attempt audited."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record

from .models import Person


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
        person = Person.objects.filter(username=username).first()
        if person is None:
            Person().set_password(password)  # same work as a real check, so timing does not reveal usernames
            return None
        now = timezone.now()
        with transaction.atomic():
            if person.locked_until and person.locked_until > now:
                audit_record(actor=None, action="login.locked", obj=person, result=AuditResult.DENIED)
                return None
            if person.check_password(password) and self.user_can_authenticate(person):
                Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)
                audit_record(actor=person, action="login", obj=person)
                return person
            Person.objects.filter(pk=person.pk).update(failed_logins=F("failed_logins") + 1)
            person.refresh_from_db(fields=["failed_logins"])
            if person.failed_logins >= settings.LOGIN_MAX_FAILURES:
                until = now + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
                Person.objects.filter(pk=person.pk).update(locked_until=until, failed_logins=0)
            audit_record(actor=None, action="login.failed", obj=person, result=AuditResult.DENIED)
        return None
