"""The figures computed in SQL: the cases a viewer may count (`scope_for`), conditional counts with one query per
grouping (`figures_by`), and the cases behind one figure (`drill_rows`), filtered the same."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, QuerySet, Sum

from grassroots.assessment.figures import analytic_query
from grassroots.assessment.indicators import Rate, Window, window_of
from grassroots.assessment.periods import CHINA
from grassroots.core.scope import code_prefix_q
from grassroots.org.models import Unit
from grassroots.people.models import Person

from ..models import EnforcementCase
from ..permissions import cases_visible_to
from .definitions import COUNTS, GROUPINGS, INDICATORS, VALUE_ROWS, count_filters, prefilter

# -- what a viewer counts ------------------------------------------------------------------------------------


def scope_for(person: Any, area: str = "") -> QuerySet[EnforcementCase]:
    """The cases `person` may see (`cases_visible_to`), narrowed to the units located in `area` (a division code
    within their scope, or "" for all of it)."""
    return scope_all(area, cases_visible_to(person))


def scope_all(area: str = "", cases: QuerySet[EnforcementCase] | None = None) -> QuerySet[EnforcementCase]:
    """Every case of the units located in `area` (the seed rows' view of a town)."""
    rows = EnforcementCase.objects.all() if cases is None else cases
    if area:
        rows = rows.filter(code_prefix_q("unit__division__code", area))
    return rows


def window_all(cases: QuerySet[EnforcementCase], as_of: dt.datetime) -> Window:
    """A window over all of the cases' dated steps, for `manage.py seed_figures`: from the day (China time) of the
    first lead registered to `as_of` (empty, at `as_of`, when there is none). Every dated count falls in it: a case
    is filed, refused, decided, heard and closed after it was registered."""
    first = cases.order_by().aggregate(m=Min("created_at"))["m"]
    if first is None:
        return window_of(as_of, as_of, as_of)
    local = first.astimezone(CHINA)
    return window_of(dt.datetime(local.year, local.month, local.day, tzinfo=CHINA), as_of, as_of)


# -- figures -----------------------------------------------------------------------------------------------


@dataclass
class Figures:
    """One subject's counts in a window (key None: the total)."""

    key: str | None
    name: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    amount: Decimal = Decimal(0)

    def count(self, name: str) -> int:
        return int(self.counts.get(name, 0))

    def value(self, code: str) -> Rate:
        indicator = INDICATORS[code]
        return Rate(self.count(indicator.numerator), self.count(indicator.denominator))


def _aggregate(
    rows: QuerySet[EnforcementCase], w: Window, group_field: str | None
) -> list[tuple[Any, dict[str, int], Decimal]]:
    """(subject key, counts, amount) per subject: one query."""
    filters = count_filters(w)
    aggregates: dict[str, Any] = {f"n_{n}": Count("pk", filter=q) for n, q in filters.items()}
    aggregates["sum_amount"] = Sum("decided_amount", filter=filters[VALUE_ROWS["amount"]])
    scanned = rows.filter(prefilter(w)).order_by()

    def split(values: dict[str, Any]) -> tuple[dict[str, int], Decimal]:
        counts = {k[2:]: int(v or 0) for k, v in values.items() if k.startswith("n_")}
        return counts, Decimal(values.get("sum_amount") or 0)

    if group_field is None:
        return [(None, *split(scanned.aggregate(**aggregates)))]
    return [(row[group_field], *split(row)) for row in scanned.values(group_field).annotate(**aggregates)]


def figures_by(cases: QuerySet[EnforcementCase], *, window: Window, group: str | None) -> list[Figures]:
    """Every count (and the fines' amount) for each subject of `group`, or the total when `group` is None: one
    query, and one for the subjects' names. Subjects with nothing counted do not appear."""
    group_field = None if group is None else GROUPINGS[group].field
    with analytic_query():
        found = _aggregate(cases, window, group_field)
    out = [
        Figures(None if key is None else str(key), counts=counts, amount=amount)
        for key, counts, amount in found
    ]
    if group is None:
        total = out[0] if out else Figures(None)
        total.name = "合计"
        return [total]
    out = [f for f in out if f.key is not None and any(f.counts.values())]
    names = subject_names(group, [f.key for f in out])
    for f in out:
        f.name = names.get(str(f.key), str(f.key))
    out.sort(key=lambda f: (-f.count("filed"), -f.count("closed"), -f.count("penalties"), f.name))
    return out


def subject_names(group: str, keys: Iterable[str | None]) -> dict[str, str]:
    """The names of a grouping's subjects: one query."""
    wanted = [k for k in keys if k]
    if not wanted:
        return {}
    model: Any = Unit if group == "unit" else Person
    return {str(pk): name for pk, name in model.objects.filter(pk__in=wanted).values_list("pk", "name")}


# -- the cases behind a figure -------------------------------------------------------------------------------


def drill_rows(
    cases: QuerySet[EnforcementCase],
    *,
    window: Window,
    count: str,
    group: str | None = None,
    key: str | None = None,
) -> QuerySet[EnforcementCase]:
    """The cases behind one count of one subject, filtered exactly as the figure was counted."""
    name = VALUE_ROWS.get(count, count)
    rows = cases.filter(prefilter(window)).filter(count_filters(window)[COUNTS[name].name])
    return of_subject(rows, group, key)


def of_subject(
    rows: QuerySet[EnforcementCase], group: str | None, key: str | None
) -> QuerySet[EnforcementCase]:
    if group is None or key is None:
        return rows
    return rows.filter(**{GROUPINGS[group].field: key})


def figure_of(
    cases: QuerySet[EnforcementCase], *, window: Window, group: str | None, key: str | None
) -> Figures:
    """One subject's counts, by the code of the tables (one query): the number a list shows beside its rows."""
    _, counts, amount = _aggregate(of_subject(cases, group, key), window, None)[0]
    return Figures(key, counts=counts, amount=amount)
