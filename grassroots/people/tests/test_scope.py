"""Data scope: each person sees only their grid, village, township or unit; the rest answers 404."""

from grassroots.core.scope import scope_of
from grassroots.people.permissions import visible_to


def test_a_village_worker_cannot_read_another_villages_person(world):
    response = world.client_for(world.bob).get(f"/api/v1/people/{world.carol.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_village_worker_reads_a_person_of_their_own_village(world):
    response = world.client_for(world.bob).get(f"/api/v1/people/{world.alice.pk}")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_a_grid_worker_sees_only_their_grid(world):
    assert set(visible_to(world.alice)) == {world.alice}


def test_a_township_operator_sees_every_village_of_the_township(world):
    visible = set(visible_to(world.oscar))
    assert {world.alice, world.bob, world.carol, world.oscar} <= visible


def test_agency_staff_see_their_own_unit(world):
    assert set(visible_to(world.dora)) == {world.dora}


def test_an_inactive_account_sees_nothing(world):
    world.oscar.is_active = False
    world.oscar.save()
    assert not visible_to(world.oscar).exists()
    assert scope_of(world.oscar).q(region_field="region_code") is not None


def test_the_people_list_follows_scope(world):
    response = world.client_for(world.bob).get("/api/v1/people")
    assert response.status_code == 200
    assert {p["username"] for p in response.json()["items"]} == {"alice", "bob"}


def test_anonymous_api_calls_get_401_with_the_error_shape(world):
    from django.test import Client

    response = Client().get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_bearer_token_authenticates_until_it_is_revoked(world):
    from django.test import Client

    from grassroots.people.services import api_token_create, api_token_revoke

    token, key = api_token_create(actor=world.oscar, person=world.bob, name="phone")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/v1/people/me").json()["username"] == "bob"
    api_token_revoke(actor=world.oscar, token=token)
    assert client.get("/api/v1/people/me").status_code == 401


def test_a_token_records_its_use_at_most_once_a_minute(world):
    import datetime as dt

    from django.test import Client
    from django.utils import timezone

    from grassroots.people.models import ApiToken
    from grassroots.people.services import api_token_create

    token, key = api_token_create(actor=world.oscar, person=world.bob, name="phone")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/v1/people/me").status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert client.get("/api/v1/people/me").status_code == 200  # a second use within the minute: no write
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    assert client.get("/api/v1/people/me").status_code == 200
    touched = ApiToken.objects.get(pk=token.pk).last_used_at
    assert touched is not None and touched > long_ago + dt.timedelta(minutes=4)
    person_data = client.get("/api/v1/people/me").json()
    assert person_data["username"] == "bob"
