"""The inbox page: a person's notifications with the unread count, marked read one by one or all at once."""

import pytest
from django.urls import reverse

from grassroots.events.tests.views_support import htmx, page_text, report
from grassroots.notifications.models import Notification
from grassroots.notifications.services import notify

pytestmark = pytest.mark.django_db
INBOX = "/command/inbox/"  # the address people keep; the tests below pin it


@pytest.fixture
def notes(world):
    event = report(world.alice)
    notify(person_ids=[world.dora.pk], verb="dispatch", text="新派遣任务：河边私搭简易棚", event_id=event.pk)
    notify(person_ids=[world.dora.pk], verb="supervise", text="督办：请于明日前办结", event_id=event.pk)
    notify(person_ids=[world.oscar.pk], verb="fed_back", text="奥斯卡的通知")
    return event


def test_the_inbox_lists_my_notifications_with_links_to_the_event(world, notes):
    response = world.client_for(world.dora).get(INBOX)
    html = page_text(response)
    assert response.status_code == 200
    assert (
        "新派遣任务：河边私搭简易棚" in html and "督办：请于明日前办结" in html and "奥斯卡的通知" not in html
    )
    assert f'href="/command/events/{notes.pk}/"' in html
    assert response.context["unread"] == 2 and 'id="unread-count">2<' in html


def test_marking_one_read_keeps_the_other_unread(world, notes):
    client = world.client_for(world.dora)
    first = Notification.objects.filter(recipient=world.dora).earliest("id")
    response = client.post("/command/inbox/read/", {"id": first.pk})
    assert response.status_code == 302 and response.url == INBOX
    assert Notification.objects.filter(recipient=world.dora, read_at__isnull=True).count() == 1
    unread = client.get(INBOX, {"unread": "1"})
    assert "督办：请于明日前办结" in page_text(unread) and "新派遣任务" not in page_text(unread)


def test_marking_all_read_through_htmx_updates_the_list_and_the_badge(world, notes):
    response = world.client_for(world.dora).post(
        "/command/inbox/read/", {"all": "1"}, headers=htmx("inbox-body")
    )
    html = page_text(response)
    assert response.status_code == 200 and 'id="unread-count" hx-swap-oob="delete"' in html
    assert not Notification.objects.filter(recipient=world.dora, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.oscar, read_at__isnull=True).count() == 1


def test_nobody_can_mark_someone_elses_notifications(world, notes):
    oscars = Notification.objects.get(recipient=world.oscar)
    world.client_for(world.dora).post("/command/inbox/read/", {"id": oscars.pk})
    assert Notification.objects.get(pk=oscars.pk).read_at is None


def test_every_signed_in_person_has_an_inbox(world, notes, client):
    assert world.client_for(world.bob).get(INBOX).status_code == 200
    phone = world.client_for(world.alice).get(INBOX, follow=True)  # a grid worker's inbox is the phone's
    assert phone.status_code == 200 and phone.redirect_chain == [("/m/inbox/", 302)]
    assert client.get(INBOX).status_code == 302


def test_the_page_keeps_its_addresses_under_the_command_room():
    assert reverse("inbox:list") == INBOX and reverse("inbox:read") == "/command/inbox/read/"


def test_a_tab_through_htmx_answers_only_the_list(world, notes):
    response = world.client_for(world.dora).get(INBOX, {"unread": "1"}, headers=htmx("inbox-body"))
    html = page_text(response)
    assert html.lstrip().startswith('<div id="inbox-body">') and "<html" not in html
    assert "督办：请于明日前办结" in html and "新派遣任务" in html
