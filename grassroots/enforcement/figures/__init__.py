"""The indicators of the enforcement cases (综合执法 · 办案统计), on the assessment machinery's periods, window and
rates: cases filed, leads not filed, closed (on time and late against the 办案期限), penalties with the fines'
amount, the simple procedure, hearings held, and cases overdue now; for the total and per unit and per officer.
Defined in `definitions.py`, computed in SQL in `compute.py`; further sections of the page (joint operations,
plans) plug in through `sections.py`. docs/enforcement-indicators.md restates every definition."""

from .compute import (
    Figures,
    drill_rows,
    figure_of,
    figures_by,
    of_subject,
    scope_all,
    scope_for,
    subject_names,
    window_all,
)
from .definitions import (
    COUNTS,
    GROUPINGS,
    INDICATORS,
    RELATION,
    VALUE_DEFINITIONS,
    VALUE_ROWS,
    VALUES,
    count_filters,
    drill_of,
    label_of,
)
from .sections import (
    SECTIONS,
    Column,
    Section,
    SectionContext,
    SectionFigure,
    SectionProvider,
    SectionTable,
    register_section,
    section_of,
)

__all__ = [
    "COUNTS",
    "GROUPINGS",
    "INDICATORS",
    "RELATION",
    "SECTIONS",
    "VALUES",
    "VALUE_DEFINITIONS",
    "VALUE_ROWS",
    "Column",
    "Figures",
    "Section",
    "SectionContext",
    "SectionFigure",
    "SectionProvider",
    "SectionTable",
    "count_filters",
    "drill_of",
    "drill_rows",
    "figure_of",
    "figures_by",
    "label_of",
    "of_subject",
    "register_section",
    "scope_all",
    "scope_for",
    "section_of",
    "subject_names",
    "window_all",
]
