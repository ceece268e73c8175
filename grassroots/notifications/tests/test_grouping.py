"""Notices grouped per event (issue #12): the same kind of notice about the same event, while the recipient has not
read it, is one inbox line that counts its repeats; its email is not sent again within the quiet time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import Event, EventType
from grassroots.notifications.models import Notification, OutboxEmail
from grassroots.notifications.services import EMAIL_QUIET, notifications_mark_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(world) -> Event:
    return s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="违章搭建",
        lon=120.885,
        lat=30.945,
    ).event


@pytest.fixture
def dora(world):
    world.dora.email = "dora@example.com"
    world.dora.save()
    return world.dora


def lines(person) -> list[tuple[str, str, int, bool]]:
    rows = Notification.objects.filter(recipient=person).order_by("-created_at", "-id")
    return [(n.verb, n.text, n.repeats, n.read_at is None) for n in rows]


def test_the_same_unread_notice_about_one_event_is_one_line_with_its_count_and_latest_text(dora, event):
    for n in range(1, 5):
        notify(person_ids=[dora.pk], verb="supervise", text=f"督办 第{n}次", event_id=event.pk)

    assert lines(dora) == [("supervise", "督办 第4次", 4, True)]


def test_a_repeat_moves_the_line_to_the_top_with_its_new_time(dora, event):
    notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)
    first = Notification.objects.get(recipient=dora)
    notify(person_ids=[dora.pk], verb="dispatch", text="新派遣任务", event_id=event.pk)

    notify(person_ids=[dora.pk], verb="supervise", text="督办（再次）", event_id=event.pk)

    assert [v for v, *_ in lines(dora)] == ["supervise", "dispatch"]
    assert Notification.objects.get(pk=first.pk).created_at > first.created_at


def test_other_kinds_other_events_and_read_notices_are_separate_lines(world, dora, event):
    other = s.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="另一处违建",
        lon=120.885,
        lat=30.945,
    ).event
    notify(person_ids=[dora.pk], verb="supervise", text="A 督办", event_id=event.pk)
    notify(person_ids=[dora.pk], verb="warn", text="A 预警", event_id=event.pk)
    notify(person_ids=[dora.pk], verb="supervise", text="B 督办", event_id=other.pk)
    notifications_mark_read(person=dora)

    notify(person_ids=[dora.pk], verb="supervise", text="A 督办（新）", event_id=event.pk)

    assert Notification.objects.filter(recipient=dora).count() == 4
    assert Notification.objects.get(recipient=dora, read_at__isnull=True).repeats == 1


def test_notices_without_an_event_are_never_grouped(dora):
    notify(person_ids=[dora.pk], verb="outbox", text="系统通知")
    notify(person_ids=[dora.pk], verb="outbox", text="系统通知")

    assert Notification.objects.filter(recipient=dora).count() == 2


def test_each_recipient_has_their_own_line(world, dora, event):
    notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)
    notify(person_ids=[dora.pk, world.bob.pk], verb="supervise", text="督办", event_id=event.pk)

    assert lines(dora) == [("supervise", "督办", 2, True)]
    assert lines(world.bob) == [("supervise", "督办", 1, True)]


def test_a_repeat_within_the_quiet_time_is_not_emailed_again_and_a_later_one_is(dora, event):
    notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)
    notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)
    assert OutboxEmail.objects.filter(to="dora@example.com").count() == 1

    earlier = timezone.now() - EMAIL_QUIET - dt.timedelta(minutes=1)
    Notification.objects.filter(recipient=dora).update(created_at=earlier)
    notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)

    assert OutboxEmail.objects.filter(to="dora@example.com").count() == 2
    assert Notification.objects.get(recipient=dora).repeats == 3


def test_the_inbox_page_shows_one_line_for_the_event_with_its_count(world, dora, event):
    for _ in range(3):
        notify(person_ids=[dora.pk], verb="supervise", text="督办：请尽快办结", event_id=event.pk)

    html = world.client_for(dora).get(reverse("inbox:list")).content.decode()

    assert html.count("督办：请尽快办结") == 1 and "（共3次）" in html


def test_the_inbox_api_reports_the_count(world, dora, event):
    for _ in range(2):
        notify(person_ids=[dora.pk], verb="supervise", text="督办", event_id=event.pk)

    body = world.client_for(dora).get("/api/v1/inbox").json()

    assert [(n["text"], n["repeats"]) for n in body["items"]] == [("督办", 2)]


def test_the_phone_inbox_shows_the_count_too(world, event):
    for _ in range(2):
        notify(person_ids=[world.alice.pk], verb="check", text="请现场核查", event_id=event.pk)

    html = world.client_for(world.alice).get(reverse("mobile:inbox")).content.decode()

    assert html.count("请现场核查") == 1 and "（共2次）" in html
