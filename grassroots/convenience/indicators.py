"""The indicators of the convenience-service platform (便民服务), defined once on the assessment machinery.

Every figure is a count (or, for visits, a sum) of applications under one filter of `application_filters`, computed
in SQL with conditional aggregates, one query per grouping (`figures_by`); the list behind a figure
(`drill_rows`) applies the same filter, so a figure and its list cannot disagree. The window, its `as_of`
semantics, the rate type and its rounding are assessment's (`grassroots.assessment.indicators`): a period P is
counted over W = [P.start, min(P.end, as_of)). docs/service-indicators.md restates every definition.
"""

import datetime as dt
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from grassroots.assessment.figures import analytic_query
from grassroots.assessment.indicators import CountDef, Indicator, Rate, Window, _in, window_of
from grassroots.assessment.periods import CHINA
from grassroots.core.scope import code_prefix_q
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar

from .choices import BAD_GRADES, FINISHED_STATUSES, GOOD_GRADES, REMOTE_CHANNELS, Grade
from .models import Application, Rating, ServiceCentre, ServiceItem
from .models import Window as ServiceWindow

RELATION = (
    "application"  # every count is of applications (ratings and rectifications are one-to-one with them)
)

# -- groupings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouping:
    code: str
    label: str
    field: str  # the application's field that names the subject
    none_label: str  # the row of applications without one (an online application has no window)


GROUPINGS: dict[str, Grouping] = {
    g.code: g
    for g in [
        Grouping("township", "乡镇（街道）", "centre_id", "—"),
        Grouping("window", "窗口", "window_id", "未经窗口（网上、电话、邮寄、代办）"),
        Grouping("clerk", "首问责任人", "first_clerk_id", "未指定"),
        Grouping("item", "事项", "item__code", "—"),
        Grouping("department", "办理单位", "handling_unit_id", "未指定"),
    ]
}
GROUP_CODES = frozenset(GROUPINGS)
NONE_KEY = "none"  # the key of the row of applications without a subject of the grouping

# -- counts ------------------------------------------------------------------------------------------------

COUNTS: dict[str, CountDef] = {
    c.name: c
    for c in [
        CountDef(
            "accepted",
            RELATION,
            "受理件数",
            "受理时间（accepted_at）在统计期内的办件，窗口受理与代办转交均计",
        ),
        CountDef("accepted_finished", RELATION, "受理已办结数", "统计期内受理、且截至统计时点已办结的办件"),
        CountDef(
            "accepted_remote", RELATION, "不见面受理数", "统计期内受理、渠道为网上、电话、邮寄或代办的办件"
        ),
        CountDef(
            "finished",
            RELATION,
            "办结件数",
            "办结时间（decided_at）在统计期内、状态为已办结、已送达或已归档的办件",
        ),
        CountDef(
            "finished_on_time", RELATION, "按时办结数", "统计期内办结、且未超过承诺时限（late 为否）的办件"
        ),
        CountDef("finished_once", RELATION, "最多跑一次件数", "统计期内办结、到现场次数不超过 1 次的办件"),
        CountDef("finished_zero", RELATION, "零跑腿件数", "统计期内办结、到现场次数为 0 的办件"),
        CountDef(
            "finished_over_once",
            RELATION,
            "超次数件数",
            "统计期内办结、事项标注为“最多跑一次”、但到现场超过 1 次的办件",
        ),
        CountDef("rated", RELATION, "评价数", "评价时间在统计期内的好差评"),
        CountDef("satisfied", RELATION, "满意数", "其中评价为“非常满意”或“满意”的"),
        CountDef("bad_rated", RELATION, "差评数", "其中评价为“不满意”或“非常不满意”的"),
        CountDef("rectified", RELATION, "已整改差评数", "差评中截至统计时点已完成整改（有整改时间）的"),
        *(
            CountDef(f"grade_{g.value}", RELATION, str(g.label), f"统计期内评价为“{g.label}”的")
            for g in Grade
        ),
    ]
}
# Values that are not counts of rows: the visits of the finished applications, and the window's working days.
VALUES = {"visits": "到现场总次数", "working_days": "工作日数"}


def application_filters(w: Window) -> dict[str, Q]:
    """The filter of every count: `COUNT(*) FILTER (WHERE …)` for the figures, the WHERE of the lists."""
    finished_status = Q(status__in=sorted(FINISHED_STATUSES), decided_at__isnull=False)
    accepted = _in("accepted_at", w)
    finished = _in("decided_at", w) & finished_status
    rated = _in("rating__at", w)
    bad = rated & Q(rating__grade__in=sorted(BAD_GRADES))
    filters = {
        "accepted": accepted,
        # Finished by as_of: of what was accepted in W, so the rate never exceeds 100%.
        "accepted_finished": accepted & finished_status & Q(decided_at__lte=w.as_of),
        "accepted_remote": accepted & Q(channel__in=sorted(REMOTE_CHANNELS)),
        "finished": finished,
        "finished_on_time": finished & Q(late=False),
        "finished_once": finished & Q(visits__lte=1),
        "finished_zero": finished & Q(visits=0),
        "finished_over_once": finished & Q(visits__gt=1, item__at_most_once=True),
        "rated": rated,
        "satisfied": rated & Q(rating__grade__in=sorted(GOOD_GRADES)),
        "bad_rated": bad,
        "rectified": bad & Q(rating__rectification__rectified_at__lte=w.as_of),
    }
    for g in Grade:
        filters[f"grade_{g.value}"] = rated & Q(rating__grade=g.value)
    return filters


def prefilter(w: Window) -> Q:
    """Rows any count can match: those accepted, decided or rated in the window. A union of three index scans
    (one per timestamp, the rating's on its own table), not an OR on the joined rows: with the OR both SQLite
    (by the region's index) and PostgreSQL (by a sequential scan) read every row of the area, 2–3× slower on a
    year of a busy centre (bench/bench_service.py)."""
    accepted = Application.objects.filter(_in("accepted_at", w)).order_by().values("pk")
    decided = Application.objects.filter(_in("decided_at", w)).order_by().values("pk")
    rated = Rating.objects.filter(_in("at", w)).order_by().values("application_id")
    return Q(pk__in=accepted.union(decided, rated))


# -- indicators --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Average(Rate):
    """A mean rather than a share (visits per application, applications per working day): shown as a number."""

    places: int = 2

    def __str__(self) -> str:
        value = self.value
        if value is None:
            return "—"
        return str(value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP))


# Indicators shown as a mean, with their decimal places; every other one is a rate in percent.
AVERAGE_PLACES = {"visits_per_application": 2, "daily_average": 1}

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "finishing_rate",
            "办结率",
            "accepted_finished",
            "accepted",
            True,
            GROUP_CODES,
            "统计期内受理的办件中截至统计时点已办结的 ÷ 统计期内受理件数",
        ),
        Indicator(
            "on_time_rate",
            "按时办结率",
            "finished_on_time",
            "finished",
            True,
            GROUP_CODES,
            "未超承诺时限办结的 ÷ 办结件数（统计期内办结）",
        ),
        Indicator(
            "satisfaction",
            "满意率",
            "satisfied",
            "rated",
            True,
            GROUP_CODES,
            "（非常满意 + 满意）÷ 评价数（统计期内作出的评价）",
        ),
        Indicator(
            "rectification_rate",
            "差评整改率",
            "rectified",
            "bad_rated",
            True,
            GROUP_CODES,
            "已完成整改的差评 ÷ 差评数（统计期内作出的不满意、非常不满意评价）",
        ),
        Indicator(
            "visits_per_application",
            "人均跑动次数",
            "visits",
            "finished",
            False,
            GROUP_CODES,
            "办结件的到现场次数之和 ÷ 办结件数",
        ),
        Indicator(
            "at_most_once_share",
            "最多跑一次占比",
            "finished_once",
            "finished",
            True,
            GROUP_CODES,
            "到现场不超过 1 次的办结件 ÷ 办结件数",
            short="最多跑一次",
        ),
        Indicator(
            "zero_visit_share",
            "零跑腿占比",
            "finished_zero",
            "finished",
            True,
            GROUP_CODES,
            "到现场 0 次的办结件 ÷ 办结件数",
            short="零跑腿",
        ),
        Indicator(
            "remote_share",
            "不见面占比",
            "accepted_remote",
            "accepted",
            True,
            GROUP_CODES,
            "网上、电话、邮寄、代办渠道受理的 ÷ 受理件数",
            short="不见面",
        ),
        Indicator(
            "daily_average",
            "日均办件量",
            "accepted",
            "working_days",
            True,
            GROUP_CODES,
            "受理件数 ÷ 统计期内（截至统计时点）的工作日数（按工作日历，调休照计）",
        ),
    ]
}
# The counts shown as columns beside the indicators.
HEADLINE_COUNTS = ["accepted", "finished"]


def value_of(code: str, counts: dict[str, int]) -> Rate:
    indicator = INDICATORS[code]
    numerator, denominator = (
        int(counts.get(indicator.numerator, 0)),
        int(counts.get(indicator.denominator, 0)),
    )
    if code in AVERAGE_PLACES:
        return Average(numerator, denominator, AVERAGE_PLACES[code])
    return Rate(numerator, denominator)


def drill_of(code: str) -> tuple[str, str | None]:
    """The list behind an indicator: the count whose rows it lists, and the count that marks the rows counted
    in its numerator (None for a mean: its rows are those of the count it is taken over)."""
    indicator = INDICATORS[code]
    if indicator.denominator in COUNTS and indicator.numerator in COUNTS:
        return indicator.denominator, indicator.numerator
    return (indicator.numerator if indicator.numerator in COUNTS else indicator.denominator), None


def label_of(name: str) -> str:
    if name in COUNTS:
        return COUNTS[name].label
    return VALUES.get(name, name)


# -- the window's working days ---------------------------------------------------------------------------


def working_days(w: Window) -> int:
    """Working days the window touches (a day cut short by as_of counts): the calendar's, with 调休."""
    if w.end <= w.start:
        return 0
    calendar = get_calendar()
    day = w.start.astimezone(CHINA).date()
    last = (w.end - dt.timedelta(microseconds=1)).astimezone(CHINA).date()
    total = 0
    while day <= last:
        with suppress(ValueError):  # outside the calendar's years: not counted
            total += calendar.is_workday(day)
        day += dt.timedelta(days=1)
    return total


def window_all(rows: QuerySet[Application], as_of: dt.datetime) -> Window | None:
    """A window over all of `rows`' records: from the first one's day (China time) to `as_of`; None if none."""
    first = rows.order_by().aggregate(first=Min("created_at"))["first"]
    if first is None:
        return None
    local = first.astimezone(CHINA)
    start = dt.datetime(local.year, local.month, local.day, tzinfo=CHINA)
    return window_of(start, as_of, as_of)


# -- figures -----------------------------------------------------------------------------------------------


def applications_in(rows: QuerySet[Application], area_code: str) -> QuerySet[Application]:
    """`rows` (a viewer's visible applications, or all) located in the area (a region-code prefix; "" is all)."""
    return rows.filter(code_prefix_q("region_code", area_code)) if area_code else rows


@dataclass
class Figures:
    """One subject's counts in a window (key None: the total; NONE_KEY: those without a subject)."""

    key: str | None
    name: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def value(self, code: str) -> Rate:
        return value_of(code, self.counts)

    def count(self, name: str) -> int:
        return int(self.counts.get(name, 0))


ALL_COUNTS = list(COUNTS)


def _aggregates(w: Window, names: Iterable[str]) -> dict[str, Any]:
    filters = application_filters(w)
    out: dict[str, Any] = {f"n_{n}": Count("pk", filter=filters[n]) for n in names if n in COUNTS}
    if "visits" in names:
        out["n_visits"] = Sum("visits", filter=filters["finished"])
    return out


def figures_by(
    rows: QuerySet[Application], *, window: Window, group: str | None, names: Iterable[str] | None = None
) -> list[Figures]:
    """Every requested count (all of them by default, and the visits) for each subject of `group`, or the total
    when `group` is None: one query. Subjects with nothing in the window do not appear."""
    wanted = list(names) if names is not None else [*ALL_COUNTS, "visits"]
    aggregates = _aggregates(window, wanted)
    scanned = rows.filter(prefilter(window)).order_by()
    days = working_days(window)

    def counts(values: dict[str, Any]) -> dict[str, int]:
        out = {n[2:]: int(v or 0) for n, v in values.items() if n.startswith("n_")}
        out["working_days"] = days
        return out

    with analytic_query():
        if group is None:
            return [Figures(None, "合计", counts(scanned.aggregate(**aggregates)))]
        grouping = GROUPINGS[group]
        result = scanned.values(grouping.field).annotate(**aggregates)
        out = []
        for row in result:
            key = row[grouping.field]
            out.append(Figures(NONE_KEY if key is None else str(key), counts=counts(row)))
    names_of = subject_names(group, [f.key for f in out if f.key != NONE_KEY])
    for f in out:
        f.name = grouping.none_label if f.key == NONE_KEY else names_of.get(str(f.key), str(f.key))
    out.sort(key=lambda f: (f.key == NONE_KEY, -f.count("accepted"), -f.count("finished"), f.name))
    return out


def total_of(figures: Iterable[Figures], name: str = "合计") -> Figures:
    """The sum of subjects' counts (every count is additive; working days are the window's, not summed)."""
    total = Figures(None, name, {})
    for f in figures:
        for n, v in f.counts.items():
            total.counts[n] = v if n == "working_days" else total.counts.get(n, 0) + v
    return total


def subject_names(group: str, keys: list[str | None]) -> dict[str, str]:
    """The names of a grouping's subjects: one query."""
    wanted = [k for k in keys if k]
    if not wanted:
        return {}
    if group == "township":
        centres = ServiceCentre.objects.filter(pk__in=wanted).select_related("township")
        return {str(c.pk): c.township.name for c in centres}
    if group == "window":
        windows = ServiceWindow.objects.filter(pk__in=wanted).select_related("centre__township")
        return {str(w.pk): f"{w.centre.township.name} {w}" for w in windows}
    if group == "clerk":
        return {str(pk): name for pk, name in Person.objects.filter(pk__in=wanted).values_list("pk", "name")}
    if group == "department":
        return {str(pk): name for pk, name in Unit.objects.filter(pk__in=wanted).values_list("pk", "name")}
    names: dict[str, str] = {}
    for code, name in (
        ServiceItem.objects.filter(code__in=wanted).order_by("code", "-version").values_list("code", "name")
    ):
        names.setdefault(code, f"{name}（{code}）")
    return names


def drill_rows(
    rows: QuerySet[Application],
    *,
    window: Window,
    count: str,
    group: str | None = None,
    key: str | None = None,
) -> QuerySet[Application]:
    """The applications behind one count of one subject, filtered exactly as the figure was counted."""
    scanned = rows.filter(prefilter(window)).filter(application_filters(window)[count])
    return of_subject(scanned, group, key)


def of_subject(rows: QuerySet[Application], group: str | None, key: str | None) -> QuerySet[Application]:
    """The applications of one subject of a grouping (all of them when no group is given)."""
    if group is None or key is None:
        return rows
    grouping = GROUPINGS[group]
    if key == NONE_KEY:
        return rows.filter(**{f"{grouping.field}__isnull": True})
    return rows.filter(**{grouping.field: key})


# -- the catalogue's lists ---------------------------------------------------------------------------------


def list_sizes(*, at: dt.datetime | None = None) -> dict[str, int]:
    """The published catalogue's lists (items in force at `at`): per township type, at villages, and the
    central list's 最多跑一次 and 零跑腿 items. One query."""
    central = Q(in_central=True)
    return {
        name: int(value or 0)
        for name, value in ServiceItem.objects.in_force(at)
        .order_by()
        .aggregate(
            items=Count("code", distinct=True),
            central=Count("code", distinct=True, filter=central),
            developing=Count("code", distinct=True, filter=Q(in_developing=True)),
            ecological=Count("code", distinct=True, filter=Q(in_ecological=True)),
            village=Count("code", distinct=True, filter=Q(at_village=True)),
            central_at_most_once=Count("code", distinct=True, filter=central & Q(at_most_once=True)),
            central_zero_visit=Count("code", distinct=True, filter=central & Q(zero_visit=True)),
        )
        .items()
    }
