"""What each figure of the market-supervision platform counts: the counts (one filter each on one relation:
entities, inspections, findings, penalties, draws), the rates made of them, and the groupings (unit, inspector).

A figure and the list behind it both apply `count_filters(w)[name]`, so they cannot disagree.
docs/market-indicators.md restates every definition; keep the two in step.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from grassroots.assessment.indicators import CountDef, Indicator, Window, _in
from grassroots.assessment.periods import CHINA
from grassroots.draws.algorithm import RISK_CLASSES

from ..choices import EntityStatus, FindingStatus, InspectionKind, InspectionStatus
from ..models import Inspection


class Relation:
    ENTITY = "entity"  # market entities (市场主体), as the registry holds them now
    INSPECTION = "inspection"  # inspections (监督检查)
    FINDING = "finding"  # problems found (检查发现问题)
    PENALTY = "penalty"  # penalties recorded (行政处罚)
    DRAW = "draw"  # draws of 双随机 plans (抽取记录), superseded ones left out


RELATIONS = [Relation.ENTITY, Relation.INSPECTION, Relation.FINDING, Relation.PENALTY, Relation.DRAW]

# -- groupings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grouping:
    code: str
    label: str
    fields: dict[str, str]  # relation → the field naming the subject; relations absent are not broken down
    none_label: str  # the row of records without a subject (a penalty recorded without an inspection)


GROUPINGS: dict[str, Grouping] = {
    g.code: g
    for g in [
        Grouping(
            "unit",
            "检查单位",
            {
                Relation.INSPECTION: "unit_id",
                Relation.FINDING: "inspection__unit_id",
                Relation.PENALTY: "inspection__unit_id",
            },
            "未关联检查",
        ),
        # An inspection by two inspectors counts for each of them: the rows of this grouping do not add up.
        Grouping(
            "inspector",
            "检查人员",
            {
                Relation.INSPECTION: "inspectors__id",
                Relation.FINDING: "inspection__inspectors__id",
                Relation.PENALTY: "inspection__inspectors__id",
            },
            "未关联检查",
        ),
    ]
}
GROUP_CODES = frozenset(GROUPINGS)
NONE_KEY = "none"

# -- counts ------------------------------------------------------------------------------------------------

KIND_LABELS = dict(InspectionKind.choices)


def _count(name: str, relation: str, label: str, definition: str) -> CountDef:
    return CountDef(name, relation, label, definition)


COUNTS: dict[str, CountDef] = {
    c.name: c
    for c in [
        _count(
            "operating", Relation.ENTITY, "存续主体数", "登记状态为存续的市场主体（当前名录，不随统计期变化）"
        ),
        *(
            _count(f"class_{r}", Relation.ENTITY, f"{r} 类主体数", f"存续、当前风险分类为 {r} 类的市场主体")
            for r in RISK_CLASSES
        ),
        _count(
            "drawn_entities",
            Relation.ENTITY,
            "被抽中主体数",
            "存续的市场主体中，被统计期内抽取（且未被重新抽取作废）的双随机抽取记录选为检查对象的",
        ),
        *(
            _count(
                f"drawn_{r}",
                Relation.ENTITY,
                f"{r} 类被抽中数",
                f"被抽中主体中当前风险分类为 {r} 类的",
            )
            for r in RISK_CLASSES
        ),
        _count(
            "planned",
            Relation.INSPECTION,
            "安排检查数",
            "创建时间（created_at）在统计期内、未被取消的检查（双随机检查的创建时间即抽取时间）",
        ),
        *(
            _count(f"planned_{k}", Relation.INSPECTION, f"安排{label}数", f"统计期内安排的{label}")
            for k, label in KIND_LABELS.items()
        ),
        _count(
            "planned_done",
            Relation.INSPECTION,
            "安排已检查数",
            "统计期内安排、且截至统计时点已录入检查结果（inspected_at 不晚于统计时点）的检查",
        ),
        _count(
            "done",
            Relation.INSPECTION,
            "完成检查数",
            "检查时间（inspected_at，录入检查结果的时间）在统计期内的检查",
        ),
        *(
            _count(f"done_{k}", Relation.INSPECTION, f"完成{label}数", f"统计期内完成的{label}")
            for k, label in KIND_LABELS.items()
        ),
        _count(
            "drawn_targets",
            Relation.INSPECTION,
            "抽中检查任务数",
            "统计期内抽取、未被重新抽取作废的双随机抽取记录分派的检查（每次抽取每个对象一条）",
        ),
        _count(
            "drawn_done",
            Relation.INSPECTION,
            "抽中已检查数",
            "抽中检查任务中截至统计时点已录入检查结果的",
        ),
        _count(
            "findings",
            Relation.FINDING,
            "发现问题数",
            "所属检查的检查时间（inspected_at）在统计期内的发现问题",
        ),
        _count(
            "due_rectify",
            Relation.FINDING,
            "应整改问题数",
            "整改期限（rectify_by，延期后为新期限）在统计期内、且截至统计时点已过期限当天的发现问题",
        ),
        _count(
            "rectified_on_time",
            Relation.FINDING,
            "按期整改数",
            "应整改问题中已整改、整改确认日期（rectified_at，北京时间）不晚于整改期限、且未标记逾期的",
        ),
        _count(
            "penalties",
            Relation.PENALTY,
            "处罚数",
            "决定日期（decided_on）在统计期内（截至统计时点当天）的行政处罚",
        ),
        _count("draws", Relation.DRAW, "抽取次数", "抽取时间在统计期内、未被重新抽取作废的双随机抽取记录"),
        _count(
            "publish_due",
            Relation.DRAW,
            "应公示数",
            "结果公示期限（results_due_at）在统计期内且已到期、未被重新抽取作废的抽取记录",
        ),
        _count(
            "published_on_time",
            Relation.DRAW,
            "按时公示数",
            "应公示抽取记录中，结果公示时间不晚于公示期限的",
        ),
        _count(
            "published_late",
            Relation.DRAW,
            "逾期公示数",
            "应公示抽取记录中，晚于期限公示或至今未公示的",
        ),
    ]
}
# Values that are not counts of rows: the penalties' money, listed as the penalties it sums.
VALUES = {"amount": "罚没金额（元）"}
VALUE_DEFINITIONS = {"amount": "决定日期在统计期内的行政处罚的罚没金额之和（元）"}
VALUE_ROWS = {"amount": "penalties"}


def relation_of(name: str) -> str:
    return COUNTS[VALUE_ROWS.get(name, name)].relation


def label_of(name: str) -> str:
    return COUNTS[name].label if name in COUNTS else VALUES.get(name, name)


# -- the filters -------------------------------------------------------------------------------------------


def local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(CHINA).date()


def days_of(w: Window, field: str) -> Q:
    """A date field on one of the days W touches (a day cut short by as_of counts): for `decided_on`."""
    if w.end <= w.start:
        return Q(pk__in=[])
    first, last = local_date(w.start), local_date(w.end - dt.timedelta(microseconds=1))
    return Q(**{f"{field}__gte": first, f"{field}__lte": last})


def deadline_days(w: Window, field: str) -> Q:
    """A deadline date whose day ended within W: first day of W ≤ date < the day W ends in (so as_of's own day,
    not yet over, is left out; a period ending at midnight takes its last day)."""
    if w.end <= w.start:
        return Q(pk__in=[])
    return Q(**{f"{field}__gte": local_date(w.start), f"{field}__lt": local_date(w.end)})


def drawn_in(w: Window, prefix: str = "") -> Q:
    """A current draw (not superseded) drawn in W; `prefix` reaches the draw from another relation."""
    return Q(**{f"{prefix}superseded_at__isnull": True}) & _in(f"{prefix}drawn_at", w)


def entity_drawn(w: Window) -> Exists:
    drawn = Inspection.objects.filter(entity=OuterRef("pk"), kind=InspectionKind.RANDOM).filter(
        drawn_in(w, "draw__")
    )
    return Exists(drawn)


OPERATING = Q(status=EntityStatus.OPERATING)  # the registry's pool: what `entity_pool` gives the draw engine


def count_filters(w: Window) -> dict[str, Q]:
    """The filter of every count on its relation: `COUNT(*) FILTER (WHERE …)` for figures, the WHERE of lists."""
    operating = OPERATING
    drawn = operating & Q(entity_drawn(w))
    planned = _in("created_at", w) & ~Q(status=InspectionStatus.CANCELLED)
    done = _in("inspected_at", w)
    drawn_targets = Q(kind=InspectionKind.RANDOM) & drawn_in(w, "draw__")
    due_rectify = deadline_days(w, "rectify_by")
    rectified_date = TruncDate("rectified_at", tzinfo=CHINA)
    due_publish = Q(superseded_at__isnull=True) & _in("results_due_at", w)
    on_time = due_publish & Q(results_published_at__lte=F("results_due_at"))
    filters = {
        "operating": operating,
        "drawn_entities": drawn,
        "planned": planned,
        "planned_done": planned & Q(inspected_at__lte=w.as_of),
        "done": done,
        "drawn_targets": drawn_targets,
        "drawn_done": drawn_targets & Q(inspected_at__lte=w.as_of),
        "findings": _in("inspection__inspected_at", w),
        "due_rectify": due_rectify,
        "rectified_on_time": due_rectify
        & Q(status=FindingStatus.RECTIFIED, late=False, rectified_at__lte=w.as_of)
        & Q(rectified_at__isnull=False)
        & Q(rectify_by__gte=rectified_date),
        "penalties": days_of(w, "decided_on"),
        "draws": drawn_in(w),
        "publish_due": due_publish,
        "published_on_time": on_time,
        "published_late": due_publish & ~Q(results_published_at__lte=F("results_due_at")),
    }
    for r in RISK_CLASSES:
        filters[f"class_{r}"] = operating & Q(risk_class=r)
        filters[f"drawn_{r}"] = drawn & Q(risk_class=r)
    for k in KIND_LABELS:
        filters[f"planned_{k}"] = planned & Q(kind=k)
        filters[f"done_{k}"] = done & Q(kind=k)
    return filters


def relation_filters(w: Window, relation: str) -> dict[str, Q]:
    return {n: q for n, q in count_filters(w).items() if COUNTS[n].relation == relation}


# -- indicators --------------------------------------------------------------------------------------------

ALL = GROUP_CODES  # shown for the total and every grouping
TOTAL_ONLY: frozenset[str] = frozenset()

INDICATORS: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "done_rate",
            "检查完成率",
            "planned_done",
            "planned",
            True,
            ALL,
            "统计期内安排的检查中截至统计时点已录入检查结果的 ÷ 统计期内安排检查数（未取消）",
        ),
        Indicator(
            "on_time_rectification",
            "按期整改率",
            "rectified_on_time",
            "due_rectify",
            True,
            ALL,
            "按期整改数 ÷ 应整改问题数（整改期限在统计期内且已过的发现问题）",
        ),
        Indicator(
            "draw_coverage",
            "抽查覆盖率",
            "drawn_entities",
            "operating",
            True,
            TOTAL_ONLY,
            "统计期内被双随机抽中的存续主体 ÷ 存续主体数（当前名录）",
        ),
        *(
            Indicator(
                f"coverage_{r}",
                f"{r} 类抽中比例",
                f"drawn_{r}",
                f"class_{r}",
                True,
                TOTAL_ONLY,
                f"统计期内被抽中的 {r} 类存续主体 ÷ {r} 类存续主体数，与计划的 {r} 类抽查比例对照",
            )
            for r in RISK_CLASSES
        ),
        Indicator(
            "on_time_publication",
            "按时公示率",
            "published_on_time",
            "publish_due",
            True,
            TOTAL_ONLY,
            "按时公示数 ÷ 应公示数（公示期限在统计期内且已到期的抽取记录）",
        ),
    ]
}


def drill_of(code: str) -> tuple[str, str]:
    """The list behind a rate: its denominator's rows, each marked whether it is in the numerator."""
    indicator = INDICATORS[code]
    return indicator.denominator, indicator.numerator
