import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.core.checkdigits import (
    USCC_ALPHABET,
    id_number_check_char,
    is_valid_id_number,
    is_valid_uscc,
    uscc_check_char,
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
