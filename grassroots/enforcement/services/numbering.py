"""Case numbers (案号): `{unit short name}罚〔{year}〕{n}号`, e.g. 嘉善综执罚〔2026〕12号, n counting from 1 per unit
and year of 立案. The counter row is taken under a row lock inside the step's transaction, so two 立案 at the same
moment wait for each other and never get the same number; a step that fails gives its number back (rollback).

The short name is the setting `ENFORCEMENT_UNIT_SHORT_NAMES` ({unit code: short name}) when it names the unit;
otherwise it is derived from the unit's name: the level word before 综合行政执法 dropped (县, 镇, 街道 …),
综合行政执法 shortened to 综执, and a trailing 局 / 大队 / 中队 / 队 / 所 dropped: 嘉善县综合行政执法局 → 嘉善综执.
"""

import re

from django.conf import settings

from grassroots.org.models import Unit

from ..choices import DocumentKind
from ..models import CaseCounter, EnforcementCase

_LEVEL_BEFORE_ENFORCEMENT = re.compile(r"(省|市|县|区|镇|乡|街道)(?=综合行政执法)")
_TRAILING_ORGAN = re.compile(r"(局|大队|中队|队|所)$")
# The word after 罚 on each document made from a case numbered 嘉善综执罚〔2026〕12号.
DOCUMENT_WORD = {
    DocumentKind.FILING_FORM: "",  # the filing form carries the case number itself
    DocumentKind.NOTICE: "告",
    DocumentKind.DECISION: "决",
    DocumentKind.SERVICE_RECEIPT: "送",
}


def unit_short_name(unit: Unit) -> str:
    names: dict[str, str] = getattr(settings, "ENFORCEMENT_UNIT_SHORT_NAMES", {}) or {}
    if unit.code in names:
        return names[unit.code]
    name = _LEVEL_BEFORE_ENFORCEMENT.sub("", unit.name).replace("综合行政执法", "综执")
    return _TRAILING_ORGAN.sub("", name) or unit.name


def case_number_text(unit: Unit, year: int, n: int) -> str:
    return f"{unit_short_name(unit)}罚〔{year}〕{n}号"


def case_number_allocate(unit: Unit, year: int) -> int:
    """The next number of `unit` in `year`. Call inside the step's transaction: the row stays locked until it
    commits. The row is made first if missing (a concurrent maker waits on the unique index, then finds it)."""
    CaseCounter.objects.bulk_create([CaseCounter(unit=unit, year=year, last=0)], ignore_conflicts=True)
    counter = CaseCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def document_number(case: EnforcementCase, kind: str) -> str:
    """A document's number from the case's: 嘉善综执罚决〔2026〕12号 for its decision (the on-the-spot form's own
    number for a simple-procedure decision)."""
    if case.number is None:
        return case.decision_number or f"线索{case.pk}"
    return case.number.replace("罚〔", f"罚{DOCUMENT_WORD[DocumentKind(kind)]}〔", 1)
