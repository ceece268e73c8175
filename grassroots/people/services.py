"""Writes on people and their tokens. Every write is audited in its own transaction."""

import datetime as dt
import hashlib
import secrets

from django.db import connection, transaction
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.people.actors import Actor

from .models import ApiToken, Person


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor: Actor, person: Person, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(person=person, name=name, key_hash=_hash(key), prefix=key[:8])
    audit_record(actor=actor, action="api_token.create", obj=token, detail={"person": person.pk})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    audit_record(actor=actor, action="api_token.revoke", obj=token)


def api_token_authenticate(key: str) -> Person | None:
    """The active person holding this live token, or None. Asked on every API request, so one plain query."""
    now = timezone.now()
    # Touch at most once a minute: a write per request would serialise API clients on SQLite.
    stale_before = connection.ops.adapt_datetimefield_value(now - dt.timedelta(seconds=60))
    person = next(
        iter(
            Person.objects.raw(
                f"""SELECT p.*, t.id AS token_id, (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale
                FROM {Person._meta.db_table} p JOIN {ApiToken._meta.db_table} t ON t.person_id = p.id
                WHERE t.key_hash = %s AND t.revoked_at IS NULL AND p.is_active""",
                [stale_before, _hash(key)],
            )
        ),
        None,
    )
    if person is None:
        return None
    if person.token_stale:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=person.token_id).update(last_used_at=now)  # type: ignore[attr-defined]
    return person
