"""Notices: published to a unit, a village and a grid (resolved to the people there), read receipts set by opening
it, one reminder to whoever has not read it after the notice's working hours, and the receipts shown to the sender only."""

import pytest
from django.urls import reverse

from grassroots.core.errors import InvalidInput
from grassroots.notifications.models import Notification

from ..models import NoticeReceipt
from ..services.notices import notice_publish, notice_reminders_send
from .support import at, build_township

pytestmark = pytest.mark.django_db


def test_a_notice_reaches_the_unit_the_village_and_the_grid_and_counts_who_read_it(
    world, django_capture_on_commit_callbacks
):
    town = build_township(world)
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_publish(
            actor=world.oscar,
            township=world.township,
            forum="command",
            title="关于做好汛期安全隐患排查的通知",
            body="请各单位于本周五前完成排查。",
            units=[town.police],
            villages=[world.village_b],
            grids=[world.grid_a],
            remind_after_hours=8,
            now=at(10, 12, 9),
        )
    via = dict(NoticeReceipt.objects.filter(notice=notice).values_list("person__username", "via"))
    assert via == {"pete": "西塘派出所", "carol": "鸦鹊村", "alice": "网格01"}
    assert Notification.objects.filter(verb="notice").count() == 3

    carol = world.client_for(world.carol)
    assert "关于做好汛期安全隐患排查的通知" in carol.get(reverse("inbox:list")).content.decode()
    page = carol.get(reverse("meetings:notice", args=[notice.pk])).content.decode()
    assert "请各单位于本周五前完成排查。" in page and 'data-testid="receipts"' not in page
    assert NoticeReceipt.objects.get(person=world.carol).read_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        # Eight working hours from Monday 09:00: 3 h to noon, 4 h to 17:30, the eighth from 08:30 on Tuesday.
        assert notice_reminders_send(now=at(10, 12, 23, 59)) == 0
        assert notice_reminders_send(now=at(10, 13, 9, 29)) == 0
        assert notice_reminders_send(now=at(10, 13, 9, 30)) == 2  # Pete and Alice; Carol has read it
        assert notice_reminders_send(now=at(10, 14, 9)) == 0  # once
    assert set(
        Notification.objects.filter(verb="notice_reminder").values_list("recipient__username", flat=True)
    ) == {
        "pete",
        "alice",
    }
    receipts = (
        world.client_for(world.oscar).get(reverse("meetings:notice", args=[notice.pk])).content.decode()
    )
    assert receipts.count('data-testid="receipt"') == 3 and receipts.count("未读") == 2


def test_the_reminder_hours_default_to_the_setting(world, settings):
    build_township(world)
    settings.NOTICE_REMIND_WORKING_HOURS = 3
    notice = notice_publish(
        actor=world.oscar,
        township=world.township,
        forum="command",
        title="t",
        body="b",
        villages=[world.village_b],
        now=at(10, 12, 9),
    )
    assert notice.remind_after_hours == 3
    assert notice_reminders_send(now=at(10, 12, 11, 59)) == 0
    assert notice_reminders_send(now=at(10, 12, 12, 0)) == 1  # Carol, after 09:00–12:00


def test_a_notice_outside_the_township_or_to_nobody_is_refused(world):
    with pytest.raises(InvalidInput) as exc:
        notice_publish(actor=world.oscar, township=world.township, forum="command", title="t", body="b")
    assert exc.value.code == "notice_no_recipients"
