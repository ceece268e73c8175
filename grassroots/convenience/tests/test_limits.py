"""The promised limit on the working calendar, hand-computed: counted from the day after 接件, in working hours
(08:30–12:00, 13:30–17:30: 7.5 hours a day), weekends and the 2026 National Day holiday left out (with its make-up
Saturday, 10 October, worked), and the time an application waits for a supplement (补正) not counted."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from .. import services
from ..choices import Status
from .support import build_centre

Z = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=Z)


@pytest.fixture
def c(world: Any) -> Any:
    return build_centre(world)


def _apply(c: Any, now: dt.datetime, *, complete: bool = True) -> Any:
    materials = list(c.permit.materials.order_by("order"))  # required, tolerated, conditional
    received = [materials[0].pk, materials[1].pk] if complete else [materials[0].pk]
    return services.application_apply(
        actor=c.wendy, item_code=c.permit.code, applicant_name="沈国强", materials_received=received, now=now
    )


def test_five_working_days_run_from_the_next_day(c: Any) -> None:
    application = _apply(c, at(11, 2, 9, 30))  # Monday
    # Tuesday 3, Wednesday 4, Thursday 5, Friday 6, (weekend), Monday 9: the end of its working hours.
    assert application.due_at == at(11, 9, 17, 30)


def test_the_national_day_holiday_is_not_counted_and_its_make_up_saturday_is(c: Any) -> None:
    application = _apply(c, at(9, 29, 9, 30))  # Tuesday
    # Wednesday 30 September; 1–7 October off; Thursday 8, Friday 9, Saturday 10 (make-up), Monday 12.
    assert application.due_at == at(10, 12, 17, 30)


def test_time_waiting_for_a_supplement_is_not_counted(c: Any) -> None:
    application = _apply(c, at(11, 2, 9, 30))
    services.application_request_correction(
        actor=c.wendy,
        application=application,
        items=[{"material": None, "name": "补充说明", "reason": "内容不全"}],
        now=at(11, 4, 14, 0),  # Wednesday: 7.5 h (Tuesday) + 3.5 h + 0.5 h = 11.5 h of 37.5 used
    )
    application.refresh_from_db()
    assert application.status == Status.CORRECTING and application.due_at is None
    services.application_supply(actor=c.wendy, application=application, now=at(11, 6, 14, 0))
    application.refresh_from_db()
    # 26 h left from Friday 14:00: 3.5 h on Friday, then Monday, Tuesday and Wednesday whole.
    assert application.due_at == at(11, 11, 17, 30)


def test_a_notice_at_the_window_pauses_the_clock_before_it_starts(c: Any) -> None:
    application = _apply(c, at(11, 2, 9, 30), complete=False)
    assert application.status == Status.CORRECTING and application.due_at is None
    services.application_supply(actor=c.wendy, application=application, now=at(11, 4, 10, 0))
    application.refresh_from_db()
    # Nothing was used before the supplement; the whole 37.5 h run from Wednesday 10:00 (5 × 7.5 h).
    assert application.due_at == at(11, 11, 10, 0)
