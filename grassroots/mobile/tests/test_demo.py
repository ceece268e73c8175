"""The demo's visit logs and phone tasks: made for the grid workers of the district, and removable."""

import pytest

from grassroots.mobile.demo import build_demo_phone_tasks, build_demo_visits, delete_demo_visits
from grassroots.mobile.models import Visit
from grassroots.mobile.selectors import worker_tasks

from .support import colleague

pytestmark = pytest.mark.django_db


def test_demo_visits_are_made_for_the_districts_grid_workers_and_deleted_again(world):
    made = build_demo_visits(district_code="330421", seed=1, days=20)
    assert made == Visit.objects.count() > 0
    assert set(Visit.objects.values_list("worker", flat=True)) == {world.alice.pk}
    assert set(Visit.objects.values_list("region_code", flat=True)) == {world.grid_a.code}
    assert build_demo_visits(district_code="330421", seed=1, days=20) == made  # the same seed, the same log
    delete_demo_visits(district_code="330421")
    assert not Visit.objects.exists()


def test_demo_phone_tasks_wait_for_the_grid_worker(world):
    world.agency.code = "330421102-ZFZD"  # the default unit of the piled-materials type
    world.agency.save()
    colleague(world)  # the fed-back task is a teammate's report: alice does not check her own
    ids = build_demo_phone_tasks(username="alice")
    assert sorted(worker_tasks(world.alice).values_list("pk", flat=True)) == sorted(ids)
