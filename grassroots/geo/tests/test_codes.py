"""Division and grid codes (DOMAIN.md §3): lengths, the digit ranges of each kind, parent prefixes."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.geo.choices import DivisionKind
from grassroots.geo.codes import division_code_errors, grid_code_errors
from grassroots.geo.validation import division_errors

TOWNSHIP_KINDS = [DivisionKind.STREET, DivisionKind.TOWN, DivisionKind.XIANG, DivisionKind.ZONE]


def test_a_county_code_of_six_digits_without_a_parent_is_fine():
    assert division_code_errors("330421", DivisionKind.COUNTY, None) == []


@pytest.mark.parametrize("code", ["33042", "3304211", "33042110", "3304211022010"])
def test_a_code_of_the_wrong_length_says_which_lengths_are_allowed(code):
    assert division_code_errors(code, DivisionKind.TOWN, "330421") == [
        f"区划代码“{code}”长度为 {len(code)} 位，应为 6、9 或 12 位"
    ]


def test_a_code_with_letters_is_rejected():
    assert division_code_errors("33042A", DivisionKind.COUNTY, None) == ["区划代码“33042A”只能包含数字"]


@pytest.mark.parametrize("code", ["330000", "330400"])
def test_a_province_or_city_code_is_not_a_district(code):
    assert division_code_errors(code, DivisionKind.DISTRICT, None) != []


def test_a_district_has_no_parent():
    assert division_code_errors("330421", DivisionKind.COUNTY, "330400") == ["区县代码“330421”不应有上级区划"]


@pytest.mark.parametrize(
    ("part", "kind"),
    [("001", "street"), ("099", "street"), ("100", "town"), ("199", "town"), ("200", "xiang"), ("399", "xiang"),
     ("400", "zone"), ("599", "zone")],
)  # fmt: skip
def test_township_codes_at_the_edges_of_their_kinds_range_are_fine(part, kind):
    assert division_code_errors(f"330421{part}", kind, "330421") == []


@pytest.mark.parametrize(
    ("part", "kind"), [("100", "street"), ("099", "town"), ("400", "xiang"), ("600", "zone")]
)
def test_a_township_code_outside_its_kinds_range_is_rejected(part, kind):
    errors = division_code_errors(f"330421{part}", kind, "330421")
    assert len(errors) == 1
    assert f"末三位 {part} 不在" in errors[0]


@given(st.integers(min_value=1, max_value=599))
def test_every_township_number_up_to_599_belongs_to_exactly_one_kind(number):
    fitting = [
        kind for kind in TOWNSHIP_KINDS if not division_code_errors(f"330421{number:03d}", kind, "330421")
    ]
    assert len(fitting) == 1


@given(st.integers(min_value=1, max_value=399))
def test_every_village_number_up_to_399_is_either_a_residents_or_a_villagers_committee(number):
    code = f"330421102{number:03d}"
    fitting = [
        kind
        for kind in (DivisionKind.RESIDENTS, DivisionKind.VILLAGERS)
        if not division_code_errors(code, kind, "330421102")
    ]
    assert fitting == [DivisionKind.RESIDENTS if number <= 199 else DivisionKind.VILLAGERS]


def test_a_township_kind_does_not_fit_a_village_code():
    errors = division_code_errors("330421102201", DivisionKind.TOWN, "330421102")
    assert any("类型“town”不适用" in error for error in errors)


def test_a_village_code_must_start_with_its_parents_code():
    assert division_code_errors("330421102201", DivisionKind.VILLAGERS, "330421103") == [
        "区划代码“330421102201”与上级代码“330421103”前缀不一致"
    ]


def test_a_township_without_a_parent_is_rejected():
    assert division_code_errors("330421102", DivisionKind.TOWN, None) == ["区划代码“330421102”缺少上级区划"]


def test_an_unknown_kind_is_reported_once_with_the_valid_kinds():
    errors = division_errors(code="330421102", name="西塘镇", kind="city", parent_code="330421")
    assert len(errors) == 1
    assert errors[0].startswith("区划类型“city”无效，应为：district（区）")


def test_a_grid_code_is_its_village_code_and_a_two_digit_sequence():
    assert grid_code_errors("33042110220101", "330421102201") == []


@pytest.mark.parametrize("code", ["3304211022010", "330421102201001", "3304211022010A"])
def test_a_grid_code_that_is_not_fourteen_digits_is_rejected(code):
    assert grid_code_errors(code, "330421102201") == [f"网格代码“{code}”应为 14 位数字"]


def test_a_grid_code_must_start_with_its_village_code():
    assert grid_code_errors("33042110220201", "330421102201") == [
        "网格代码“33042110220201”前 12 位应为所属村社区代码“330421102201”"
    ]


def test_grid_sequence_00_is_not_allowed():
    assert grid_code_errors("33042110220100", "330421102201") == ["网格代码“33042110220100”的顺序号不能为 00"]
