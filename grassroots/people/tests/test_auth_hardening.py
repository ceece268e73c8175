"""Sign-in hardening: an API token stops working while its owner is locked out or inactive; failed token attempts
are throttled per address and per key prefix (429 in the API's error shape); failed logins lock the address for
logins and tokens alike; and every login path runs the password hasher once, so its time tells nothing."""

import datetime as dt

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client, RequestFactory, override_settings
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD, make_person
from grassroots.people.backends import burn_hasher
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.people.services import api_token_create

ME = "/api/v1/people/me"


def bearer(key: str, address: str = "10.0.0.1") -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"}, REMOTE_ADDR=address)


def bad_key(n: int, prefix: str = "") -> str:
    return (prefix or f"bad{n:05d}") + "x" * 35


def test_a_token_stops_while_its_owner_is_locked_out_or_inactive(world):
    _, key = api_token_create(actor=None, person=world.bob, name="同步")
    assert bearer(key).get(ME).status_code == 200
    Person.objects.filter(pk=world.bob.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=5))
    response = bearer(key).get(ME)
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    Person.objects.filter(pk=world.bob.pk).update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(key).get(ME).status_code == 200  # the lockout is over
    Person.objects.filter(pk=world.bob.pk).update(is_active=False)
    assert bearer(key).get(ME).status_code == 401


@override_settings(LOGIN_MAX_FAILURES=2)
def test_failed_logins_lock_the_owner_and_so_the_token(world):
    _, key = api_token_create(actor=None, person=world.bob, name="同步")
    for _ in range(2):
        Client().post("/login/", {"username": "bob", "password": "wrong"})
    assert bearer(key).get(ME).status_code == 401


@override_settings(AUTH_ADDRESS_MAX_FAILURES=3, TOKEN_PREFIX_MAX_FAILURES=100)
def test_bad_tokens_from_one_address_are_throttled_with_429(world):
    _, good = api_token_create(actor=None, person=world.bob, name="同步")
    assert [bearer(bad_key(n)).get(ME).status_code for n in range(2)] == [401, 401]
    response = bearer(bad_key(2)).get(ME)
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "auth_throttled" and "秒后重试" in body["message"]
    assert int(response["Retry-After"]) == body["details"]["retry_after"] > 0
    assert bearer(good).get(ME).status_code == 429  # refused before the key is looked at
    assert bearer(good, address="10.0.0.2").get(ME).status_code == 200
    assert AuditEntry.objects.filter(action="api_token.throttled").count() == 1
    # The address is locked for password logins too.
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login.address_locked").count() == 1


@override_settings(AUTH_ADDRESS_MAX_FAILURES=100, TOKEN_PREFIX_MAX_FAILURES=3)
def test_bad_tokens_sharing_a_prefix_are_throttled_from_any_address(world):
    _, good = api_token_create(actor=None, person=world.bob, name="同步")
    statuses = [bearer(bad_key(0, good[:8]), address=f"10.0.1.{n}").get(ME).status_code for n in range(3)]
    assert statuses == [401, 401, 429]
    assert bearer(bad_key(0, "other123"), address="10.0.1.9").get(ME).status_code == 401


@override_settings(AUTH_ADDRESS_MAX_FAILURES=3)
def test_failed_logins_lock_the_address_but_not_other_addresses(world):
    for n in range(3):
        Client(REMOTE_ADDR="10.0.2.1").post("/login/", {"username": f"nobody{n}", "password": "x"})
    locked = Client(REMOTE_ADDR="10.0.2.1")
    response = locked.post("/login/", {"username": "bob", "password": PASSWORD})
    assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
    other = Client(REMOTE_ADDR="10.0.2.2")
    assert other.post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 302


class CountingHasher(MD5PasswordHasher):
    """MD5 that counts its runs: `verify` runs `encode` once, so `runs` counts every check of a password."""

    algorithm = "counting_md5"
    runs = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)


@override_settings(
    PASSWORD_HASHERS=["grassroots.people.tests.test_auth_hardening.CountingHasher"],
    LOGIN_MAX_FAILURES=100,
    AUTH_ADDRESS_MAX_FAILURES=2,
)
def test_every_login_path_runs_the_hasher_exactly_once(db):
    make_person("hana", "韩梅", Role.OPERATOR)
    make_person("lock", "林锁", Role.OPERATOR, locked_until=timezone.now() + dt.timedelta(minutes=5))
    make_person("idle", "艾停", Role.OPERATOR, is_active=False)
    burn_hasher("warm")  # the dummy hash is made once per hasher setting

    def runs(username: str, password: str, address: str = "10.0.3.1") -> int:
        before = CountingHasher.runs
        authenticate(
            RequestFactory().post("/login/", REMOTE_ADDR=address), username=username, password=password
        )
        return CountingHasher.runs - before

    paths = {
        "right": runs("hana", PASSWORD),
        "wrong": runs("hana", "wrong-password", address="10.0.3.2"),
        "unknown": runs("nobody", PASSWORD, address="10.0.3.2"),
        "locked account": runs("lock", PASSWORD),
        "inactive": runs("idle", PASSWORD),
        "locked address": runs("hana", PASSWORD, address="10.0.3.2"),
    }
    assert paths == dict.fromkeys(paths, 1)
    assert AuditEntry.objects.filter(action="login.address_locked").count() == 1
