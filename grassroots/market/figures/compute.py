"""The figures computed in SQL: the rows a viewer may count (`Scope`), conditional counts per relation with one
query per relation and grouping (`figures_by`), and the rows behind one figure (`drill_rows`), filtered the same."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum

from grassroots.assessment.figures import analytic_query
from grassroots.assessment.indicators import Rate, Window, _in, window_of
from grassroots.assessment.periods import CHINA
from grassroots.core.scope import code_prefix_q
from grassroots.draws.algorithm import RISK_CLASSES
from grassroots.draws.models import Draw
from grassroots.draws.permissions import visible_to as plans_visible_to
from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..models import Finding, Inspection, MarketEntity, Penalty
from ..permissions import inspections_visible_to, visible_to
from .definitions import (
    COUNTS,
    GROUPINGS,
    INDICATORS,
    NONE_KEY,
    RELATIONS,
    VALUE_ROWS,
    Relation,
    count_filters,
    days_of,
    deadline_days,
    drawn_in,
    relation_filters,
)

# -- what a viewer counts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The rows of each relation a viewer may see, within an area; every figure counts these and nothing else."""

    entities: QuerySet[MarketEntity]
    inspections: QuerySet[Inspection]
    findings: QuerySet[Finding]
    penalties: QuerySet[Penalty]
    draws: QuerySet[Draw]

    def rows(self, relation: str) -> QuerySet[Any]:
        return {
            Relation.ENTITY: self.entities,
            Relation.INSPECTION: self.inspections,
            Relation.FINDING: self.findings,
            Relation.PENALTY: self.penalties,
            Relation.DRAW: self.draws,
        }[relation]


def _scope(
    entities: QuerySet[MarketEntity], inspections: QuerySet[Inspection], draws: QuerySet[Draw], area: str
) -> Scope:
    penalties = Penalty.objects.filter(Q(entity__in=entities.values("pk")) | Q(inspection__in=inspections))
    if area:
        entities = entities.filter(code_prefix_q("region_code", area))
        inspections = inspections.filter(code_prefix_q("entity__region_code", area))
        penalties = penalties.filter(code_prefix_q("entity__region_code", area))
        # A draw is in the area when one of its plan's units sits there or it assigned a target located there.
        in_area = Draw.objects.filter(
            code_prefix_q("plan__units__division__code", area)
            | code_prefix_q("inspections__entity__region_code", area)
        )
        draws = draws.filter(pk__in=in_area.values("pk"))
    findings = Finding.objects.filter(inspection__in=inspections.values("pk"))
    return Scope(entities, inspections, findings, penalties, draws)


def scope_for(person: Any, area: str = "") -> Scope:
    """What `person` may see (the registry's, the inspections', the draw plans' own rules), narrowed to `area`
    (a division code within their scope, or "" for all of it)."""
    draws = Draw.objects.filter(plan__in=plans_visible_to(person).values("pk"))
    return _scope(visible_to(person), inspections_visible_to(person), draws, area)


def scope_all(area: str = "") -> Scope:
    """Every record in `area` (the seed rows' view of a town)."""
    return _scope(MarketEntity.objects.all(), Inspection.objects.all(), Draw.objects.all(), area)


def window_all(scope: Scope, as_of: dt.datetime) -> Window:
    """A window over all of the scope's dated records: from the day (China time) of the first inspection, draw or
    penalty to `as_of` (empty, at `as_of`, when there is none; the registry's counts need no window)."""
    firsts = [
        scope.inspections.order_by().aggregate(m=Min("created_at"))["m"],
        scope.draws.order_by().aggregate(m=Min("drawn_at"))["m"],
    ]
    decided = scope.penalties.order_by().aggregate(m=Min("decided_on"))["m"]
    if decided is not None:
        firsts.append(dt.datetime(decided.year, decided.month, decided.day, tzinfo=CHINA))
    known = [f for f in firsts if f is not None]
    if not known:
        return window_of(as_of, as_of, as_of)
    local = min(known).astimezone(CHINA)
    start = dt.datetime(local.year, local.month, local.day, tzinfo=CHINA)
    return window_of(start, as_of, as_of)


# -- figures -----------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One subject's counts in a window (key None: the total; NONE_KEY: records without a subject)."""

    key: str | None
    name: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    amount: Decimal = Decimal(0)

    def count(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    def value(self, code: str) -> Rate:
        indicator = INDICATORS[code]
        return Rate(self.count(indicator.numerator), self.count(indicator.denominator))


def _prefilter(w: Window, relation: str) -> Q:
    """Rows any count of the relation can match, to narrow the scan (entities: all of them, the pool). Every
    count's filter implies it; the lists apply it too, so even a row breaking that rule is left out of both."""
    if relation == Relation.INSPECTION:
        return Q(created_at__gte=w.start, created_at__lt=w.end) | Q(
            inspected_at__gte=w.start, inspected_at__lt=w.end
        )
    if relation == Relation.DRAW:
        return drawn_in(w) | Q(results_due_at__gte=w.start, results_due_at__lt=w.end)
    if relation == Relation.FINDING:
        return _in("inspection__inspected_at", w) | deadline_days(w, "rectify_by")
    if relation == Relation.PENALTY:
        return days_of(w, "decided_on")
    return Q()


def _aggregate(
    rows: QuerySet[Any], w: Window, relation: str, group_field: str | None
) -> list[tuple[Any, dict[str, int], Decimal]]:
    """(subject key, counts, amount) per subject of one relation: one query."""
    aggregates: dict[str, Any] = {
        f"n_{n}": Count("pk", filter=q) for n, q in relation_filters(w, relation).items()
    }
    if relation == Relation.PENALTY:
        aggregates["sum_amount"] = Sum("amount", filter=count_filters(w)[VALUE_ROWS["amount"]])
    scanned = rows.filter(_prefilter(w, relation)).order_by()

    def split(values: dict[str, Any]) -> tuple[dict[str, int], Decimal]:
        counts = {k[2:]: int(v or 0) for k, v in values.items() if k.startswith("n_")}
        return counts, Decimal(values.get("sum_amount") or 0)

    if group_field is None:
        return [(None, *split(scanned.aggregate(**aggregates)))]
    return [(row[group_field], *split(row)) for row in scanned.values(group_field).annotate(**aggregates)]


def figures_by(scope: Scope, *, window: Window, group: str | None) -> list[Figures]:
    """Every count (and the penalties' amount) for each subject of `group`, or the total when `group` is None:
    one query per relation the grouping breaks down (all five for the total), one for the subjects' names.
    Subjects with nothing counted do not appear."""
    relations = RELATIONS if group is None else list(GROUPINGS[group].fields)
    merged: dict[Any, Figures] = {}
    with analytic_query():
        for relation in relations:
            group_field = None if group is None else GROUPINGS[group].fields[relation]
            for key, counts, amount in _aggregate(scope.rows(relation), window, relation, group_field):
                subject = NONE_KEY if group is not None and key is None else key
                subject = None if subject is None else str(subject)
                figures = merged.setdefault(subject, Figures(subject))
                figures.counts.update(counts)
                figures.amount += amount
    if group is None:
        total = merged.get(None) or Figures(None)
        total.name = "合计"
        return [total]
    out = [f for f in merged.values() if any(f.counts.values())]
    names = subject_names(group, [f.key for f in out if f.key != NONE_KEY])
    for f in out:
        f.name = GROUPINGS[group].none_label if f.key == NONE_KEY else names.get(str(f.key), str(f.key))
    out.sort(key=lambda f: (f.key == NONE_KEY, -f.count("planned"), -f.count("done"), f.name))
    return out


def subject_names(group: str, keys: Iterable[str | None]) -> dict[str, str]:
    """The names of a grouping's subjects: one query."""
    wanted = [k for k in keys if k and k != NONE_KEY]
    if not wanted:
        return {}
    model: Any = Unit if group == "unit" else Person
    return {str(pk): name for pk, name in model.objects.filter(pk__in=wanted).values_list("pk", "name")}


def plan_rates(scope: Scope, window: Window) -> dict[str, list[str]]:
    """Per risk class, the distinct rates the draws counted in W used (the plan's rates, as frozen in the draw's
    inputs): one query."""
    found: dict[str, set[str]] = {r: set() for r in RISK_CLASSES}
    for inputs in scope.draws.filter(count_filters(window)["draws"]).values_list("inputs", flat=True):
        for r, rate in (inputs or {}).get("rates", {}).items():
            if r in found:
                found[r].add(str(rate))
    return {r: sorted(rates, key=Decimal) for r, rates in found.items()}


# -- the rows behind a figure ------------------------------------------------------------------------------


def drill_rows(
    scope: Scope, *, window: Window, count: str, group: str | None = None, key: str | None = None
) -> QuerySet[Any]:
    """The rows behind one count of one subject, filtered exactly as the figure was counted."""
    name = VALUE_ROWS.get(count, count)
    relation = COUNTS[name].relation
    rows = scope.rows(relation).filter(_prefilter(window, relation)).filter(count_filters(window)[name])
    return of_subject(rows, relation, group, key)


def of_subject(rows: QuerySet[Any], relation: str, group: str | None, key: str | None) -> QuerySet[Any]:
    if group is None or key is None:
        return rows
    group_field = GROUPINGS[group].fields.get(relation)
    if group_field is None:
        return rows.none()
    if key == NONE_KEY:
        return rows.filter(**{f"{group_field}__isnull": True})
    return rows.filter(**{group_field: key})


def figure_of(scope: Scope, *, window: Window, relation: str, group: str | None, key: str | None) -> Figures:
    """One subject's counts of one relation, by the code of the tables (one query): the number a list shows."""
    rows = of_subject(scope.rows(relation), relation, group, key)
    _, counts, amount = _aggregate(rows, window, relation, None)[0]
    return Figures(key, counts=counts, amount=amount)
