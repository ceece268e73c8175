"""The simulated clock the demo history runs under: `simulated_time` makes every `timezone.now()` read it."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone


class SimulatedClock:
    """Stands in for `django.utils.timezone.now` during a run: returns the simulated moment (in UTC, as Django's
    own does: audit signatures cover the ISO form of the time)."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment.astimezone(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> None:
        self.moment = moment.astimezone(dt.UTC)


@contextmanager
def simulated_time(clock: SimulatedClock) -> Iterator[SimulatedClock]:
    """Every `timezone.now()` (and `timezone.localtime()`) reads `clock` until the block ends."""
    original = timezone.now
    setattr(timezone, "now", clock)  # noqa: B010  (mypy refuses a plain assignment to a module function)
    try:
        yield clock
    finally:
        setattr(timezone, "now", original)  # noqa: B010
