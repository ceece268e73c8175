"""The override table in the admin: its warning about guessed years, and edits that take effect at once."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar
from grassroots.workcal.models import CalendarOverride

CHANGELIST = reverse("admin:workcal_calendaroverride_changelist")


@pytest.fixture
def alice(client: Client) -> Client:
    """Alice administers the system."""
    person = Person.objects.create_superuser(username="alice", name="Alice", password="x" * 12)
    client.force_login(person)
    return client


@pytest.fixture
def today_is_2040(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("grassroots.workcal.admin", "grassroots.workcal.calendar"):
        monkeypatch.setattr(f"{module}.local_today", lambda: date(2040, 6, 1))


@pytest.mark.django_db
@pytest.mark.usefixtures("today_is_2040")
def test_the_changelist_warns_about_this_and_next_year_when_they_are_guessed(alice: Client) -> None:
    response = alice.get(CHANGELIST)
    assert response.status_code == 200
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("2040、2041 年没有法定节假日数据")


@pytest.mark.django_db
@pytest.mark.usefixtures("today_is_2040")
def test_the_changelist_is_quiet_once_both_years_have_overrides(alice: Client) -> None:
    for year in (2040, 2041):
        CalendarOverride.objects.create(date=date(year, 1, 1), is_workday=False, name="元旦")
    response = alice.get(CHANGELIST)
    assert list(get_messages(response.wsgi_request)) == []


@pytest.mark.django_db
def test_an_override_added_in_the_admin_changes_the_calendar_at_once(alice: Client) -> None:
    monday = date(2026, 11, 23)
    assert get_calendar().is_workday(monday)
    response = alice.post(
        reverse("admin:workcal_calendaroverride_add"),
        {"date": "2026-11-23", "is_workday": "", "name": "临时停工"},
    )
    assert response.status_code == 302
    assert not get_calendar().is_workday(monday)
