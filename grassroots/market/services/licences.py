"""Licence expiry reminders, for the timer worker: licences expiring within 30 days are told once to the people
who watch the entity (its grid's team, and the inspectors of the market-supervision units over its area)."""

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import Q

from grassroots.notifications.services import notify_after_commit
from grassroots.org.models import TeamMembership
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import local_today

from ..choices import EntityStatus
from ..models import Licence

REMIND_DAYS_BEFORE = 30


def watchers_of(
    *, grid_ids: set[int], region_codes: set[str]
) -> tuple[dict[int, set[int]], dict[str, set[int]]]:
    """Per grid, its current team; per region code, the inspectors whose unit's division covers it."""
    today = local_today()
    teams: dict[int, set[int]] = defaultdict(set)
    rows = TeamMembership.objects.filter(grid_id__in=grid_ids, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )
    for grid_id, person_id in rows.values_list("grid_id", "person_id"):
        teams[grid_id].add(person_id)
    for person_id, grid_id in Person.objects.filter(grid_id__in=grid_ids, is_active=True).values_list(
        "pk", "grid_id"
    ):
        teams[grid_id].add(person_id)
    inspectors = list(
        Person.objects.filter(role=Role.INSPECTOR, is_active=True, unit__isnull=False).values_list(
            "pk", "unit__division__code"
        )
    )
    by_region: dict[str, set[int]] = defaultdict(set)
    for code in region_codes:
        for person_id, unit_code in inspectors:
            if unit_code and code.startswith(unit_code):
                by_region[code].add(person_id)
    return teams, by_region


def licence_reminders_send(*, today: dt.date | None = None) -> int:
    """Tell the watchers of every operating entity's licence expiring within 30 days that has not been reminded;
    mark each reminded. Safe to call on every tick and from several workers (compare-and-set on the mark)."""
    today = today or local_today()
    due = list(
        Licence.objects.filter(
            reminded_on__isnull=True,
            valid_to__gte=today,
            valid_to__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE),
            entity__status=EntityStatus.OPERATING,
        ).select_related("entity")[:500]
    )
    if not due:
        return 0
    teams, inspectors = watchers_of(
        grid_ids={lic.entity.grid_id for lic in due if lic.entity.grid_id},
        region_codes={lic.entity.region_code for lic in due if lic.entity.region_code},
    )
    sent = 0
    with transaction.atomic():
        for licence in due:
            if not Licence.objects.filter(pk=licence.pk, reminded_on__isnull=True).update(reminded_on=today):
                continue  # another worker took it
            entity = licence.entity
            people = teams.get(entity.grid_id or 0, set()) | inspectors.get(entity.region_code, set())
            if not people:
                continue
            days = (licence.valid_to - today).days
            text = (
                f"{entity.name}的{licence.get_kind_display()}（{licence.number}）将于 "
                f"{licence.valid_to:%Y-%m-%d} 到期（还有 {days} 天），请提醒其及时办理延续。"
            )
            notify_after_commit(person_ids=sorted(people), verb="licence_expiring", text=text, email=False)
            sent += 1
    return sent
