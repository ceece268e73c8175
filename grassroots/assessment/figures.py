"""The figures behind every indicator, computed in SQL: one conditional-count query per relation, grouped by subject.

A viewer asks for a subject kind, a period and an area (a division code within their scope, areas.py). Every
relation is filtered to the viewer's visible events (`grassroots.events.permissions.visible_to`) in that area, with
merged duplicates left out, and counted with `COUNT(*) FILTER (WHERE …)` per count (count_filters.py), grouped by the
subject key (subjects.py names the subjects). No per-event Python: a district-year is a few grouped scans.
"""

import datetime as dt
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Substr
from django.utils import timezone

from grassroots.events.choices import Status
from grassroots.events.models import Assignment, EventType, SupervisionOrder, Transition

from . import count_filters as cf
from . import indicators as ind
from .areas import Area, event_area_q, scoped_events
from .choices import SubjectKind
from .external import external_counts
from .indicators import COUNTS, Rate, Relation, Window, rate_of, window_of
from .periods import Period
from .subjects import Subject, subjects_of

# -- subject keys by relation ------------------------------------------------------------------------------


def key_expr(relation: str, kind: str | None) -> Any:
    """The expression that names the subject of a row of `relation`, or None if the relation says nothing of it."""
    if kind is None:
        return None
    if relation == Relation.EVENT:
        return {
            SubjectKind.GRID: F("grid_id"),
            SubjectKind.VILLAGE: F("village_id"),
            SubjectKind.TOWNSHIP: F("township_id"),
            SubjectKind.DISTRICT: Substr("region_code", 1, 6),
            SubjectKind.PLATFORM: F("platform"),
            SubjectKind.UNIT: cf.responsible_unit(),
            SubjectKind.PERSON: F("reporter_id"),
        }[SubjectKind(kind)]
    located = {
        SubjectKind.GRID: F("event__grid_id"),
        SubjectKind.VILLAGE: F("event__village_id"),
        SubjectKind.TOWNSHIP: F("event__township_id"),
        SubjectKind.DISTRICT: Substr("event__region_code", 1, 6),
        SubjectKind.PLATFORM: F("event__platform"),
    }
    if kind in located:
        return located[SubjectKind(kind)]
    if kind == SubjectKind.UNIT:
        return F("unit_id") if relation in (Relation.ASSIGNMENT, Relation.SUPERVISION) else None
    if relation == Relation.VERIFICATION:
        return KeyTextTransform("verifier", "data")
    return None


# -- the relations ---------------------------------------------------------------------------------------------


def verify_limits() -> list[int]:
    return sorted(set(EventType.objects.values_list("verify_hours", flat=True)))


@dataclass
class Source:
    """One relation's rows for a viewer and area, and its count filters for a window."""

    rows: QuerySet[Any]
    filters: dict[str, Q]
    prefilter: Q


def relation_source(relation: str, *, viewer: Any, area: Area, window: Window, names: list[str]) -> Source:
    events = scoped_events(viewer, area)
    if relation == Relation.EVENT:
        filters = cf.event_filters(window)
        return Source(events, filters, cf.prefilter(cf.EVENT_WINDOW_FIELD, "reported_at", names, window))
    joined = event_area_q(viewer, area, events, relation)
    if relation == Relation.ASSIGNMENT:
        filters = cf.assignment_filters(window)
        pre = cf.prefilter(cf.ASSIGNMENT_WINDOW_FIELD, "deadline", names, window)
        return Source(Assignment.objects.filter(joined), filters, pre)
    if relation == Relation.VERIFICATION:
        limits = verify_limits()
        filters = cf.verification_filters(window, limits)
        rows = Transition.objects.filter(joined, action="verify", to_status=Status.VERIFYING)
        return Source(rows, filters, cf.verification_window(window, limits))
    if relation == Relation.SUPERVISION:
        filters = cf.supervision_filters(window)
        return Source(SupervisionOrder.objects.filter(joined), filters, ind._in("issued_at", window))
    if relation == Relation.REOPEN:
        rows = Transition.objects.filter(joined, action="reopen")
        return Source(rows, cf.reopen_filters(window), ind._in("at", window))
    raise ValueError(relation)


def _norm(key: Any) -> str | None:
    return None if key is None else str(key)


@dataclass(frozen=True)
class Span:
    """A window and the counts wanted in it; in a cube's rows they are named `prefix + name`."""

    window: Window
    names: list[str]
    prefix: str = ""


# Readers that may answer a cube from stored counts instead of the raw rows (the rollups app registers one): each
# returns the rows, or None when it cannot answer exactly (then the raw rows are scanned).
Reader = Callable[..., "list[dict[str, Any]] | None"]
_READERS: list[Reader] = []


def register_reader(reader: Reader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


def cube(
    relation: str, *, viewer: Any, area: Area, spans: list[Span], keys: dict[str, Any]
) -> list[dict[str, Any]]:
    """The counts of every span grouped by `keys`: from a registered reader (the daily rollups) when it can
    answer, else from one scan of the raw rows (`raw_cube`). Both give the same rows."""
    # The rollups' sums too: at province scale PostgreSQL estimates them costly enough for JIT.
    with analytic_query():
        for reader in _READERS:
            rows = reader(relation, viewer=viewer, area=area, spans=spans, keys=keys)
            if rows is not None:
                return rows
    return raw_cube(relation, viewer=viewer, area=area, spans=spans, keys=keys)


def key_expression(relation: str, key: Any) -> Any:
    """A key as SQL: a subject kind (SubjectKind) through `key_expr`, an object with `expression()` (a trend
    key) through that, anything else is taken as an expression already."""
    if isinstance(key, str):
        expression = key_expr(relation, key)
        if expression is None:
            raise ValueError(f"{relation} rows name no {key}")
        return expression
    if hasattr(key, "expression"):
        return key.expression()
    return key


def raw_cube(
    relation: str, *, viewer: Any, area: Area, spans: list[Span], keys: dict[str, Any]
) -> list[dict[str, Any]]:
    """One scan of a relation: the counts of every span, grouped by `keys` (name → subject kind, trend key or
    expression; none: one row).

    Rows are {key name: normalised key, ..., prefixed count: n}. Every count is additive, so rows can be summed
    to any coarser grouping (`rollup`): this is how the dashboard and the reports get totals, rankings, units and
    the trend out of one or two scans.
    """
    keys = {name: key_expression(relation, key) for name, key in keys.items()}
    spans = [
        Span(sp.window, [n for n in sp.names if COUNTS[n].relation == relation], sp.prefix) for sp in spans
    ]
    spans = [sp for sp in spans if sp.names]
    if not spans:
        return []
    sources = [
        relation_source(relation, viewer=viewer, area=area, window=sp.window, names=sp.names) for sp in spans
    ]
    aggregates = {}
    prefilter = Q(pk__in=[])
    for sp, source in zip(spans, sources, strict=True):
        prefilter |= source.prefilter
        for name in sp.names:
            aggregates[f"n_{sp.prefix}{name}"] = Count("pk", filter=source.filters[name])
    rows = sources[0].rows.filter(prefilter).order_by()
    wanted = [f"{sp.prefix}{name}" for sp in spans for name in sp.names]
    with analytic_query():
        if not keys:
            total = rows.aggregate(**aggregates)
            return [{name: total[f"n_{name}"] or 0 for name in wanted}]
        aliases = {f"k_{name}": _grouping(expression) for name, expression in keys.items()}
        out = []
        for row in rows.annotate(**aliases).values(*aliases).annotate(**aggregates):
            values = cast(dict[str, Any], row)
            item: dict[str, Any] = {name: _norm(values[f"k_{name}"]) for name in keys}
            item.update({name: values[f"n_{name}"] or 0 for name in wanted})
            out.append(item)
        return out


_NO_JIT: "weakref.WeakSet[Any]" = weakref.WeakSet()


def _grouping(expression: Any) -> Any:
    """On SQLite, group by `fk + 0` rather than `fk`: given the bare column, SQLite walks the foreign key's index
    to get the groups in order and fetches every row at random (three times slower than a scan and a sort)."""
    if (
        connection.vendor == "sqlite"
        and isinstance(expression, F)
        and str(getattr(expression, "name", "")).endswith("_id")
    ):
        return ExpressionWrapper(expression + Value(0), output_field=IntegerField())
    return expression


@contextmanager
def analytic_query() -> Iterator[None]:
    """On PostgreSQL, run the scans without JIT compilation: for these sub-second aggregates JIT costs more (half
    a second and more of compiling) than it saves. Set once per database connection (JIT only ever fires on
    expensive queries, so the application's other queries on that connection are unaffected in practice)."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw = connection.connection
        if raw is not None and raw not in _NO_JIT:
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            _NO_JIT.add(raw)
    yield


def rollup(rows: Iterable[dict[str, Any]], key: Any, names: Iterable[str]) -> dict[Any, dict[str, int]]:
    """Sum cube rows by `key(row)` (a row whose key is None is dropped unless the key function is total)."""
    names = list(names)
    out: dict[Any, dict[str, int]] = {}
    for row in rows:
        k = key(row)
        bucket = out.setdefault(k, dict.fromkeys(names, 0))
        for name in names:
            bucket[name] += row.get(name, 0)
    return out


RELATIONS = [
    Relation.EVENT,
    Relation.ASSIGNMENT,
    Relation.VERIFICATION,
    Relation.SUPERVISION,
    Relation.REOPEN,
]
# Relations counted by another app (external.py): unit subjects and area totals only.
EXTERNAL_RELATIONS = [Relation.MEETING_TASK]


def counts_by_key(
    *,
    viewer: Any,
    area: Area,
    window: Window,
    kind: str | None,
    names: Iterable[str],
    previous: Window | None = None,
    previous_names: Iterable[str] = (),
) -> dict[str | None, dict[str, int]]:
    """Every requested count for every subject of `kind` (or the total), merged across relations: one scan per
    relation, the previous window's counts (named "prev_…") riding along in the same scan."""
    wanted = [n for n in dict.fromkeys(names) if n in COUNTS]
    earlier = [n for n in dict.fromkeys(previous_names) if n in COUNTS] if previous is not None else []
    merged: dict[str | None, dict[str, int]] = {}
    for relation in RELATIONS:
        spans = [Span(window, wanted)]
        if previous is not None and earlier:
            spans.append(Span(previous, earlier, "prev_"))
        if kind is None:
            keys: dict[str, Any] = {}
        else:
            if key_expr(relation, kind) is None:
                continue
            keys = {"subject": kind}
        for row in cube(relation, viewer=viewer, area=area, spans=spans, keys=keys):
            key = row.pop("subject", None)
            merged.setdefault(key, {}).update(row)
    for relation in EXTERNAL_RELATIONS:
        for span_window, span_names, prefix in ((window, wanted, ""), (previous, earlier, "prev_")):
            mine = [prefix + n for n in span_names if COUNTS[n].relation == relation]
            if span_window is None or not mine:
                continue
            found = external_counts(relation, window=span_window, area_code=area.code, kind=kind, names=mine)
            for key, row in found.items():
                merged.setdefault(key, {}).update(row)
    return merged


# -- figures per subject -------------------------------------------------------------------------------------


@dataclass
class SubjectFigures:
    subject: Subject
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.subject.key

    def rate(self, code: str) -> Rate:
        return rate_of(code, self.counts)


# -- the public entry points ---------------------------------------------------------------------------------


def needed_counts(kind: str | None, extra: Iterable[str] = ()) -> list[str]:
    """Counts for the kind's indicators and columns (every count when kind is None), plus `extra`."""
    if kind is None:
        names = [n for n, c in COUNTS.items() if c.relation in (Relation.EVENT, Relation.ASSIGNMENT)]
    else:
        names = list(ind.counts_for(kind))
        for indicator in ind.indicators_for(kind):
            names += [indicator.numerator, indicator.denominator]
    names += list(extra)
    if "dispatched_ok" in names:
        names += ["dispatched", "returned"]
    return [n for n in dict.fromkeys(names) if n in COUNTS]


def as_of_default(as_of: dt.datetime | None) -> dt.datetime:
    return as_of or timezone.now()


def figures_by_subject(
    *,
    viewer: Any,
    kind: str,
    period: Period,
    area: Area,
    as_of: dt.datetime | None = None,
    extra: Iterable[str] = (),
    previous_names: Iterable[str] = (),
) -> list[SubjectFigures]:
    """Every subject of `kind` in the area with its counts for the period (zeros where nothing happened), and
    the previous period's `previous_names` as "prev_…" counts."""
    as_of = as_of_default(as_of)
    window = window_of(period.start, period.end, as_of)
    before = window_of(period.previous().start, period.previous().end, as_of)
    names = needed_counts(kind, extra)
    earlier = [n for n in previous_names if n in COUNTS]
    by_key = counts_by_key(
        viewer=viewer,
        area=area,
        window=window,
        kind=kind,
        names=names,
        previous=before,
        previous_names=earlier,
    )
    by_key.pop(None, None)  # rows with no subject (an event outside any grid, an unassigned verification)
    subjects = subjects_of(kind, area, by_key.keys())
    zero = dict.fromkeys(names + [f"prev_{n}" for n in earlier], 0)
    out = [SubjectFigures(s, ind.with_derived({**zero, **by_key.get(s.key, {})})) for s in subjects]
    if kind == SubjectKind.PLATFORM:
        total = sum(f.counts.get("reported", 0) for f in out)
        for f in out:
            f.counts["reported_scope"] = total
    return out


def figures_total(
    *,
    viewer: Any,
    period: Period,
    area: Area,
    as_of: dt.datetime | None = None,
    names: Iterable[str] | None = None,
) -> dict[str, int]:
    """The counts of the whole area (every event and assignment count unless `names` says otherwise)."""
    window = window_of(period.start, period.end, as_of_default(as_of))
    wanted = list(names) if names is not None else needed_counts(None)
    counts = counts_by_key(viewer=viewer, area=area, window=window, kind=None, names=wanted).get(None, {})
    return ind.with_derived({**dict.fromkeys(wanted, 0), **counts})


def drill_rows(
    *,
    viewer: Any,
    count: str,
    kind: str | None,
    key: str | None,
    period: Period,
    area: Area,
    as_of: dt.datetime | None = None,
) -> QuerySet[Any]:
    """The rows behind one count of one subject: events, assignments or verification starts, filtered exactly as
    the figure was counted (same filters, same scope)."""
    definition = COUNTS[count]
    window = window_of(period.start, period.end, as_of_default(as_of))
    source = relation_source(definition.relation, viewer=viewer, area=area, window=window, names=[count])
    rows = source.rows.filter(source.prefilter).filter(source.filters[count])
    if kind is not None and key is not None:
        expression = key_expr(definition.relation, kind)
        if expression is None:
            return rows.none()
        rows = rows.annotate(subject_key=expression).filter(subject_key=key)
    return rows
