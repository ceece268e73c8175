"""The statutory limits of a case, each a setting with the law's default (docs/enforcement.md names them), and
the pure computations on them: working-day dates, the hearing-notice guard, the late fee.

Day counting (行政处罚法 第八十五条): its 二日、三日、五日、七日 are working days; other periods (十五日, 九十日) are
natural days. The start day is never counted; a natural period ending on a rest day ends on the next working day
(the workflow clocks do both, grassroots/workflow/clock_counting.py).
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from grassroots.workcal.calendar import get_calendar

# name: (default, source). Working-day limits end in _WORKING_DAYS; the others are natural days or money.
DEFAULTS: dict[str, tuple[int | str, str]] = {
    "LEAD_WORKING_DAYS": (15, "市场监督管理行政处罚程序规定 第十八条：线索核查 15 个工作日"),
    "LEAD_EXTENSION_WORKING_DAYS": (15, "同上：经负责人批准可延长 15 个工作日"),
    "CASE_DAYS": (90, "行政处罚法 第六十条：自立案之日起 90 日内作出决定"),
    "CASE_EXTENSION_DAYS": (30, "市场监督管理行政处罚程序规定（办案期限）：经负责人批准可延长 30 日"),
    "HEARING_REQUEST_WORKING_DAYS": (5, "行政处罚法 第六十四条：告知后 5 日内提出（第八十五条：工作日）"),
    "HEARING_NOTICE_WORKING_DAYS": (7, "行政处罚法 第六十四条：听证 7 日前通知（第八十五条：工作日）"),
    "SERVICE_WORKING_DAYS": (7, "行政处罚法 第六十一条：当事人不在场的，7 日内送达（第八十五条：工作日）"),
    "PAYMENT_DAYS": (15, "行政处罚法 第六十七条：收到决定书之日起 15 日内缴纳罚款"),
    "LATE_FEE_RATE": ("0.03", "行政处罚法 第七十二条：每日按罚款数额的 3% 加处罚款，不得超出罚款数额"),
    "SIMPLE_LIMIT_PERSON": (200, "行政处罚法 第五十一条：对公民处二百元以下罚款"),
    "SIMPLE_LIMIT_ORGANISATION": (3000, "行政处罚法 第五十一条：对法人或者其他组织处三千元以下罚款"),
    "LIMITATION_YEARS": (2, "行政处罚法 第三十六条：二年内未被发现的，不再给予行政处罚"),
    "REVIEW_APPEAL_DAYS": (60, "行政复议法 第二十条：知道之日起 60 日内申请行政复议"),
    "LITIGATION_MONTHS": (6, "行政诉讼法 第四十六条：知道之日起 6 个月内提起诉讼"),
}


def limit(name: str) -> int:
    """A limit's value: the setting `ENFORCEMENT_<name>` if there is one, else the law's default."""
    default, _source = DEFAULTS[name]
    return int(getattr(settings, f"ENFORCEMENT_{name}", default))


def money(name: str) -> Decimal:
    default, _source = DEFAULTS[name]
    return Decimal(str(getattr(settings, f"ENFORCEMENT_{name}", default)))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The day on which `days` working days after `start` are complete (the start day not counted)."""
    calendar = get_calendar()
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            days -= 1
    return day


def earliest_hearing_day(notice_on: dt.date) -> dt.date:
    """The first day a hearing may be held after notice on `notice_on`: the notice must come 7 working days
    before it, so the 7 working days after the notice day all pass before the hearing day."""
    return add_working_days(notice_on, limit("HEARING_NOTICE_WORKING_DAYS")) + dt.timedelta(days=1)


def late_fee(amount: Decimal, *, due_on: dt.date, paid_on: dt.date) -> Decimal:
    """加处罚款 (第七十二条): 3% of the fine for each day after the due day, never more than the fine itself."""
    days = (paid_on - due_on).days
    if days <= 0 or amount <= 0:
        return Decimal("0.00")
    fee = (amount * money("LATE_FEE_RATE") * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(fee, amount.quantize(Decimal("0.01")))


def limitation_start(today: dt.date) -> dt.date:
    """The earliest violation date still within the limitation period (2 years; 5 with harm to life, health or
    finance, which the officer asserts on filing)."""
    years = limit("LIMITATION_YEARS")
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)
