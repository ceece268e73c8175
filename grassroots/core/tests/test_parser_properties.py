"""Every parser of outside input, fed anything: it answers or refuses with its own error, never anything else.

Codes (USCC, ID number, division and grid codes), GeoJSON and CSV imports, Open311 dates, working hours and integers
at and past 64 bits. The rules themselves are tested next to each parser; here only totality.
"""

import contextlib
import datetime as dt
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from grassroots.core.checkdigits import is_valid_id_number, is_valid_uscc, uscc_problems
from grassroots.core.edge import INT64_MAX, YEARS, check_int64, check_year
from grassroots.core.errors import InvalidInput
from grassroots.geo.codes import division_code_errors, grid_code_errors
from grassroots.geo.importers import GeoValidationError, read_division_rows, read_grid_rows
from grassroots.open311.validation import parse_datetime
from grassroots.workcal.calendar import parse_working_hours

CODE_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.text(
    alphabet="0123456789X", max_size=20
)


@given(CODE_TEXT)
def test_code_checks_answer_a_boolean_or_a_list_for_any_text(text):
    assert isinstance(is_valid_uscc(text), bool)
    assert isinstance(is_valid_id_number(text), bool)
    assert all(isinstance(p, str) for p in uscc_problems(text))


@given(
    CODE_TEXT,
    st.sampled_from(["town", "township", "subdistrict", "villagers", "residents", "county", "?"]),
    CODE_TEXT,
)
def test_division_and_grid_code_checks_answer_a_list_for_any_text(code, kind, parent):
    assert isinstance(division_code_errors(code, kind, parent or None), list)
    assert isinstance(grid_code_errors(code, parent), list)


GEOJSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150)
@given(
    st.one_of(st.binary(max_size=300), GEOJSON.map(lambda v: json.dumps(v).encode())),
    st.sampled_from(["geojson", "csv"]),
)
def test_division_and_grid_imports_refuse_any_bytes_with_their_own_error(data, fmt):
    for reader in (read_division_rows, read_grid_rows):
        with contextlib.suppress(GeoValidationError):
            reader(data, fmt=fmt)


@given(st.text(max_size=12).map(lambda s: f'{{"type": "FeatureCollection", "features": [{s}]}}'.encode()))
def test_a_feature_collection_with_any_feature_text_is_answered(data):
    with contextlib.suppress(GeoValidationError):
        read_grid_rows(data, fmt="geojson")


@given(st.text(max_size=40) | st.dates().map(str) | st.datetimes().map(dt.datetime.isoformat))
def test_open311_dates_parse_or_are_refused_in_shape(text):
    try:
        parsed = parse_datetime(text, field="start_date")
    except InvalidInput:
        return
    assert YEARS[0] <= parsed.year <= YEARS[1]
    parsed.astimezone(dt.UTC)  # never past the calendar once moved to UTC


@given(st.dates())
def test_years_outside_the_window_are_refused(day):
    if YEARS[0] <= day.year <= YEARS[1]:
        assert check_year(day, field="d") == day
    else:
        with pytest.raises(InvalidInput):
            check_year(day, field="d")


@given(st.lists(st.text(max_size=14) | st.from_regex(r"\A\d{1,3}:\d{1,3}-\d{1,3}:\d{1,3}\Z"), max_size=4))
def test_working_hours_parse_or_are_refused_as_configuration(specs):
    try:
        windows = parse_working_hours(specs)
    except ImproperlyConfigured:
        return
    assert all(0 <= start < end <= 24 * 3600 for start, end in windows)
    assert list(windows) == sorted(windows)


@given(
    st.integers(min_value=-(2**80), max_value=2**80)
    | st.sampled_from([INT64_MAX, INT64_MAX + 1, -INT64_MAX - 2])
)
def test_integers_at_and_past_64_bits_are_bounded(value):
    if -INT64_MAX - 1 <= value <= INT64_MAX:
        assert check_int64(value, field="id") == value
    else:
        with pytest.raises(InvalidInput):
            check_int64(value, field="id")
