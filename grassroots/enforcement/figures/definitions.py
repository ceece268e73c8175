"""What each figure of the enforcement cases counts (办案统计): the counts (one filter each on the cases), the rates
made of them, and the groupings (unit, officer).

A figure and the list behind it both apply `count_filters(w)[name]`, so they cannot disagree.
docs/enforcement-indicators.md restates every definition; keep the two in step.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Exists, F, OuterRef, Q

from grassroots.assessment.indicators import CountDef, Indicator, Window, _in
from grassroots.workflow.choices import ClockState
from grassroots.workflow.models import Clock

from ..choices import CaseOutcome, CaseProcedure
from ..models import CaseHistory
from ..rules import CASE
from ..services.common import Clocks

RELATION = "case"  # every count is a filter on the cases (执法案件), a case counted once per subject

# -- groupings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouping:
    code: str
    label: str
    field: str  # the field naming the subject of a case


GROUPINGS: dict[str, Grouping] = {
    g.code: g
    for g in [
        Grouping("unit", "办案单位", "unit_id"),
        # A case names at least two officers and counts for each of them: the rows of this grouping do not add
        # up to the total (a case of two officers adds two to the column's sum, and its fine twice to the amount).
        Grouping("officer", "承办执法人员", "officers__id"),
    ]
}

# -- counts ------------------------------------------------------------------------------------------------

COUNTS: dict[str, CountDef] = {
    c.name: c
    for c in [
        CountDef(
            "filed",
            RELATION,
            "立案数",
            "立案时间（负责人批准立案 approve_filing 的时间 filed_at）在统计期内的案件",
        ),
        CountDef(
            "not_filed",
            RELATION,
            "不予立案数",
            "负责人决定不予立案（refuse_filing，案件记录中该步骤的时间）在统计期内的线索",
        ),
        CountDef(
            "closed", RELATION, "结案数", "结案时间（closed_at）在统计期内的案件，普通程序与简易程序均计"
        ),
        CountDef(
            "closed_general",
            RELATION,
            "普通程序结案数",
            "统计期内结案、按普通程序办理（立案后有办案期限）的案件",
        ),
        CountDef(
            "closed_on_time",
            RELATION,
            "按期结案数",
            "普通程序结案数中，办案期限（立案起 90 日，经批准延长的加上延长，听证期间不计）在作出决定时未超期的："
            "案件的办案期限计时（case）已停止且停止时未超期",
        ),
        CountDef(
            "closed_late",
            RELATION,
            "超期结案数",
            "普通程序结案数中不属于按期结案的（作出决定时办案期限已超期）",
        ),
        CountDef(
            "penalties",
            RELATION,
            "处罚决定数",
            "决定时间（decided_at）在统计期内、处理结果为给予行政处罚的案件，普通程序与简易程序均计",
        ),
        CountDef(
            "simple",
            RELATION,
            "简易程序处罚数",
            "当场作出处罚决定（简易程序，decided_at）在统计期内的案件",
        ),
        CountDef("hearings", RELATION, "听证数", "听证举行时间（hearing_held_at）在统计期内的案件"),
        CountDef(
            "overdue_now",
            RELATION,
            "当前超期案件数",
            "统计时点尚未作出决定、办案期限已超期的案件：办案期限计时正在计时且到期时间不晚于统计时点，"
            "或因听证暂停计时而暂停前已用尽期限（当前状态，不随统计期变化）",
        ),
    ]
}
# Values that are not counts of cases: the fines' money, listed as the penalties it sums.
VALUES = {"amount": "罚款金额（元）"}
VALUE_DEFINITIONS = {
    "amount": "处罚决定数所计案件的决定罚款金额（decided_amount）之和（元）；警告等非罚款处罚计 0"
}
VALUE_ROWS = {"amount": "penalties"}


def label_of(name: str) -> str:
    return COUNTS[name].label if name in COUNTS else VALUES.get(name, name)


# -- the filters -------------------------------------------------------------------------------------------


def _case_clock(**conditions: object) -> Exists:
    """The case's 办案期限 clock (`Clocks.CASE`, started on 立案, stopped on the decision) meeting `conditions`."""
    clocks = Clock.objects.filter(workflow=CASE.name, object_id=OuterRef("pk"), name=Clocks.CASE)
    return Exists(clocks.filter(**conditions))


def _late_now(w: Window) -> Exists:
    """The live case clock is late at `as_of`, exactly as `workflow.clocks.clock_is_late` reads a live clock."""
    clocks = Clock.objects.filter(workflow=CASE.name, object_id=OuterRef("pk"), name=Clocks.CASE).filter(
        Q(state=ClockState.RUNNING, due_at__isnull=False, due_at__lte=w.as_of)
        | Q(state=ClockState.PAUSED, consumed_seconds__gte=F("budget_seconds"))
    )
    return Exists(clocks)


def _refused_in(w: Window) -> Exists:
    refused = CaseHistory.objects.filter(case=OuterRef("pk"), action="refuse_filing").filter(_in("at", w))
    return Exists(refused)


def count_filters(w: Window) -> dict[str, Q]:
    """The filter of every count on the cases: `COUNT(*) FILTER (WHERE …)` for figures, the WHERE of lists."""
    closed = _in("closed_at", w)
    closed_general = closed & Q(procedure=CaseProcedure.GENERAL)
    on_time = closed_general & Q(_case_clock(state=ClockState.STOPPED, overdue=False))
    decided = _in("decided_at", w)
    return {
        "filed": _in("filed_at", w),
        "not_filed": Q(_refused_in(w)),
        "closed": closed,
        "closed_general": closed_general,
        "closed_on_time": on_time,
        "closed_late": closed_general & ~Q(_case_clock(state=ClockState.STOPPED, overdue=False)),
        "penalties": decided & Q(outcome=CaseOutcome.PENALTY),
        "simple": decided & Q(procedure=CaseProcedure.SIMPLE),
        "hearings": _in("hearing_held_at", w),
        "overdue_now": Q(_late_now(w)),
    }


def prefilter(w: Window) -> Q:
    """The cases some count matches: the scan (and the subjects listed) is narrowed to them; every count's filter
    implies it, and the lists apply it too."""
    return reduce(or_, count_filters(w).values())


# -- indicators --------------------------------------------------------------------------------------------

ALL = frozenset(GROUPINGS)  # shown for the total and every grouping

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "on_time_rate",
            "按期结案率",
            "closed_on_time",
            "closed_general",
            True,
            ALL,
            "按期结案数 ÷ 普通程序结案数（统计期内结案的普通程序案件中，作出决定时办案期限未超期的比例）",
        ),
        Indicator(
            "simple_share",
            "简易程序占比",
            "simple",
            "penalties",
            False,
            ALL,
            "简易程序处罚数 ÷ 处罚决定数（统计期内作出的处罚决定中当场处罚的比例）",
        ),
    ]
}


def drill_of(code: str) -> tuple[str, str]:
    """The list behind a rate: its denominator's cases, each marked whether it is in the numerator."""
    indicator = INDICATORS[code]
    return indicator.denominator, indicator.numerator
