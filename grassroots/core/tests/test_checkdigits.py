import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from grassroots.core.checkdigits import (
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    id_number_check_char,
    is_valid_id_number,
    is_valid_uscc,
    org_code_check_char,
    uscc_build,
    uscc_check_char,
    uscc_problems,
)


def test_the_domain_guides_examples_are_valid():
    assert is_valid_uscc("91350100M000100Y43")
    assert is_valid_id_number("11010519491231002X")


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310021",  # wrong check character
        "11010519491331002X",  # month 13
        "11010519490230002X",  # 30 February
        "1101051949123100",  # too short
        "A1010519491231002X",  # letter in the body
    ],
)
def test_invalid_id_numbers_are_rejected(number):
    assert not is_valid_id_number(number)


def test_a_lowercase_x_check_character_is_accepted():
    assert is_valid_id_number("11010519491231002x")


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43"])
def test_invalid_usccs_are_rejected(code):
    assert not is_valid_uscc(code)


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_every_uscc_body_gets_exactly_one_valid_check_character(body):
    valid = [ch for ch in USCC_ALPHABET if is_valid_uscc(body + ch)]
    assert valid == [uscc_check_char(body)]


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_changing_one_digit_of_an_id_number_breaks_its_check(body):
    check = id_number_check_char(body)
    changed = str((int(body[0]) + 1) % 10) + body[1:]
    assert id_number_check_char(changed) != check


# GB 32100: every part of the code is checked, not only the final character.
DIVISIONS = {"330421", "330402", "350102"}
PAIRS = [(a, k) for a, (_, kinds) in USCC_AUTHORITIES.items() for k in kinds]


def known(code):
    return code in DIVISIONS


@st.composite
def valid_usccs(draw):
    authority, kind = draw(st.sampled_from(PAIRS))
    division = draw(st.sampled_from(sorted(DIVISIONS)))
    org_body = draw(st.text(alphabet=USCC_ALPHABET, min_size=8, max_size=8))
    return uscc_build(authority=authority, kind=kind, division=division, org_body=org_body)


def test_the_domain_guides_example_has_no_problems_but_its_city_code_is_not_a_county_here():
    assert uscc_problems("91350100M000100Y43") == []
    assert uscc_problems("91350100M000100Y43", division_exists=known) == [
        "第 3–8 位行政区划码“350100”不是现行有效的县级区划"
    ]


@given(valid_usccs())
def test_a_code_built_from_valid_parts_is_valid(code):
    assert uscc_problems(code, division_exists=known) == []
    assert is_valid_uscc(code)


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.characters(codec="utf-8"))
def test_changing_any_one_character_of_a_valid_code_makes_it_invalid(code, position, replacement):
    assume(replacement != code[position])
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert uscc_problems(corrupted, division_exists=known) != []


@given(valid_usccs(), st.integers(min_value=0, max_value=17), st.sampled_from(USCC_ALPHABET))
def test_changing_a_character_within_the_alphabet_is_caught_by_the_check_character(
    code, position, replacement
):
    assume(replacement != code[position])
    corrupted = code[:position] + replacement + code[position + 1 :]
    assert "第 18 位校验码错误" in uscc_problems(corrupted)


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y4", "统一社会信用代码应为 18 位，实为 17 位"),
        ("91350100M000100I43", "含有不允许的字符：I（不使用 I、O、Z、S、V 及小写字母）"),
        ("B1330421MA2B3C4D5X", "第 1 位登记管理部门代码“B”不存在"),
        ("94330421MA2B3C4D5X", "第 2 位机构类别代码“4”不属于登记管理部门“工商（市场监管）”"),
        ("9133A421MA2B3C4D5X", "第 3–8 位登记管理机关行政区划码“33A421”应为 6 位数字"),
        ("91330402MA2B3C4D5X", "第 9–17 位组织机构代码“MA2B3C4D5”校验码错误"),
    ],
)
def test_each_problem_is_named_in_chinese(code, problem):
    assert problem in uscc_problems(code, division_exists=known)


def test_an_organisation_code_check_of_ten_is_x_and_of_eleven_is_zero():
    assert org_code_check_char("D2143569") == "X"  # the example of GB 11714
