"""The demo's year of meetings in 西塘镇: two a week (矛盾联调 and 执法会商), each held and signed off with decisions;
most done on time, some late, some open past their deadline; made once, and removed with the demo district.

The district and its meetings are built once for the module inside a transaction rolled back at the end."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.meetings import build_demo_meetings, demo_meetings

from ..models import CoordinatingGroup, MeetingTask

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        yield build_demo_meetings(seed=7)
        transaction.set_rollback(True)


def test_a_year_of_two_weekly_meetings_with_decisions_some_overdue(built: dict[str, int]) -> None:
    assert 100 <= built["meetings"] == demo_meetings().count() <= 104
    assert set(demo_meetings().values_list("status", flat=True)) == {"closed"}
    assert set(demo_meetings().values_list("kind", flat=True)) == {"mediation", "consultation"}
    tasks = MeetingTask.objects.filter(meeting__in=demo_meetings())
    assert built["tasks"] == tasks.count() >= built["meetings"]
    assert built["done"] > built["tasks"] // 2 and built["late"] > 0 and built["open_overdue"] > 0
    group = CoordinatingGroup.objects.get(township__code="330421102", forum="governance")
    assert group.leader is not None and group.leader.username == "leader" and group.members.count() >= 5


def test_it_is_made_once_and_removed_with_the_district(built: dict[str, int]) -> None:
    assert build_demo_meetings(seed=7) == {}
    reset_demo_district()
    assert not demo_meetings().exists() and not CoordinatingGroup.objects.exists()
