import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.assessment.choices import PeriodKind
from grassroots.assessment.periods import CHINA, period_of, period_parse
from grassroots.core.errors import InvalidInput


def test_a_month_runs_from_local_midnight_to_the_next_month():
    p = period_parse("2026-03")
    assert p.kind == PeriodKind.MONTH
    assert p.start == dt.datetime(2026, 3, 1, tzinfo=CHINA)
    assert p.end == dt.datetime(2026, 4, 1, tzinfo=CHINA)
    assert p.label == "2026年3月"
    assert p.previous().key == "2026-02"


def test_an_iso_week_starts_on_monday_and_crosses_years():
    p = period_parse("2026-W01")
    assert (p.first, p.last) == (dt.date(2025, 12, 29), dt.date(2026, 1, 4))
    assert p.previous().key == "2025-W52"
    assert "第1周" in p.label


def test_quarters_and_years_and_days_parse_from_their_keys():
    assert period_parse("2026-Q2").first == dt.date(2026, 4, 1)
    assert period_parse("2026-Q1").previous().key == "2025-Q4"
    assert period_parse("2026").last == dt.date(2026, 12, 31)
    assert period_parse("2026-03-05").label == "2026年3月5日"


def test_a_custom_period_is_inclusive_and_its_previous_has_the_same_length():
    p = period_parse("2026-03-10~2026-03-19")
    assert p.kind == PeriodKind.CUSTOM and p.days == 10
    assert p.previous().key == "2026-02-28~2026-03-09"


@pytest.mark.parametrize(
    "key",
    ["2026-13", "2026-W60", "2026-02-30", "2026-03-10~2026-03-01", "2024-01-01~2026-01-01", "next month", ""],
)
def test_bad_period_keys_are_refused_in_chinese(key):
    with pytest.raises(InvalidInput) as refused:
        period_parse(key)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)


def test_trend_buckets_are_months_of_a_year_weeks_of_a_quarter_and_days_of_a_month():
    assert [b.key for b in period_parse("2026").buckets()][:2] == ["2026-01", "2026-02"]
    assert len(period_parse("2026").buckets()) == 12
    quarter = period_parse("2026-Q1").buckets()
    assert quarter[0].first == dt.date(2026, 1, 1)  # clipped: the ISO week began on 29 December
    assert quarter[-1].last == dt.date(2026, 3, 31)
    assert len(period_parse("2026-02").buckets()) == 28


@given(
    st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.sampled_from(list(PeriodKind)),
)
def test_every_day_lies_in_exactly_its_period_and_buckets_tile_it(day, kind):
    p = period_of(kind, day)
    assert p.first <= day <= p.last
    assert period_parse(p.key).key == p.key
    buckets = p.buckets()
    assert buckets[0].first == p.first and buckets[-1].last == p.last
    for a, b in itertools.pairwise(buckets):
        assert a.last + dt.timedelta(days=1) == b.first
