"""API tokens: stored hashed, scoped read or write (a read-only token is refused on every unsafe method, centrally),
expiring, revoked at once, every issue and revocation audited; and the `api_token` command for scripts."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.core.api_auth import TokenAuth
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.people.choices import TokenScope
from grassroots.people.models import ApiToken
from grassroots.people.services import api_token_create, api_token_revoke


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


def test_only_the_hash_of_a_key_is_stored(world):
    token, key = api_token_create(actor=world.bob, person=world.bob, name="同步脚本", scope=TokenScope.READ)
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(v) for v in row.values()}
    assert row["prefix"] == key[:8]


def test_a_read_token_reads(world):
    _, key = api_token_create(actor=world.bob, person=world.bob, name="只读", scope=TokenScope.READ)
    response = bearer(key).get("/api/v1/people/me")
    assert response.status_code == 200
    assert response.json()["username"] == "bob"


def test_a_read_token_is_refused_on_post_and_delete_with_a_stable_code(world):
    _, key = api_token_create(actor=world.bob, person=world.bob, name="只读", scope=TokenScope.READ)
    client = bearer(key)
    response = client.post("/api/v1/inbox/read", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"
    response = client.delete("/api/v1/enterprises/1/risk-override?reason=x")
    assert response.status_code == 403
    assert response.json()["code"] == "token_read_only"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_token_check_refuses_every_unsafe_method(world, method):
    _, key = api_token_create(actor=None, person=world.bob, name="只读", scope=TokenScope.READ)
    request = getattr(RequestFactory(), method)("/api/v1/anything", HTTP_AUTHORIZATION=f"Bearer {key}")
    with pytest.raises(Forbidden) as refused:
        TokenAuth()(request)
    assert refused.value.code == "token_read_only"


def test_a_write_token_may_post(world):
    _, key = api_token_create(actor=world.bob, person=world.bob, name="读写", scope=TokenScope.WRITE)
    response = bearer(key).post("/api/v1/inbox/read", {}, content_type="application/json")
    assert response.status_code == 200


def test_an_expired_token_answers_401(world):
    token, key = api_token_create(
        actor=world.bob, person=world.bob, name="短期", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    assert bearer(key).get("/api/v1/units").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = bearer(key).get("/api/v1/units")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_token_answers_401_and_revoking_twice_is_audited_once(world):
    token, key = api_token_create(actor=world.bob, person=world.bob, name="手机")
    assert api_token_revoke(actor=world.bob, token=token) is True
    assert api_token_revoke(actor=world.bob, token=token) is False
    assert bearer(key).get("/api/v1/units").status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_issuing_is_audited_with_scope_and_expiry(world):
    expires = timezone.now() + dt.timedelta(days=30)
    token, _ = api_token_create(
        actor=world.oscar, person=world.bob, name="数据平台", scope="read", expires_at=expires
    )
    entry = AuditEntry.objects.get(action="api_token.create", object_id=str(token.pk))
    assert entry.actor == world.oscar
    assert entry.detail == {"person": world.bob.pk, "scope": "read", "expires_at": expires.isoformat()}


@pytest.mark.parametrize(
    ("name", "scope", "days", "code"),
    [
        ("", "read", 30, "token_name_invalid"),
        ("x", "admin", 30, "token_scope_invalid"),
        ("x", "read", -1, "token_expiry_invalid"),
        ("x", "read", 400, "token_expiry_invalid"),
    ],
)
def test_bad_tokens_are_refused_with_a_code(world, name, scope, days, code):
    with pytest.raises(InvalidInput) as refused:
        api_token_create(
            actor=None,
            person=world.bob,
            name=name,
            scope=scope,
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
    assert refused.value.code == code
    assert not ApiToken.objects.exists()


def test_the_command_issues_lists_and_revokes(world):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api_token",
        "issue",
        "bob",
        "--name",
        "夜间同步",
        "--scope",
        "read",
        "--days",
        "7",
        stdout=out,
        stderr=err,
    )
    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="夜间同步")
    assert token.scope == "read" and token.person == world.bob
    assert token.expires_at is not None and token.expires_at > timezone.now() + dt.timedelta(days=6)
    assert bearer(key).get("/api/v1/units").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", "--user", "bob", stdout=listing)
    assert f"{token.pk}\t{key[:8]}…\tbob\tread\tactive" in listing.getvalue()
    assert key not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert bearer(key).get("/api/v1/units").status_code == 401
    rows = AuditEntry.objects.filter(object_id=str(token.pk), action__startswith="api_token.").order_by("id")
    actions = list(rows.values_list("action", "actor_id"))
    assert actions == [("api_token.create", None), ("api_token.revoke", None)]
