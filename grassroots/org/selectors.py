"""Reads about the organisation that carry a rule."""

import datetime as dt

from django.utils import timezone

from .models import BackupPost


def covered_holders(person_id: int, *, at: dt.datetime | None = None) -> set[int]:
    """The A posts `person_id` stands in for now: holders of posts where they are B and who are away (AB岗)."""
    at = at or timezone.now()
    return set(
        BackupPost.objects.filter(
            backup_id=person_id, holder__absences__start__lte=at, holder__absences__end__gt=at
        ).values_list("holder_id", flat=True)
    )
