"""The token page and the Open311 key page through HTTP: a key is shown once, people revoke only their own,
administrators see and revoke anyone's, and every issue and revocation is audited."""

import hashlib

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.open311.models import OpenClient
from grassroots.people.choices import Role
from grassroots.people.models import ApiToken
from grassroots.people.services import api_token_create


def issue(client, name="数据平台", scope="read", days="30"):
    return client.post("/account/tokens/", {"name": name, "scope": scope, "days": days})


def test_the_page_shows_a_new_key_once(world):
    client = world.client_for(world.bob)
    response = issue(client)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(person=world.bob)
    key = response.context["issued"]["key"]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert key in response.content.decode()
    assert token.scope == "read" and token.expires_at is not None
    again = client.get("/account/tokens/").content.decode()
    assert key not in again and "数据平台" in again and token.prefix in again


def test_the_user_menu_links_the_token_page(world):
    page = world.client_for(world.oscar).get("/account/tokens/").content.decode()
    assert 'href="/account/tokens/"' in page and "令牌" in page


def test_a_token_without_a_name_is_not_issued(world):
    response = issue(world.client_for(world.bob), name="")
    assert "请填写令牌名称" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_people_revoke_their_own_tokens_and_not_anyone_elses(world):
    own, _ = api_token_create(actor=world.bob, person=world.bob, name="我的")
    carols, _ = api_token_create(actor=world.carol, person=world.carol, name="她的")
    client = world.client_for(world.bob)
    assert "她的" not in client.get("/account/tokens/").content.decode()
    assert client.post(f"/account/tokens/{carols.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=carols.pk).revoked_at is None
    response = client.post(f"/account/tokens/{own.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=own.pk).revoked_at is not None
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.actor == world.bob and entry.object_id == str(own.pk)


def test_an_administrator_sees_and_revokes_anyones_token(world):
    admin = make_person("sysadmin", "孙系统", Role.SYSTEM_ADMIN, division=world.district)
    carols, _ = api_token_create(actor=world.carol, person=world.carol, name="村里的脚本")
    client = world.client_for(admin)
    page = client.get("/account/tokens/").content.decode()
    assert "村里的脚本" in page and "carol" in page
    assert "张*红" in page  # the holder's name masked for a system administrator (not an unmasking role)
    assert client.post(f"/account/tokens/{carols.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=carols.pk).revoked_at is not None
    assert AuditEntry.objects.get(action="api_token.revoke").actor == admin


def test_the_token_page_needs_a_login(world):
    from django.test import Client

    response = Client().get("/account/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_open311_key_page_is_for_administrators_only(world):
    assert world.client_for(world.oscar).get("/integrations/open311-keys/").status_code == 404


def test_an_administrator_issues_and_revokes_an_open311_key(world):
    admin = make_person("sysadmin", "孙系统", Role.SYSTEM_ADMIN, division=world.district)
    client = world.client_for(admin)
    data = {"name": "城市App", "contact": "", "district": world.district.pk, "rate_limit_per_minute": 30}
    response = client.post("/integrations/open311-keys/", data)
    assert response.status_code == 200
    key = response.context["issued"]["key"]
    openclient = OpenClient.objects.get(name="城市App")
    assert openclient.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert openclient.rate_limit_per_minute == 30
    assert key not in client.get("/integrations/open311-keys/").content.decode()
    assert client.post(f"/integrations/open311-keys/{openclient.pk}/revoke/").status_code == 302
    openclient.refresh_from_db()
    assert openclient.revoked_at is not None and not openclient.usable
    actions = AuditEntry.objects.filter(object_id=str(openclient.pk), action__startswith="open_client.")
    assert sorted(actions.values_list("action", flat=True)) == ["open_client.create", "open_client.revoke"]
    assert (
        world.client_for(world.oscar).post(f"/integrations/open311-keys/{openclient.pk}/revoke/").status_code
        == 404
    )
