"""Who may see which person. Out of scope answers 404, never 403."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from grassroots.core.scope import scope_of

from .models import Person


def visible_to(user: Any) -> QuerySet[Person]:
    return Person.objects.filter(scope_of(user).q(region_field="region_code", unit_field="unit_id"))


def access_person(user: Any, person_id: int) -> Person:
    person = visible_to(user).select_related("unit", "division", "grid").filter(pk=person_id).first()
    if person is None:
        raise Http404("人员不存在或不在您的管辖范围内")
    return person
