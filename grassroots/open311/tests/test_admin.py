"""Admins issue client keys (shown once, stored as a hash), revoke or rotate them, and edit service questions."""

import hashlib

import pytest
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD
from grassroots.events.models import EventType
from grassroots.open311 import services
from grassroots.open311.models import OpenClient, ServiceAttribute
from grassroots.people.choices import Role
from grassroots.people.models import Person

from .conftest import match

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world) -> Client:
    root = Person.objects.create_superuser(
        username="root", password=PASSWORD, name="系统管理员", role=Role.SYSTEM_ADMIN
    )
    client = Client()
    client.force_login(root)
    return client


def test_creating_a_client_shows_its_key_once_and_stores_only_a_hash(admin_client, world):
    response = admin_client.post(
        "/admin/open311/openclient/add/",
        {
            "name": "嘉善随手拍",
            "contact": "张工 0573-1234567",
            "district": world.district.pk,
            "rate_limit_per_minute": 30,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "密钥只显示这一次" in html
    key = match(r'<code id="api-key"[^>]*>([^<]+)</code>', html)
    client = OpenClient.objects.get(name="嘉善随手拍")
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in "".join(str(v) for v in OpenClient.objects.values_list().get())
    assert services.open_client_authenticate(key) == client
    # The service account files but cannot log in.
    assert not client.person.is_active and not client.person.has_usable_password()
    assert client.person.division_id == world.district.pk
    assert "no-store" in response["Cache-Control"]
    change = admin_client.get(f"/admin/open311/openclient/{client.pk}/change/").content.decode()
    assert key not in change and client.prefix in change
    assert AuditEntry.objects.filter(action="open_client.create", object_id=str(client.pk)).exists()


def test_revoking_a_client_stops_its_key(admin_client, world):
    client, key = services.open_client_create(actor=None, name="旧 App", district=world.district)
    admin_client.post(
        "/admin/open311/openclient/", {"action": "revoke", "_selected_action": [client.pk]}, follow=True
    )
    assert services.open_client_authenticate(key) is None
    client.refresh_from_db()
    assert client.revoked_at is not None and not client.is_active


def test_rotating_a_key_shows_the_new_one_and_retires_the_old(admin_client, world):
    client, old = services.open_client_create(actor=None, name="App", district=world.district)
    response = admin_client.post(
        "/admin/open311/openclient/", {"action": "rotate_key", "_selected_action": [client.pk]}
    )
    new = match(r'<code id="api-key"[^>]*>([^<]+)</code>', response.content.decode())
    assert new != old
    assert services.open_client_authenticate(old) is None
    assert services.open_client_authenticate(new) == client


def test_a_service_question_with_a_list_needs_its_values(admin_client, world):
    road = EventType.objects.get(code="FW0404")
    data = {
        "event_type": road.pk,
        "order": 1,
        "code": "outage",
        "description": "停水还是停电",
        "datatype": "singlevaluelist",
        "required": "on",
        "variable": "on",
        "datatype_description": "",
        "values": "[]",
    }
    refused = admin_client.post("/admin/open311/serviceattribute/add/", data)
    assert refused.status_code == 200
    assert "单选/多选须列出可选值" in refused.content.decode()
    data["values"] = '[{"key": "water", "name": "停水"}, {"key": "power", "name": "停电"}]'
    assert admin_client.post("/admin/open311/serviceattribute/add/", data).status_code == 302
    attribute = ServiceAttribute.objects.get(event_type=road, code="outage")
    assert attribute.value_names() == {"water": "停水", "power": "停电"}
    assert AuditEntry.objects.filter(action="serviceattribute.create").exists()
