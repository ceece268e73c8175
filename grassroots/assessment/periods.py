"""Assessment periods (day, ISO week, month, quarter, year, custom) in China time, as half-open [start, end).

A period has a stable text key used in URLs and stored with published results ("2026-03", "2026-W10",
"2026-Q1", "2026", "2026-03-05", "2026-03-01~2026-03-15"), a Chinese label, the period before it (for
changes and rank movements) and the buckets a trend chart of it is drawn in.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from grassroots.core.errors import InvalidInput

from .choices import PeriodKind

CHINA = ZoneInfo("Asia/Shanghai")
QUARTER_NAMES = ("一", "二", "三", "四")
# Longest custom period accepted: a little over a year (a year's report plus a margin).
MAX_CUSTOM_DAYS = 400


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=CHINA)


def _month_start(year: int, month: int) -> dt.date:
    while month > 12:
        year, month = year + 1, month - 12
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first: dt.date  # first day
    last: dt.date  # last day (inclusive)

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return _midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def key(self) -> str:
        f = self.first
        if self.kind == PeriodKind.DAY:
            return f.isoformat()
        if self.kind == PeriodKind.WEEK:
            year, week, _ = f.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == PeriodKind.MONTH:
            return f"{f.year}-{f.month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{f.year}-Q{(f.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(f.year)
        return f"{f.isoformat()}~{self.last.isoformat()}"

    @property
    def label(self) -> str:
        f, last = self.first, self.last
        if self.kind == PeriodKind.DAY:
            return f"{f.year}年{f.month}月{f.day}日"
        if self.kind == PeriodKind.WEEK:
            year, week, _ = f.isocalendar()
            return f"{year}年第{week}周（{f.month}月{f.day}日—{last.month}月{last.day}日）"
        if self.kind == PeriodKind.MONTH:
            return f"{f.year}年{f.month}月"
        if self.kind == PeriodKind.QUARTER:
            return f"{f.year}年第{QUARTER_NAMES[(f.month - 1) // 3]}季度"
        if self.kind == PeriodKind.YEAR:
            return f"{f.year}年"
        tail = (
            f"{last.month}月{last.day}日"
            if last.year == f.year
            else f"{last.year}年{last.month}月{last.day}日"
        )
        return f"{f.year}年{f.month}月{f.day}日—{tail}"

    @property
    def short_label(self) -> str:
        """For chart axes and column headers."""
        f = self.first
        if self.kind == PeriodKind.DAY:
            return f"{f.month}/{f.day}"
        if self.kind == PeriodKind.WEEK:
            return f"第{f.isocalendar()[1]}周"
        if self.kind == PeriodKind.MONTH:
            return f"{f.month}月"
        if self.kind == PeriodKind.QUARTER:
            return f"Q{(f.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return f"{f.year}"
        return f"{f.month}/{f.day}—{self.last.month}/{self.last.day}"

    def previous(self) -> "Period":
        f = self.first
        if self.kind == PeriodKind.MONTH:
            return period_of(PeriodKind.MONTH, _month_start(f.year, f.month - 1))
        if self.kind == PeriodKind.QUARTER:
            return period_of(PeriodKind.QUARTER, _month_start(f.year, f.month - 3))
        if self.kind == PeriodKind.YEAR:
            return period_of(PeriodKind.YEAR, dt.date(f.year - 1, 1, 1))
        length = dt.timedelta(days=self.days)
        return Period(self.kind, f - length, self.last - length)

    def contains(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    def buckets(self) -> list["Period"]:
        """The periods a trend over this one is drawn in: months of a year, weeks of a quarter, else days."""
        if self.kind == PeriodKind.DAY:
            return [self]
        if self.kind == PeriodKind.YEAR or (self.kind == PeriodKind.CUSTOM and self.days > 62):
            kind = PeriodKind.MONTH
        elif self.kind == PeriodKind.QUARTER:
            kind = PeriodKind.WEEK
        else:
            kind = PeriodKind.DAY
        out: list[Period] = []
        day = self.first
        while day <= self.last:
            bucket = period_of(kind, day)
            # Clipped to this period: a quarter's first ISO week may start in the quarter before.
            out.append(Period(bucket.kind, max(bucket.first, self.first), min(bucket.last, self.last)))
            day = bucket.last + dt.timedelta(days=1)
        return out


def period_of(kind: str, day: dt.date) -> Period:
    """The period of `kind` that contains `day` (a custom period is that one day)."""
    if kind == PeriodKind.DAY or kind == PeriodKind.CUSTOM:
        return Period(kind, day, day)
    if kind == PeriodKind.WEEK:
        first = day - dt.timedelta(days=day.weekday())
        return Period(kind, first, first + dt.timedelta(days=6))
    if kind == PeriodKind.MONTH:
        first = day.replace(day=1)
        return Period(kind, first, _month_start(day.year, day.month + 1) - dt.timedelta(days=1))
    if kind == PeriodKind.QUARTER:
        first = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, first, _month_start(first.year, first.month + 3) - dt.timedelta(days=1))
    if kind == PeriodKind.YEAR:
        return Period(kind, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    raise InvalidInput("未知的统计周期", details={"period": kind})


def today() -> dt.date:
    return timezone.now().astimezone(CHINA).date()


def period_current(kind: str) -> Period:
    return period_of(kind, today())


_PATTERNS = {
    PeriodKind.DAY: re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    PeriodKind.WEEK: re.compile(r"^(\d{4})-W(\d{1,2})$"),
    PeriodKind.MONTH: re.compile(r"^(\d{4})-(\d{1,2})$"),
    PeriodKind.QUARTER: re.compile(r"^(\d{4})-Q([1-4])$"),
    PeriodKind.YEAR: re.compile(r"^(\d{4})$"),
    PeriodKind.CUSTOM: re.compile(r"^(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})$"),
}
KIND_OF_KEY = [
    (PeriodKind.CUSTOM, _PATTERNS[PeriodKind.CUSTOM]),
    (PeriodKind.DAY, _PATTERNS[PeriodKind.DAY]),
    (PeriodKind.WEEK, _PATTERNS[PeriodKind.WEEK]),
    (PeriodKind.QUARTER, _PATTERNS[PeriodKind.QUARTER]),
    (PeriodKind.MONTH, _PATTERNS[PeriodKind.MONTH]),
    (PeriodKind.YEAR, _PATTERNS[PeriodKind.YEAR]),
]


def period_parse(key: str, kind: str | None = None) -> Period:
    """A period from its key; the kind is read from the key's shape unless given. Chinese errors."""
    key = (key or "").strip()
    if kind is None:
        kind = next((k for k, pattern in KIND_OF_KEY if pattern.match(key)), None)
        if kind is None:
            raise InvalidInput("统计周期格式不正确", details={"period": key})
    pattern = _PATTERNS.get(PeriodKind(kind)) if kind in PeriodKind.values else None
    match = pattern.match(key) if pattern else None
    if match is None:
        raise InvalidInput("统计周期格式不正确", details={"period": key})
    try:
        if kind == PeriodKind.DAY:
            return period_of(kind, dt.date(*map(int, match.groups())))
        if kind == PeriodKind.WEEK:
            year, week = map(int, match.groups())
            return period_of(kind, dt.date.fromisocalendar(year, week, 1))
        if kind == PeriodKind.MONTH:
            year, month = map(int, match.groups())
            return period_of(kind, dt.date(year, month, 1))
        if kind == PeriodKind.QUARTER:
            year, quarter = map(int, match.groups())
            return period_of(kind, dt.date(year, quarter * 3 - 2, 1))
        if kind == PeriodKind.YEAR:
            return period_of(kind, dt.date(int(match.group(1)), 1, 1))
        first, last = (dt.date.fromisoformat(g) for g in match.groups())
    except ValueError:
        raise InvalidInput("统计周期中的日期不存在", details={"period": key}) from None
    if last < first:
        raise InvalidInput("结束日期早于开始日期", details={"period": key})
    if (last - first).days + 1 > MAX_CUSTOM_DAYS:
        raise InvalidInput(f"自定义周期不能超过 {MAX_CUSTOM_DAYS} 天", details={"period": key})
    return Period(PeriodKind.CUSTOM, first, last)


# How far back the period selectors reach (a period outside is still accepted by key, and shown when selected).
OPTION_COUNTS = {PeriodKind.WEEK: 106, PeriodKind.MONTH: 48, PeriodKind.QUARTER: 16, PeriodKind.YEAR: 8}


def period_options(kind: str, selected: Period | None = None) -> list[tuple[str, str]]:
    """(key, label) of the recent periods of `kind`, newest first, for a selector."""
    count = OPTION_COUNTS.get(PeriodKind(kind), 0)
    if not count:
        return []
    current = period_current(kind)
    options = []
    for _ in range(count):
        options.append((current.key, current.label))
        current = current.previous()
    if selected is not None and selected.kind == kind and selected.key not in {k for k, _ in options}:
        options.append((selected.key, selected.label))
        options.sort(key=lambda option: period_parse(option[0]).first, reverse=True)
    return options


def custom_period(first: dt.date, last: dt.date) -> Period:
    return period_parse(f"{first.isoformat()}~{last.isoformat()}", PeriodKind.CUSTOM)
