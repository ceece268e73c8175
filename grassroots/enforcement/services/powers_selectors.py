"""Reading the power list: one filter for the staff pages, the public pages, the export and the API (search text,
category, field, unit, township, published), the counts per category, and the fields and units to choose from.

A township's list is about a thousand rows: every filter is one SQL query with no per-row work, the text search a
case-insensitive match on code, name, violation and field (several words must all match), and a page loads only
the columns a list shows."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from grassroots.core.scope import code_prefix_q

from ..choices import PowerCategory
from ..models import Power

MAX_TERMS = 5
LIST_COLUMNS = ("code", "name", "category", "field", "published", "updated_at", "unit__code", "unit__name")


@dataclass(frozen=True)
class PowerFilters:
    q: str = ""
    category: str = ""
    field: str = ""
    unit: str = ""  # a unit's code
    township: str = ""  # a division-code prefix (9 digits) of the unit
    published: bool | None = None

    @classmethod
    def from_query(cls, get: Any, *, staff: bool = True) -> "PowerFilters":
        """From a query string; `staff` lets it filter on publication (the public sees only the published)."""
        category = get.get("category") or ""
        township = (get.get("township") or "").strip()
        status = get.get("status") or ""
        return cls(
            q=(get.get("q") or "").strip()[:60],
            category=category if category in PowerCategory.values else "",
            field=(get.get("field") or "").strip()[:60],
            unit=(get.get("unit") or "").strip()[:32],
            township=township if township.isdigit() and len(township) <= 12 else "",
            published={"published": True, "draft": False}.get(status) if staff else None,
        )

    def without_category(self) -> "PowerFilters":
        return PowerFilters(self.q, "", self.field, self.unit, self.township, self.published)


def search_q(text: str) -> Q:
    """Every word of `text` found in the code, name, violation or field."""
    q = Q()
    for term in text.split()[:MAX_TERMS]:
        q &= (
            Q(code__icontains=term.upper())
            | Q(name__icontains=term)
            | Q(violation__icontains=term)
            | Q(field__icontains=term)
        )
    return q


def powers_search(rows: QuerySet[Power], filters: PowerFilters) -> QuerySet[Power]:
    """`rows` (already limited to what the reader may see) narrowed by `filters`, by code."""
    if filters.q:
        rows = rows.filter(search_q(filters.q))
    if filters.category:
        rows = rows.filter(category=filters.category)
    if filters.field:
        rows = rows.filter(field=filters.field)
    if filters.unit:
        rows = rows.filter(unit__code=filters.unit)
    if filters.township:
        rows = rows.filter(code_prefix_q("unit__division__code", filters.township))
    if filters.published is not None:
        rows = rows.filter(published=filters.published)
    return rows.order_by("code")


def for_list(rows: QuerySet[Power]) -> QuerySet[Power]:
    """A list page's rows: the unit joined, the long texts and the discretion table left in the database."""
    return rows.select_related("unit").only(*LIST_COLUMNS)


def category_counts(rows: QuerySet[Power]) -> dict[str, int]:
    """How many of `rows` there are in all and in each category: one query."""
    aggregates = {c.value: Count("pk", filter=Q(category=c.value)) for c in PowerCategory}
    counts = rows.order_by().aggregate(
        all=Count("pk"), published=Count("pk", filter=Q(published=True)), **aggregates
    )
    return {key: int(value or 0) for key, value in counts.items()}


def field_names(rows: QuerySet[Power]) -> list[str]:
    """The fields (执法领域) of `rows`, most powers first."""
    counted = (
        rows.exclude(field="").order_by().values("field").annotate(n=Count("pk")).order_by("-n", "field")
    )
    return [row["field"] for row in counted]


def unit_choices(rows: QuerySet[Power]) -> list[tuple[str, str]]:
    """The units (实施主体) of `rows` as (code, name), by code."""
    units = rows.order_by().values_list("unit__code", "unit__name").distinct()
    return sorted(set(units))
