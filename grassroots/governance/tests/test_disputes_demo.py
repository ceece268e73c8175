"""The demo's year of disputes in 西塘镇 through the real services: every dispute has its registration row, the
concluded ones an outcome, the closed ones a verified performance; the success rate is near the seed's 97.34%; the
seed_figures rows are computed from these records; and a second run adds nothing."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from grassroots.demo.disputes import DisputesResult, build_demo_disputes
from grassroots.demo.district import build_demo_district
from grassroots.workcal.calendar import SHANGHAI

from ..choices import DisputeStatus
from ..dispute_seed_rows import seed_rows
from ..models import Dispute, DisputeFollowUp, DisputeHistory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2025, 8, 20, 17, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DisputesResult]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        yield build_demo_disputes(seed=7, count=150, now=NOW)
        transaction.set_rollback(True)


def test_a_year_of_disputes_through_the_services(built):
    if True:
        assert built.disputes == 150 == Dispute.objects.count()
        assert DisputeHistory.objects.filter(action="register").count() == 150
        assert built.concluded > 100 and built.agreements / built.concluded > 0.9
        statuses = set(Dispute.objects.values_list("status", flat=True))
        assert {DisputeStatus.CLOSED, DisputeStatus.AGREED} <= statuses
        closed_agreed = Dispute.objects.filter(status=DisputeStatus.CLOSED, outcome__in=["written", "oral"])
        for d in closed_agreed:
            assert DisputeFollowUp.objects.filter(dispute=d, performance="performed").exists()
        assert build_demo_disputes(seed=7, count=150, now=NOW).disputes == 0


def test_the_seed_figures_rows_come_from_the_records(built):
    if True:
        rows = {r.what: r for r in seed_rows(NOW)}
        year = rows["西塘镇调处矛盾纠纷（近一年）"]
        assert year.seed_value == "800+" and year.computed == f"{built.disputes:,}"
        assert "%" in rows["上虞区7月调处矛盾纠纷 / 调解成功率"].computed
