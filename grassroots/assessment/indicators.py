"""The indicators of DOMAIN.md §8, defined once: each rate is a numerator count over a denominator count, and each
count is a filter on one relation (events, assignments, verification stages, supervision orders, reopenings),
written in count_filters.py.

`figures.py` turns these definitions into SQL (conditional counts grouped by subject); the drill-down lists use the
same filters, so a figure and the list behind it cannot disagree. docs/assessment.md restates every definition.

The window W of a period P is [P.start, min(P.end, as_of)): a rate counts only what *fell due* by `as_of`
(normally now), so none exceeds 100%, and the current period is not penalised for deadlines still to come.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from grassroots.org.choices import PlatformKind

from .choices import SubjectKind


class Relation:
    EVENT = "event"  # events, merged duplicates left out (the master counts once)
    ASSIGNMENT = "assignment"  # one unit's share of an event in one round
    VERIFICATION = "verification"  # an on-site verification of a report: its start transition
    SUPERVISION = "supervision"  # supervision orders (督办/催办)
    REOPEN = "reopen"  # reopen transitions (重启)
    MEETING_TASK = "meeting_task"  # decisions of joint meetings (会议督办事项), counted by the meetings app (external.py)


@dataclass(frozen=True)
class Window:
    start: dt.datetime
    end: dt.datetime  # min(period end, as_of)
    as_of: dt.datetime


def window_of(start: dt.datetime, end: dt.datetime, as_of: dt.datetime) -> Window:
    end = min(end, as_of)
    return Window(start=start, end=max(end, start), as_of=as_of)


def _in(field: str, w: Window) -> Q:
    return Q(**{f"{field}__gte": w.start, f"{field}__lt": w.end})


@dataclass(frozen=True)
class CountDef:
    name: str
    relation: str
    label: str
    definition: str


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    numerator: str
    denominator: str
    higher_is_better: bool
    subject_kinds: frozenset[str]
    definition: str
    short: str = ""

    @property
    def short_label(self) -> str:
        return self.short or self.label


LOCATION = frozenset({SubjectKind.DISTRICT, SubjectKind.TOWNSHIP, SubjectKind.VILLAGE, SubjectKind.GRID})
WHERE = LOCATION | {SubjectKind.PLATFORM}
HANDLING = WHERE | {SubjectKind.UNIT}
REPORTING = WHERE | {SubjectKind.PERSON}

# -- counts ------------------------------------------------------------------------------------------------

COUNTS: dict[str, CountDef] = {
    c.name: c
    for c in [
        CountDef(
            "reported",
            Relation.EVENT,
            "上报数",
            "上报时间在统计期内的事件（被合并的重复事件不计，只计主事件）",
        ),
        CountDef("registered", Relation.EVENT, "立案数", "立案时间在统计期内的事件"),
        CountDef("extended", Relation.EVENT, "延期数", "统计期内立案、且获批延期的事件"),
        CountDef(
            "closed", Relation.EVENT, "结案数", "结案时间在统计期内的事件（重启后结案时间以最近一次为准）"
        ),
        CountDef(
            "closed_low",
            Relation.EVENT,
            "村级以下结案数",
            "统计期内结案、结案时层级为一级（网格）或二级（村社）的事件",
        ),
        *(
            CountDef(
                f"closed_l{level}", Relation.EVENT, f"{label}结案数", f"统计期内结案、结案时为{label}的事件"
            )
            for level, label in ((1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"))
        ),
        CountDef("rated", Relation.EVENT, "评价数", "统计期内结案、且回访时作出评价的事件"),
        CountDef("satisfied", Relation.EVENT, "满意数", "其中评价为“非常满意”或“满意”的事件"),
        CountDef("due_close", Relation.EVENT, "应结案数", "结案期限（due_at）落在统计期内且已到期的事件"),
        CountDef("closed_of_due", Relation.EVENT, "已结案数", "应结案事件中已结案的"),
        CountDef(
            "closed_on_time",
            Relation.EVENT,
            "按期结案数",
            "应结案事件中在期限内结案、且从未被重启的（被重启过的事件不再算按期）",
        ),
        CountDef("overdue_close", Relation.EVENT, "超期数", "应结案事件中至今未结案或晚于期限结案的"),
        CountDef(
            "reports_decided",
            Relation.EVENT,
            "已研判上报数",
            "统计期内上报、且已作出处理结论（立案、自行处置、不予立案或核实无效）的事件",
        ),
        CountDef("reports_valid", Relation.EVENT, "有效上报数", "其中已立案或已自行处置的事件"),
        *(
            CountDef(
                f"reported_{kind.value}",
                Relation.EVENT,
                f"{kind.label}上报数",
                f"统计期内上报的{kind.label}事件",
            )
            for kind in PlatformKind
        ),
        CountDef(
            "dispatched",
            Relation.ASSIGNMENT,
            "派遣数",
            "派遣时间在统计期内的派遣任务（每个单位每轮一条，含主办与协办）",
        ),
        CountDef("returned", Relation.ASSIGNMENT, "退回数", "其中被接收单位退回的"),
        CountDef(
            "due_handle",
            Relation.ASSIGNMENT,
            "应处置数",
            "处置期限（含批准延期）落在统计期内且已到期的派遣任务；退回的、以及在期限前因升级或主办退回而撤销的不计",
        ),
        CountDef("handled_on_time", Relation.ASSIGNMENT, "按期处置数", "应处置任务中在期限内反馈的"),
        CountDef(
            "overdue_handle", Relation.ASSIGNMENT, "超期处置数", "应处置任务中至今未反馈或晚于期限反馈的"
        ),
        CountDef("handled", Relation.ASSIGNMENT, "处置数", "反馈时间在统计期内的派遣任务"),
        CountDef("reworked", Relation.ASSIGNMENT, "返工数", "其中该轮核查未通过、被返工的"),
        CountDef(
            "due_verify",
            Relation.VERIFICATION,
            "应核实数",
            "现场核实（派网格员核实群众来源的上报）期限落在统计期内且已到期的",
        ),
        CountDef(
            "verified_on_time",
            Relation.VERIFICATION,
            "按时核实数",
            "其中已作出核实结论、且核实所用工作时间不超过时限的",
        ),
        CountDef("supervised", Relation.SUPERVISION, "督办数", "统计期内下发的督办单（不含系统自动催办）"),
        CountDef("urged", Relation.SUPERVISION, "催办数", "统计期内下发的催办单"),
        CountDef("reopened", Relation.REOPEN, "重启数", "统计期内被重启的事件"),
        CountDef(
            "overdue_meeting_task",
            Relation.MEETING_TASK,
            "超期督办事项数",
            "会议决定事项（督办事项）中办理期限落在统计期内且已到期、至今未办结或晚于期限办结的（已撤销的不计）",
        ),
    ]
}
# Derived in Python from the counts above.
DERIVED_COUNTS = {
    "dispatched_ok": CountDef("dispatched_ok", Relation.ASSIGNMENT, "准确派遣数", "派遣数减退回数"),
    "reported_scope": CountDef(
        "reported_scope", Relation.EVENT, "范围内上报总数", "所选范围内全部平台的上报数"
    ),
}


def count_label(name: str) -> str:
    found = COUNTS.get(name) or DERIVED_COUNTS.get(name)
    return found.label if found else name


# -- rates -------------------------------------------------------------------------------------------------

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "completion",
            "办结率",
            "closed_of_due",
            "due_close",
            True,
            HANDLING,
            "已结案数 ÷ 应结案数（结案期限落在统计期内的事件）",
        ),
        Indicator(
            "on_time_completion",
            "按期结案率",
            "closed_on_time",
            "due_close",
            True,
            HANDLING,
            "按期结案数 ÷ 应结案数；被重启过的事件不算按期",
        ),
        Indicator(
            "on_time_handling",
            "按期处置率",
            "handled_on_time",
            "due_handle",
            True,
            HANDLING,
            "按期处置数 ÷ 应处置数（处置期限落在统计期内的派遣任务）",
        ),
        Indicator(
            "rework",
            "返工率",
            "reworked",
            "handled",
            False,
            HANDLING,
            "返工数 ÷ 处置数（统计期内反馈的派遣任务）",
        ),
        Indicator(
            "accurate_dispatch",
            "准确派遣率",
            "dispatched_ok",
            "dispatched",
            True,
            HANDLING,
            "（派遣数 − 退回数）÷ 派遣数",
        ),
        Indicator(
            "extension",
            "延期率",
            "extended",
            "registered",
            False,
            HANDLING,
            "获批延期的事件数 ÷ 立案数（统计期内立案）",
        ),
        Indicator(
            "valid_reports",
            "有效上报率",
            "reports_valid",
            "reports_decided",
            True,
            REPORTING,
            "有效上报数 ÷ 已研判上报数（按上报人统计网格员）",
        ),
        Indicator(
            "on_time_verification",
            "按时核查率",
            "verified_on_time",
            "due_verify",
            True,
            REPORTING,
            "按时核实数 ÷ 应核实数（按指派的核实人统计网格员）",
            short="按时核查率",
        ),
        Indicator(
            "satisfaction",
            "满意率",
            "satisfied",
            "rated",
            True,
            HANDLING,
            "（非常满意 + 满意）÷ 作出评价的结案事件",
        ),
        Indicator(
            "solved_in_village",
            "问题不出村率",
            "closed_low",
            "closed",
            True,
            HANDLING,
            "结案时层级为一级或二级的结案数 ÷ 结案数",
        ),
        Indicator(
            "platform_share",
            "平台占比",
            "reported",
            "reported_scope",
            True,
            frozenset({SubjectKind.PLATFORM}),
            "本平台上报数 ÷ 所选范围内全部上报数",
        ),
    ]
}
RATE_CODES = list(INDICATORS)

# The headline counts, and which count each subject kind shows as "overdue".
HEADLINE_COUNTS = ["reported", "registered", "dispatched", "closed", "overdue_close"]


def indicators_for(kind: str) -> list[Indicator]:
    return [i for i in INDICATORS.values() if kind in i.subject_kinds]


def counts_for(kind: str) -> list[str]:
    """The counts shown as columns for a subject kind."""
    if kind == SubjectKind.PERSON:
        return ["reported", "reports_valid", "due_verify", "verified_on_time"]
    if kind == SubjectKind.UNIT:
        return [
            "dispatched",
            "returned",
            "handled",
            "due_handle",
            "overdue_handle",
            "closed",
            "overdue_meeting_task",
        ]
    return HEADLINE_COUNTS


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        """The rate in [0, 1], or None when nothing fell due (shown as “—”, never 0% or 100%)."""
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def percent(self) -> Decimal | None:
        value = self.value
        if value is None:
            return None
        return (value * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        percent = self.percent
        return "—" if percent is None else f"{percent}%"


def rate_of(code: str, counts: dict[str, int]) -> Rate:
    indicator = INDICATORS[code]
    return Rate(int(counts.get(indicator.numerator, 0)), int(counts.get(indicator.denominator, 0)))


def with_derived(counts: dict[str, int]) -> dict[str, int]:
    out = dict(counts)
    out["dispatched_ok"] = out.get("dispatched", 0) - out.get("returned", 0)
    return out
