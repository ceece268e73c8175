"""The inbox through the API: my notifications with the unread count, marked read by id or all at once."""

import pytest

from grassroots.notifications.models import Notification
from grassroots.notifications.services import notify

pytestmark = pytest.mark.django_db


def test_the_inbox_counts_unread_messages_and_marks_them_read(world):
    notify(person_ids=[world.dora.pk], verb="dispatch", text="新派遣任务 A", email=False)
    notify(person_ids=[world.dora.pk], verb="dispatch", text="新派遣任务 B", email=False)
    notify(person_ids=[world.alice.pk], verb="verify", text="请现场核实", email=False)
    client = world.client_for(world.dora)

    inbox = client.get("/api/v1/inbox").json()
    assert inbox["unread"] == 2
    assert [n["text"] for n in inbox["items"]] == ["新派遣任务 B", "新派遣任务 A"]

    first = inbox["items"][1]["id"]
    marked = client.post("/api/v1/inbox/read", {"ids": [first]}, content_type="application/json").json()
    assert marked == {"marked": 1, "unread": 1}
    assert [n["text"] for n in client.get("/api/v1/inbox", {"unread": "true"}).json()["items"]] == [
        "新派遣任务 B"
    ]
    assert client.post("/api/v1/inbox/read", {}, content_type="application/json").json() == {
        "marked": 1,
        "unread": 0,
    }
    assert Notification.objects.filter(recipient=world.alice, read_at__isnull=True).count() == 1


def test_the_inbox_api_needs_a_signed_in_person(client):
    response = client.get("/api/v1/inbox")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_limit_is_bounded(world):
    response = world.client_for(world.dora).get("/api/v1/inbox", {"limit": 201})
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
