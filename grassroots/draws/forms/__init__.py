"""The forms of the draws staff pages: plans (forms/plans.py) and the lists (forms/lists.py)."""

from typing import Any

from django import forms

from grassroots.core.errors import DomainError

from .lists import InspectorForm, ItemForm, RelationForm, VersionForm
from .plans import PlanForm, PublishForm, RedrawForm


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: beside the field its `details` name, else above the form."""
    details: Any = exc.details
    field = details.get("field") if isinstance(details, dict) else None
    form.add_error(field if field in form.fields else None, exc.message)


__all__ = [
    "InspectorForm",
    "ItemForm",
    "PlanForm",
    "PublishForm",
    "RedrawForm",
    "RelationForm",
    "VersionForm",
    "add_domain_error",
]
