"""Template filters for page tables: a Rate prints as "12.34%" or "—", None as "—", numbers right-aligned."""

from decimal import Decimal
from typing import Any

from django import template

from ..indicators import Rate

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal | Rate) and not isinstance(value, bool)


@register.filter
def at(values: Any, index: int) -> Any:
    """values[index], or None past the end (for a header's alignment from its column's first cell)."""
    try:
        return values[index]
    except (IndexError, KeyError, TypeError):
        return None
