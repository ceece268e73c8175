"""The two further sections of the 执法统计 page (`sections.py`): joint operations (`services/operation_figures.py`)
and plans with daily reports (`services/plan_figures.py`), registered at start-up by `registry.register_sections`.

Every number with records is the count of those records (`value == records.count()`): a sum (places inspected,
inspections planned or done) or a rate is shown without a link, and beside each result's sum stands the count of
the operations that recorded it, which opens them. The scope is the cases' (what the viewer may see, narrowed to the
area): a viewer with a region counts the operations and units located in the area; unit staff and officers their
unit's (the operations it leads or joins, with its own results; its plans and reports)."""

from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse

from grassroots.assessment.periods import CHINA
from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.org.models import Unit

from ..models import DailyReport, JointOperation, PlanShare
from ..models.operations import RESULT_FIELDS, OperationUnit
from ..services.operation_figures import (
    RESULT_LABELS,
    Period,
    counted,
    operations_by_month,
    operations_count,
    results_totals,
)
from ..services.plan_figures import BulletinRow, bulletin_rows, counted_reports, percent
from ..services.plans import plan_units_visible_to
from .sections import (
    Column,
    Section,
    SectionContext,
    SectionFigure,
    SectionProvider,
    SectionTable,
    register_section,
)

NO_SCOPE = "您的岗位没有可统计的单位。"

# -- joint operations ------------------------------------------------------------------------------------------


def operation_period(ctx: SectionContext) -> Period | None:
    """The operations' `Period` for the viewer: the area (inside their region) or, for unit staff, their unit;
    None when they have neither."""
    scope = scope_of(ctx.person)
    if scope.everything or scope.region_prefix:
        return Period(ctx.first, ctx.last, region=ctx.area or scope.region_prefix)
    if scope.unit_id:
        return Period(ctx.first, ctx.last, unit=Unit.objects.get(pk=scope.unit_id))
    return None


def _count(key: str, label: str, rows: QuerySet[Any], value: int | None = None) -> SectionFigure:
    """A linked count; `value`, when already known, is the count of `rows` (the functions keep it so)."""
    return SectionFigure(key, label, f"{rows.count() if value is None else value:,}", rows)


def _sum(key: str, label: str, value: int, title: str = "") -> SectionFigure:
    return SectionFigure(key, label, f"{value:,}", None, title=title)


def _by_lead_unit(period: Period) -> list[tuple[str, list[SectionFigure]]]:
    """Per lead unit: its operations (linked) and the results recorded on them (three queries whatever the number
    of units). With a unit's period, the results are that unit's own, as `results_totals` counts them."""
    rows = counted(period).order_by()
    numbers = dict(rows.values("lead_unit").annotate(n=Count("pk")).values_list("lead_unit", "n"))
    recorded = OperationUnit.objects.filter(operation__in=rows.values("pk"))
    if period.unit is not None:
        recorded = recorded.filter(unit=period.unit)
    sums: dict[int, dict[str, Any]] = {
        r["operation__lead_unit"]: dict(r)
        for r in recorded.values("operation__lead_unit").annotate(**{n: Sum(n) for n in RESULT_FIELDS})
    }
    names = Unit.objects.filter(pk__in=numbers).order_by("code").values_list("pk", "name")
    lines = []
    for pk, name in names:
        figures = [
            _count(
                f"lead-{pk}-operations",
                f"{name} · 牵头行动",
                counted(period).filter(lead_unit_id=pk),
                numbers[pk],
            )
        ]
        for field in RESULT_FIELDS:
            value = int(sums.get(pk, {}).get(field) or 0)
            figures.append(_sum(f"lead-{pk}-{field}", f"{name} · {RESULT_LABELS[field]}", value))
        lines.append((name, figures))
    return lines


def operations_section(ctx: SectionContext) -> Section:
    period = operation_period(ctx)
    if period is None:
        return Section(tables=[], note=NO_SCOPE)
    whole = "本单位" if period.unit is not None else f"{ctx.area_name}合计"
    months = [
        (
            f"{m.year}年{m.month}月",
            [_count(f"month-{m:%Y-%m}", f"{m.year}年{m.month}月 行动次数", f.operations, f.value)],
        )
        for m, f in operations_by_month(period)
    ]
    total = operations_count(period)
    months.append((whole, [_count("total-operations", f"{whole} 行动次数", total.operations, total.value)]))
    results = []
    for field, figure in results_totals(period).items():
        label = RESULT_LABELS[field]
        results.append(
            (
                label,
                [
                    _sum(f"result-{field}", label, figure.value),
                    _count(f"result-{field}-operations", f"填报了{label}的行动", figure.operations),
                ],
            )
        )
    own = "（本单位填报的结果）" if period.unit is not None else ""
    return Section(
        tables=[
            SectionTable("按月", ["月份", "行动次数"], months),
            SectionTable(f"行动结果{own}", ["结果", "合计", "涉及行动（次）"], results),
            SectionTable(
                f"按牵头单位{own}",
                ["牵头单位", "牵头行动", *[RESULT_LABELS[f] for f in RESULT_FIELDS]],
                _by_lead_unit(period),
            ),
        ],
        note=f"{ctx.first:%Y-%m-%d} 至 {ctx.last:%Y-%m-%d} 开始的联合执法与专项整治行动（不含已取消的）。",
        definitions=[
            (
                "行动次数",
                "首日在统计期内、未取消的行动，由区域内单位牵头或参加；本单位人员计本单位牵头或参加的行动。",
            ),
            (
                "行动结果",
                "参加单位在所计行动上填报的检查场所、发现问题、立案查处、整改到位之和；本单位人员只计本单位填报的数。",
            ),
            ("涉及行动", "填报了该项结果（大于零）的行动次数，点击可查看这些行动。"),
            ("按牵头单位", "每次行动计入其牵头单位一次；结果为该行动各参加单位填报之和。"),
        ],
    )


def _operation_lead(operation: JointOperation) -> str:
    return operation.lead_unit.name


OPERATIONS = SectionProvider(
    code="operations",
    title="联合执法与专项整治",
    build=operations_section,
    columns=[
        Column("行动名称", lambda o: o.title),
        Column("类型", lambda o: o.get_kind_display()),
        Column("牵头单位", _operation_lead),
        Column("开始日期", lambda o: f"{o.starts_on:%Y-%m-%d}"),
        Column("结束日期", lambda o: f"{o.ends_on:%Y-%m-%d}"),
        Column("状态", lambda o: o.get_status_display()),
    ],
    record_url=lambda o: reverse("enforcement:operation", args=[o.pk]),
    order=lambda rows: rows.select_related("lead_unit").order_by("starts_on", "pk"),
)

# -- plans and daily reports -----------------------------------------------------------------------------------


def plan_units(ctx: SectionContext) -> list[Unit]:
    """The units the viewer may see in the area that planned or reported in the period's years and days."""
    units = plan_units_visible_to(ctx.person)
    if ctx.area:
        units = units.filter(code_prefix_q("division__code", ctx.area))
    reporting = DailyReport.objects.filter(unit__in=units, day__gte=ctx.first, day__lte=ctx.last)
    planning = PlanShare.objects.filter(
        plan__unit__in=units, plan__year__gte=ctx.first.year, plan__year__lte=ctx.last.year
    )
    ids = set(reporting.values_list("unit", flat=True)) | set(planning.values_list("plan__unit", flat=True))
    return list(Unit.objects.filter(pk__in=ids).order_by("code"))


def _plan_figures(
    ctx: SectionContext, unit: Unit, row: BulletinRow, key: str, who: str
) -> list[SectionFigure]:
    officer = row.officer_id
    reports = counted_reports(unit=unit, first=ctx.first, last=ctx.last, officer=officer)
    return [
        _sum(f"{key}-planned", f"{who} · 计划检查数", row.planned),
        _sum(f"{key}-done", f"{who} · 完成检查数", row.done),
        SectionFigure(
            f"{key}-rate",
            f"{who} · 计划完成率",
            percent(row.rate),
            None,
            title=f"{min(row.done, row.planned)} / {row.planned}",
        ),
        _count(f"{key}-reports", f"{who} · 上报次数", reports, row.reports),
        _count(f"{key}-on_time", f"{who} · 按时上报", reports.filter(late=False), row.reports - row.late),
        _count(f"{key}-late", f"{who} · 逾期上报", reports.filter(late=True), row.late),
        SectionFigure(
            f"{key}-timeliness",
            f"{who} · 上报及时率",
            percent(row.timeliness),
            None,
            title=f"{row.reports - row.late} / {row.reports}",
        ),
    ]


PLAN_HEADERS = ["计划检查数", "完成检查数", "计划完成率", "上报次数", "按时上报", "逾期上报", "上报及时率"]


def plans_section(ctx: SectionContext) -> Section:
    unit_lines, officer_lines = [], []
    for unit in plan_units(ctx):
        rows = bulletin_rows(unit=unit, first=ctx.first, last=ctx.last)
        *officers, total = rows
        if not (total.planned or total.reports):
            continue
        unit_lines.append((unit.name, _plan_figures(ctx, unit, total, f"unit-{unit.pk}", unit.name)))
        for row in officers:
            who = f"{row.name}（{unit.name}）"
            officer_lines.append(
                (who, _plan_figures(ctx, unit, row, f"officer-{unit.pk}-{row.officer_id}", who))
            )
    return Section(
        tables=[
            SectionTable("按单位", ["执法单位", *PLAN_HEADERS], unit_lines),
            SectionTable("按执法人员", ["执法人员", *PLAN_HEADERS], officer_lines),
        ],
        note=f"{ctx.first:%Y-%m-%d} 至 {ctx.last:%Y-%m-%d} 的执法检查计划与每日巡查上报；计划按整月计，统计期未满的月份不计入计划数。",
        definitions=[
            (
                "计划检查数",
                "统计期内整月的月度计划份额之和；未分解到月的年度计划，整年在统计期内时计其年度份额。",
            ),
            ("完成检查数", "统计期内各日巡查上报的检查场所/主体数之和。"),
            ("计划完成率", "min(完成, 计划) / 计划，不超过 100%；无计划时为“—”。"),
            (
                "上报次数",
                "巡查日期在统计期内的每日巡查上报；按时上报为当日结束后 24 小时内提交的，其余为逾期上报。",
            ),
            ("上报及时率", "按时上报 / 上报次数；无上报时为“—”。"),
        ],
    )


PLANS = SectionProvider(
    code="plans",
    title="执法计划与巡查上报",
    build=plans_section,
    columns=[
        Column("巡查日期", lambda r: f"{r.day:%Y-%m-%d}"),
        Column("执法人员", lambda r: r.officer.name),
        Column("执法单位", lambda r: r.unit.name),
        Column("检查场所/主体数", lambda r: str(r.checked)),
        Column("上报时间", lambda r: f"{r.submitted_at.astimezone(CHINA):%Y-%m-%d %H:%M}"),
        Column("逾期上报", lambda r: "是" if r.late else "否"),
    ],
    record_url=lambda r: reverse("enforcement:plan_reports", args=[r.unit_id]) + f"?month={r.day:%Y-%m}",
    order=lambda rows: rows.select_related("officer", "unit").order_by("day", "officer_id", "pk"),
)


def register() -> None:
    register_section(OPERATIONS)
    register_section(PLANS)
