"""Writes on people and their tokens. Every write is audited in its own transaction."""

import datetime as dt
import hashlib
import secrets

from django.db import connection, transaction
from django.utils import timezone

from grassroots.audit.models import AuditResult
from grassroots.audit.services import audit_record
from grassroots.core.errors import InvalidInput
from grassroots.people.actors import Actor

from . import throttle
from .choices import TokenScope
from .models import ApiToken, Person


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# A token's name is how its holder tells it apart on the token page.
TOKEN_NAME_MAX = 100
# Longest life a token may be given (scripts may ask for none: `expires_at=None`).
TOKEN_MAX_DAYS = 366


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    person: Person,
    name: str,
    scope: str = TokenScope.WRITE,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token; the plain key is returned once and never stored (only its SHA-256)."""
    name = name.strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        raise InvalidInput(
            f"请填写令牌名称（不超过 {TOKEN_NAME_MAX} 个字）",
            code="token_name_invalid",
            details={"name": "必填"},
        )
    if scope not in TokenScope.values:
        raise InvalidInput("令牌权限只能是只读或读写", code="token_scope_invalid", details={"scope": scope})
    now = timezone.now()
    if expires_at is not None and not now < expires_at <= now + dt.timedelta(days=TOKEN_MAX_DAYS):
        raise InvalidInput(
            f"有效期须在 1 天到 {TOKEN_MAX_DAYS} 天之间",
            code="token_expiry_invalid",
            details={"expires_at": expires_at.isoformat()},
        )
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person, name=name, key_hash=_hash(key), prefix=key[:8], scope=scope, expires_at=expires_at
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=token,
        detail={
            "person": person.pk,
            "scope": scope,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> bool:
    """Revoke the token at once (compare-and-set: revoking twice changes and audits nothing the second time)."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if not changed:
        return False
    token.revoked_at = now
    audit_record(actor=actor, action="api_token.revoke", obj=token, detail={"person": token.person_id})
    return True


def api_token_authenticate(key: str, *, address: str = "unknown") -> Person | None:
    """The active person holding this live (not revoked, not expired) token, or None; the person carries the
    token's `token_scope`. A token stops working while its owner is inactive or locked out. Failures are counted
    per address and per key prefix (`throttle.py`); over the limit this raises `TooManyAttempts` (429), before
    the key is even trusted. Asked on every API request: one query when the key is good (the limit check rides
    in the token's lookup)."""
    keys = [throttle.address_key(address), throttle.prefix_key(key)]
    person = _token_holder(key, keys)
    if person is not None and not person.token_throttled:  # type: ignore[attr-defined]
        return person
    if (refusal := throttle.refused(keys)) is not None:
        raise throttle.too_many(refusal)
    if person is not None:  # over the limit a moment ago, no longer: the window turned
        return person
    if (refusal := throttle.failure_count(keys)) is not None:
        audit_record(
            actor=None,
            action="api_token.throttled",
            result=AuditResult.DENIED,
            object_type="people.apitoken",
            detail={"prefix": key[:8], "over": refusal.key.split(":", 1)[0]},
        )
        raise throttle.too_many(refusal)
    return None


def _token_holder(key: str, throttle_keys: list[str]) -> Person | None:
    now = timezone.now()
    over_sql, over_params = throttle.over_limit_sql(throttle_keys)
    # Touch at most once a minute: a write per request would serialise API clients on SQLite.
    stale_before = connection.ops.adapt_datetimefield_value(now - dt.timedelta(seconds=60))
    now_value = connection.ops.adapt_datetimefield_value(now)
    person = next(
        iter(
            Person.objects.raw(
                f"""SELECT p.*, t.id AS token_id, t.scope AS token_scope,
                (t.last_used_at IS NULL OR t.last_used_at < %s) AS token_stale, {over_sql} AS token_throttled
                FROM {Person._meta.db_table} p JOIN {ApiToken._meta.db_table} t ON t.person_id = p.id
                WHERE t.key_hash = %s AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > %s)
                AND p.is_active AND (p.locked_until IS NULL OR p.locked_until <= %s)""",
                [stale_before, *over_params, _hash(key), now_value, now_value],
            )
        ),
        None,
    )
    if person is None:
        return None
    if person.token_stale:  # type: ignore[attr-defined]
        ApiToken.objects.filter(pk=person.token_id).update(last_used_at=now)  # type: ignore[attr-defined]
    return person
