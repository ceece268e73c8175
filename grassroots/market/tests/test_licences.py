import datetime as dt

from grassroots.notifications.models import Notification
from grassroots.workcal.calendar import local_today

from ..services.licences import licence_reminders_send
from .support import add_licence, make_entity, people


def test_licences_expiring_within_30_days_are_told_once_to_the_grid_and_the_towns_inspector(
    world, django_capture_on_commit_callbacks
):
    cast = people(world)
    today = local_today()
    soon = add_licence(make_entity(world, 1), valid_to=today + dt.timedelta(days=20))
    add_licence(make_entity(world, 2), valid_to=today + dt.timedelta(days=45))  # not yet
    add_licence(make_entity(world, 3), valid_to=today - dt.timedelta(days=1))  # already expired
    add_licence(make_entity(world, 4, status="deregistered"), valid_to=today + dt.timedelta(days=5))

    with django_capture_on_commit_callbacks(execute=True):
        assert licence_reminders_send(today=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert licence_reminders_send(today=today) == 0

    told = Notification.objects.filter(verb="licence_expiring")
    assert set(told.values_list("recipient_id", flat=True)) == {world.alice.pk, cast["ivan"].pk}
    assert all("还有 20 天" in n.text for n in told)
    soon.refresh_from_db()
    assert soon.reminded_on == today


def test_the_timer_workers_tick_sends_the_reminders(world, django_capture_on_commit_callbacks):
    from grassroots.events.management.commands.run_timers import run_tick

    people(world)
    add_licence(make_entity(world, 1), valid_to=local_today() + dt.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_tick()
    assert summary.others["证照到期提醒"] == 1 and "证照到期提醒 1" in str(summary)
    assert Notification.objects.filter(verb="licence_expiring").exists()
    assert run_tick().others["证照到期提醒"] == 0  # told once
