"""The working-day calendar (工作日历): official holidays, local overrides and working hours as one clock.

Time limits count working time (DOMAIN.md §6). Rather than stepping day by day, the calendar models it as a
monotone function W(t) = working seconds between 2004-01-01 00:00 and t, precomputed as prefix sums over days,
so a deadline is two lookups: W(start), then the earliest moment at which W reaches W(start) + limit.
"""

import logging
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import chain, pairwise
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Max

from .choices import LimitUnit, StatusLight
from .models import CalendarOverride

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Asia/Shanghai has kept +08:00 without daylight saving since 1991 and the calendar starts in 2004, so wall
# time is epoch seconds plus a constant: no time-zone database lookups on the hot path.
UTC_OFFSET = 8 * 3600
DAY = 86_400
HOUR = 3_600
FIRST_YEAR = 2004
# Deadlines are set at most months ahead; three spare years also cover a process that lives across New Year.
YEARS_AHEAD = 3
DEFAULT_WORKING_HOURS = ("08:30-12:00", "13:30-17:30")
# The years chinesecalendar knows, by its own definition (it refuses dates outside them).
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)
# Green up to this share of the limit, yellow above it until overdue (DOMAIN.md §6); a Fraction so that
# exactly 80% is still green, whatever float rounding would say.
YELLOW_FROM = Fraction(4, 5)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_ONE_SECOND = timedelta(seconds=1)

EpochSeconds = npt.NDArray[np.int64]
# A suspension: (paused at, resumed at), or (paused at, None) while it is still paused.
Pause = tuple[datetime, datetime | None]


def days_text(value: Any) -> str:
    """A number of days as people write it: 5 and 0.5, never "5.0" (limits are stored with one decimal)."""
    return f"{Decimal(str(value)).normalize():f}"


def local_today() -> date:
    """Today in China, whatever TIME_ZONE says: the official calendar is China's."""
    return datetime.now(SHANGHAI).date()


def parse_working_hours(specs: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """["08:30-12:00", ...] as sorted (start, end) seconds since midnight; overlaps and empty days refused."""
    windows = []
    for spec in specs:
        try:
            start_text, end_text = spec.split("-")
            start, end = _seconds_of_day(start_text), _seconds_of_day(end_text)
        except ValueError as exc:
            raise ImproperlyConfigured(f"WORKING_HOURS: cannot read {spec!r}, expected HH:MM-HH:MM") from exc
        if not 0 <= start < end <= DAY:
            raise ImproperlyConfigured(f"WORKING_HOURS: {spec!r} must start before it ends, within one day")
        windows.append((start, end))
    windows.sort()
    if not windows:
        raise ImproperlyConfigured("WORKING_HOURS is empty: a working day would last no time at all")
    for (_, previous_end), (next_start, _) in pairwise(windows):
        if next_start < previous_end:
            raise ImproperlyConfigured(f"WORKING_HOURS: windows overlap in {list(specs)!r}")
    return tuple(windows)


def _seconds_of_day(text: str) -> int:
    hours, minutes = text.strip().split(":")
    if not (0 <= int(hours) <= 24 and 0 <= int(minutes) < 60):
        raise ValueError(text)
    return int(hours) * HOUR + int(minutes) * 60


def to_epoch_seconds(moment: datetime) -> int:
    """Whole seconds since 1970-01-01 UTC, floored; deadlines are kept to the second."""
    if moment.tzinfo is SHANGHAI:
        # Django's local zone: read the wall clock, a third of the cost of asking the zone (see UTC_OFFSET).
        wall = (
            (moment.toordinal() - _EPOCH_ORDINAL) * DAY
            + moment.hour * HOUR
            + moment.minute * 60
            + moment.second
        )
        return wall - UTC_OFFSET
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"the calendar needs timezone-aware datetimes, got {moment!r}")
    return (moment - _EPOCH) // _ONE_SECOND


def from_epoch_seconds(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, SHANGHAI)


class WorkCalendar:
    """Working days and hours from 2004-01-01 to the end of `last_year`; built once, then only read.

    Day status comes from chinesecalendar (holidays and make-up working days), then the local overrides, which
    win. A year that neither knows is assumed to work Monday to Friday and is listed in `assumed_years`.
    Dates outside the covered range raise ValueError rather than guessing: a deadline years away is a bug.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[date, bool] | None = None,
        working_hours: Iterable[str] = DEFAULT_WORKING_HOURS,
        last_year: int | None = None,
    ) -> None:
        overrides = overrides or {}
        self.windows = parse_working_hours(working_hours)
        self.day_seconds = sum(end - start for start, end in self.windows)
        # Keyed by value: a unit read from a CharField is a plain str, which hashes like the enum member.
        self._unit_seconds = {
            LimitUnit.WORKING_HOURS.value: HOUR,
            LimitUnit.WORKING_DAYS.value: self.day_seconds,
            LimitUnit.NATURAL_DAYS.value: DAY,
        }
        self.first_day = date(FIRST_YEAR, 1, 1)
        self.last_year = last_year if last_year is not None else local_today().year + YEARS_AHEAD
        days = (date(self.last_year + 1, 1, 1) - self.first_day).days
        workday = (self.first_day.weekday() + np.arange(days)) % 7 < 5
        for day, is_workday in chain(
            ((day, False) for day in chinese_calendar.holidays),
            ((day, True) for day in chinese_calendar.workdays),
            overrides.items(),  # last, so that they win
        ):
            index = (day - self.first_day).days
            if 0 <= index < days:
                workday[index] = is_workday
        override_years = {day.year for day in overrides}
        self.assumed_years = {
            year
            for year in range(FIRST_YEAR, self.last_year + 1)
            if year not in PACKAGE_YEARS and year not in override_years
        }

        # cumulative[i] = W at midnight starting day i; cumulative[-1] = W at the end of the range.
        self._cumulative = np.zeros(days + 1, dtype=np.int64)
        np.cumsum(workday * self.day_seconds, out=self._cumulative[1:])
        self._workday = workday
        self._days = days
        self._first_local = (self.first_day - date(1970, 1, 1)).days * DAY
        # window_cumulative[j] = working seconds in a working day before window j opens.
        self._window_starts = np.array([start for start, _ in self.windows], dtype=np.int64)
        self._window_cumulative = np.concatenate(
            [[0], np.cumsum([end - start for start, end in self.windows])]
        ).astype(np.int64)
        # The scalar path reads Python lists: indexing one is several times faster than a NumPy scalar.
        self._cumulative_list: list[int] = self._cumulative.tolist()
        self._workday_list: list[bool] = workday.tolist()
        self._window_starts_list: list[int] = self._window_starts.tolist()
        self._window_cumulative_list: list[int] = self._window_cumulative.tolist()

    def __repr__(self) -> str:
        assumed = sorted(self.assumed_years)
        return f"<WorkCalendar {FIRST_YEAR}-{self.last_year} day={self.day_seconds}s assumed={assumed}>"

    # -- days ---------------------------------------------------------------------------------------------

    def is_workday(self, day: date) -> bool:
        return self._workday_list[self._day_index(day)]

    def _day_index(self, day: date) -> int:
        index = (day - self.first_day).days
        if not 0 <= index < self._days:
            raise ValueError(f"{day} is outside the working calendar ({FIRST_YEAR}–{self.last_year})")
        return index

    # -- the clock W(t) and its inverse -------------------------------------------------------------------

    def working_clock(self, moment: datetime) -> int:
        """W(moment): working seconds since 2004-01-01 00:00 (China time)."""
        return self._clock(to_epoch_seconds(moment))

    def moment_at(self, clock: int) -> datetime:
        """The earliest moment at which W reaches `clock`: a deadline falls at 17:30, not 08:30 next day."""
        return from_epoch_seconds(self._moment(clock))

    def _clock(self, epoch: int) -> int:
        day, second = divmod(epoch + UTC_OFFSET - self._first_local, DAY)
        if not 0 <= day < self._days:
            raise ValueError(
                f"{from_epoch_seconds(epoch)} is outside the working calendar ({FIRST_YEAR}–{self.last_year})"
            )
        clock = self._cumulative_list[day]
        if self._workday_list[day]:
            for start, end in self.windows:
                if second <= start:
                    break
                clock += (second if second < end else end) - start
        return clock

    def _moment(self, clock: int) -> int:
        cumulative = self._cumulative_list
        if not 0 <= clock <= cumulative[-1]:
            raise ValueError(
                f"working clock {clock} is outside the working calendar ({FIRST_YEAR}–{self.last_year})"
            )
        # The day in which W climbs to `clock`: cumulative[day] < clock <= cumulative[day + 1].
        day = bisect_left(cumulative, clock) - 1 if clock else 0
        rest = clock - cumulative[day]
        window = bisect_left(self._window_cumulative_list, rest) - 1
        # rest == 0 only for clock == 0: midnight of the first day.
        second = (
            0
            if window < 0
            else self._window_starts_list[window] + rest - self._window_cumulative_list[window]
        )
        return self._first_local + day * DAY + second - UTC_OFFSET

    # -- scalar API ---------------------------------------------------------------------------------------

    def working_seconds_between(self, start: datetime, end: datetime) -> int:
        """W(end) - W(start): never negative when end >= start, negative the other way round."""
        return self.working_clock(end) - self.working_clock(start)

    def add_working_seconds(self, start: datetime, seconds: int) -> datetime:
        """The earliest moment `seconds` of working time after `start`: Saturday + 1 day = Monday 17:30."""
        epoch = to_epoch_seconds(start)
        if seconds == 0:
            # W is flat outside working hours; its inverse would step back to the close of the last window.
            return start.astimezone(SHANGHAI)
        return from_epoch_seconds(self._moment(self._clock(epoch) + seconds))

    def unit_seconds(self, unit: LimitUnit) -> int:
        """How many seconds (working seconds for the working units) one `unit` lasts."""
        try:
            return self._unit_seconds[unit]
        except KeyError:
            raise ValueError(f"unknown limit unit {unit!r}") from None

    def add(self, start: datetime, amount: float, *, unit: LimitUnit) -> datetime:
        """The deadline `amount` units after `start`."""
        if unit == LimitUnit.NATURAL_DAYS:
            return (start + timedelta(days=amount)).astimezone(SHANGHAI)
        return self.add_working_seconds(start, round(amount * self.unit_seconds(unit)))

    def _measure(self, start: datetime, end: datetime, *, unit: LimitUnit) -> float:
        """Seconds from start to end, working seconds for the working units."""
        if unit == LimitUnit.NATURAL_DAYS:
            return (end - start).total_seconds()
        return self.working_seconds_between(start, end)

    def elapsed(
        self, start: datetime, end: datetime, *, unit: LimitUnit, pauses: Iterable[Pause] = ()
    ) -> float:
        """Time used from start to end in `unit`, less the pauses; 0 when end is not after start."""
        if end <= start:
            return 0.0
        paused = _merge_pauses(pauses, open_until=end, lower=start, upper=end)
        used = self._measure(start, end, unit=unit) - sum(self._measure(s, e, unit=unit) for s, e in paused)
        return used / self.unit_seconds(unit)

    def extend_for_pauses(
        self,
        deadline: datetime,
        *,
        pauses: Iterable[Pause],
        unit: LimitUnit,
        now: datetime | None = None,
    ) -> datetime:
        """The deadline pushed on by the time the pauses covered; an open pause counts until `now`."""
        paused = _merge_pauses(pauses, open_until=now or datetime.now(UTC))
        if unit == LimitUnit.NATURAL_DAYS:
            return (deadline + sum((e - s for s, e in paused), timedelta())).astimezone(SHANGHAI)
        return self.add_working_seconds(deadline, sum(self.working_seconds_between(s, e) for s, e in paused))

    def status_light(
        self,
        *,
        started: datetime,
        deadline: datetime,
        now: datetime,
        unit: LimitUnit,
        pauses: Iterable[Pause] = (),
    ) -> StatusLight:
        """Green up to 80% of the limit used, yellow up to 100%, red past the deadline (plus pauses)."""
        if now <= started:
            return StatusLight.GREEN
        paused = _merge_pauses(pauses, open_until=now, lower=started, upper=now)
        paused_seconds = sum(self._measure(s, e, unit=unit) for s, e in paused)
        if unit == LimitUnit.NATURAL_DAYS:
            extended = deadline + timedelta(seconds=paused_seconds)
        else:
            extended = self.add_working_seconds(deadline, int(paused_seconds))
        # Wall clock, not W: a deadline of Friday 17:30 is overdue on Saturday though no working time passed.
        if now > extended:
            return StatusLight.RED
        limit = self._measure(started, deadline, unit=unit)
        used = self._measure(started, now, unit=unit) - paused_seconds
        if Fraction(used) > YELLOW_FROM * Fraction(limit):
            return StatusLight.YELLOW
        return StatusLight.GREEN

    # -- batch API ----------------------------------------------------------------------------------------

    def working_clock_many(self, moments: Sequence[datetime] | npt.ArrayLike) -> EpochSeconds:
        """W for many moments at once: aware datetimes, or epoch seconds in a NumPy array."""
        epochs = _as_epoch_array(moments)
        day, second = np.divmod(epochs + (UTC_OFFSET - self._first_local), DAY)
        if day.size and (day.min() < 0 or day.max() >= self._days):
            raise ValueError(f"some moments are outside the working calendar ({FIRST_YEAR}–{self.last_year})")
        within = np.zeros_like(second)
        for start, end in self.windows:
            within += np.clip(second - start, 0, end - start)
        return self._cumulative[day] + np.where(self._workday[day], within, 0)

    def moments_at_many(self, clocks: npt.ArrayLike) -> EpochSeconds:
        """The earliest epoch second at which W reaches each clock (the inverse of `working_clock_many`)."""
        clocks = np.asarray(clocks, dtype=np.int64)
        if clocks.size and (clocks.min() < 0 or clocks.max() > self._cumulative[-1]):
            raise ValueError(
                f"some deadlines fall outside the working calendar ({FIRST_YEAR}–{self.last_year})"
            )
        day = np.maximum(np.searchsorted(self._cumulative, clocks, side="left") - 1, 0)
        rest = clocks - self._cumulative[day]
        window = np.searchsorted(self._window_cumulative, rest, side="left") - 1
        safe = np.maximum(window, 0)
        second = np.where(window < 0, 0, self._window_starts[safe] + rest - self._window_cumulative[safe])
        return self._first_local + day * DAY + second - UTC_OFFSET

    def add_working_seconds_many(
        self, starts: Sequence[datetime] | npt.ArrayLike, seconds: int | npt.ArrayLike
    ) -> EpochSeconds:
        """Deadlines for many starts as epoch seconds (`from_epoch_seconds`), by the scalar API's rules."""
        epochs = _as_epoch_array(starts)
        seconds = np.asarray(seconds, dtype=np.int64)
        deadlines = self.moments_at_many(self.working_clock_many(epochs) + seconds)
        return np.where(seconds == 0, epochs, deadlines)

    def add_many(
        self, starts: Sequence[datetime] | npt.ArrayLike, amount: float | npt.ArrayLike, *, unit: LimitUnit
    ) -> EpochSeconds:
        """Deadlines `amount` units after each start, as epoch seconds: for bulk recomputation."""
        epochs = _as_epoch_array(starts)
        seconds = np.rint(np.asarray(amount, dtype=np.float64) * self.unit_seconds(unit)).astype(np.int64)
        if unit == LimitUnit.NATURAL_DAYS:
            return epochs + seconds
        return self.add_working_seconds_many(epochs, seconds)


def _as_epoch_array(moments: Sequence[datetime] | npt.ArrayLike) -> EpochSeconds:
    """Aware datetimes or epoch seconds (int or float) as an int64 array of whole epoch seconds."""
    array = np.asarray(moments)
    if array.dtype == object:
        epochs = np.fromiter(map(to_epoch_seconds, array.ravel()), dtype=np.int64, count=array.size)
        return epochs.reshape(array.shape)
    if array.dtype.kind == "f":
        return np.floor(array).astype(np.int64)
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    raise TypeError(f"expected aware datetimes or epoch seconds, got an array of {array.dtype}")


def _merge_pauses(
    pauses: Iterable[Pause],
    *,
    open_until: datetime,
    lower: datetime | None = None,
    upper: datetime | None = None,
) -> list[tuple[datetime, datetime]]:
    """Pauses as disjoint sorted intervals: open ones end at `open_until`, all clipped to [lower, upper]."""
    clipped = []
    for start, end in pauses:
        end = end or open_until
        if lower is not None:
            start = max(start, lower)
        if upper is not None:
            end = min(end, upper)
        if start < end:
            clipped.append((start, end))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(clipped):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# -- the process-wide calendar -------------------------------------------------------------------------


def build_calendar(*, today: date | None = None) -> WorkCalendar:
    """A calendar from the package, the override table and settings.WORKING_HOURS."""
    today = today or local_today()
    overrides = dict(CalendarOverride.objects.values_list("date", "is_workday"))
    calendar = WorkCalendar(
        overrides=overrides, working_hours=settings.WORKING_HOURS, last_year=today.year + YEARS_AHEAD
    )
    if calendar.assumed_years:
        logger.warning(
            "Working calendar: no holiday data for %s; assuming Monday to Friday. "
            "Enter the official holidays as calendar overrides or upgrade chinesecalendar.",
            ", ".join(str(year) for year in sorted(calendar.assumed_years)),
        )
    return calendar


def years_without_data(*, years: Iterable[int]) -> list[int]:
    """Those of `years` with neither package data nor any override: weekends-only is assumed for them."""
    candidates = sorted(year for year in set(years) if year not in PACKAGE_YEARS)
    if not candidates:
        return []
    covered = {
        day.year for day in CalendarOverride.objects.filter(date__year__in=candidates).dates("date", "year")
    }
    return [year for year in candidates if year not in covered]


@dataclass
class _Cache:
    calendar: WorkCalendar | None = None
    stamp: tuple[Any, ...] = ()
    checked_at: float = float("-inf")


# Other processes learn of changes from this many seconds' old data at worst.
RECHECK_SECONDS = 30.0
_cache = _Cache()
_cache_lock = threading.Lock()


def _override_stamp() -> tuple[Any, ...]:
    # Changes when a row is added, edited or deleted (by save/delete), and at New Year (the range moves on).
    summary = CalendarOverride.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    return (summary["count"], summary["latest"], local_today().year)


def get_calendar() -> WorkCalendar:
    """The process-wide calendar, rebuilt when the override table changes.

    This process learns of changes at once (signals); other processes within RECHECK_SECONDS.
    QuerySet.update() bypasses both the signal and `updated_at`: call `clear_calendar_cache()` after one.
    """
    calendar = _cache.calendar
    if calendar is not None and time.monotonic() - _cache.checked_at < RECHECK_SECONDS:
        return calendar
    with _cache_lock:
        stamp = _override_stamp()
        if _cache.calendar is None or stamp != _cache.stamp:
            _cache.calendar, _cache.stamp = build_calendar(), stamp
        _cache.checked_at = time.monotonic()
        return _cache.calendar


def clear_calendar_cache() -> None:
    """Forget the shared calendar; the next `get_calendar()` rebuilds it."""
    _cache.calendar = None


def on_override_changed(**kwargs: Any) -> None:
    """post_save / post_delete receiver for CalendarOverride."""
    # Now, for this thread, which sees its own uncommitted write; after commit, for the other threads.
    clear_calendar_cache()
    transaction.on_commit(clear_calendar_cache)
