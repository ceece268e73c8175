"""Writes on people and their tokens. Every write is audited in its own transaction."""

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from grassroots.audit.services import audit_record

from .models import ApiToken, Person


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Any, person: Person, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name, key_hash=_hash(key), prefix=key[:8])
    audit_record(actor=actor, action="api_token.create", obj=token, detail={"person": person.pk})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="api_token.revoke", obj=token)


def api_token_authenticate(key: str) -> Person | None:
    token = (
        ApiToken.objects.select_related("person")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, person__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute: a write per request would serialise API clients on SQLite.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.person
