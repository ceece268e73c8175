"""workcal.W001: the administrator hears about a year the calendar has to guess."""

from datetime import date

import pytest

from grassroots.workcal.checks import check_calendar_years
from grassroots.workcal.models import CalendarOverride


@pytest.fixture
def today_is_2040(monkeypatch: pytest.MonkeyPatch) -> None:
    # Far beyond any chinesecalendar release, so the test does not age.
    monkeypatch.setattr("grassroots.workcal.checks.local_today", lambda: date(2040, 6, 1))


@pytest.mark.django_db
@pytest.mark.usefixtures("today_is_2040")
def test_a_year_without_package_data_or_overrides_is_warned_about() -> None:
    [warning] = check_calendar_years(app_configs=None, databases=None)
    assert warning.id == "workcal.W001"
    assert "2040、2041 年没有法定节假日数据" in warning.msg
    assert "周末休息" in warning.msg


@pytest.mark.django_db
@pytest.mark.usefixtures("today_is_2040")
def test_a_year_with_overrides_is_no_longer_warned_about() -> None:
    CalendarOverride.objects.create(date=date(2040, 1, 1), is_workday=False, name="元旦")
    [warning] = check_calendar_years(app_configs=None, databases=None)
    assert "2041 年" in warning.msg
    assert "2040" not in warning.msg
    CalendarOverride.objects.create(date=date(2041, 1, 1), is_workday=False, name="元旦")
    assert check_calendar_years(app_configs=None, databases=None) == []


def test_years_the_package_knows_need_no_database_and_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    # No django_db mark: any query here would fail the test.
    monkeypatch.setattr("grassroots.workcal.checks.local_today", lambda: date(2024, 6, 1))
    assert check_calendar_years(app_configs=None, databases=None) == []
