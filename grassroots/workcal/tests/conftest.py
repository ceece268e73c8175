"""Every test starts and ends with no cached calendar: rolled-back overrides must not leak into the next."""

from collections.abc import Iterator

import pytest

from grassroots.workcal.calendar import clear_calendar_cache


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    clear_calendar_cache()
    yield
    clear_calendar_cache()
