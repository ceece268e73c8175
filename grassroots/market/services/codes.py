"""Checks of the registry's codes against the geography: a USCC's division must be a current county code."""

import datetime as dt
import re
from collections.abc import Callable

from django.db.models import Q

from grassroots.core.checkdigits import uscc_problems
from grassroots.geo.models import Division
from grassroots.workcal.calendar import local_today

# GB/T 4754: a section letter A–T and a division (2 digits), group (3) or class (4) code, e.g. "H6210".
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")


def current_county_codes(*, today: dt.date | None = None) -> frozenset[str]:
    """The 6-digit division codes valid today (read once per import, not per row)."""
    today = today or local_today()
    rows = Division.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today), valid_from__lte=today)
    return frozenset(code for code in rows.values_list("code", flat=True) if len(code) == 6)


def division_checker() -> Callable[[str], bool]:
    codes = current_county_codes()
    return codes.__contains__


def entity_uscc_problems(code: str, *, division_exists: Callable[[str], bool] | None = None) -> list[str]:
    """GB 32100 problems of a code, its division checked against the geography."""
    return uscc_problems(code, division_exists=division_exists or division_checker())


def industry_code_problem(code: str) -> str | None:
    if INDUSTRY_CODE.match(code):
        return None
    return f"行业代码“{code}”不符合 GB/T 4754 格式（门类字母 A–T 加 2–4 位数字，如 H6210）"
