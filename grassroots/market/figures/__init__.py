"""The indicators of the market-supervision platform (市场监管), on the assessment machinery's periods, window and
rates: entities by risk class, inspections planned and done, 双随机 coverage and publication, findings and their
rectification, penalties; for the total and per unit and per inspector. Defined in `definitions.py`, computed in
SQL in `compute.py`; docs/market-indicators.md restates every definition."""

from .compute import (
    Figures,
    Scope,
    drill_rows,
    figure_of,
    figures_by,
    of_subject,
    plan_rates,
    scope_all,
    scope_for,
    subject_names,
    window_all,
)
from .definitions import (
    COUNTS,
    GROUPINGS,
    INDICATORS,
    KIND_LABELS,
    NONE_KEY,
    OPERATING,
    RELATIONS,
    VALUE_DEFINITIONS,
    VALUE_ROWS,
    VALUES,
    Relation,
    count_filters,
    drill_of,
    label_of,
    relation_of,
)

__all__ = [
    "COUNTS",
    "GROUPINGS",
    "INDICATORS",
    "KIND_LABELS",
    "NONE_KEY",
    "OPERATING",
    "RELATIONS",
    "VALUES",
    "VALUE_DEFINITIONS",
    "VALUE_ROWS",
    "Figures",
    "Relation",
    "Scope",
    "count_filters",
    "drill_of",
    "drill_rows",
    "figure_of",
    "figures_by",
    "label_of",
    "of_subject",
    "plan_rates",
    "relation_of",
    "scope_all",
    "scope_for",
    "subject_names",
    "window_all",
]
