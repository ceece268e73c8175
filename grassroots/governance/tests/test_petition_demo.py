"""The demo's year of petitions at 西塘镇信访办公室: every petition made by the services (history, clocks, notices,
audit rows), a mix of fates (accepted and answered by the leader who took the case, refused, routed on, returned,
joined; 复查 and 复核), the same seed giving the same year, its row in `manage.py seed_figures`, and reset removing
it. The district and the year are built once for the module inside a transaction rolled back at the end."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from grassroots.audit.models import AuditEntry
from grassroots.demo.district import build_demo_district
from grassroots.demo.petitions import (
    PetitionsResult,
    build_demo_petitions,
    delete_demo_petitions,
    demo_petitions,
)
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.models import Clock

from ..models import PetitionDocument, PetitionHistory
from ..petition_seed_rows import seed_rows

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 16, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[dict[str, Any]]:
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        result = build_demo_petitions(seed=7, count=90, now=NOW)
        snapshot = {
            "result": result,
            "rows": list(
                demo_petitions().order_by("pk").values_list("status", "channel", "title", "leader_id")
            ),
            "history": list(PetitionHistory.objects.values_list("action", flat=True)),
            "audited": AuditEntry.objects.filter(action__startswith="petition.").count(),
            "documents": PetitionDocument.objects.count(),
            "late": Clock.objects.filter(workflow="petition", overdue=True).count(),
            "live": Clock.objects.filter(workflow="petition", state="running").count(),
            "figures": seed_rows(),
            "again": build_demo_petitions(seed=7, count=90, now=NOW),
        }
        delete_demo_petitions()
        snapshot["after_delete"] = demo_petitions().count()
        yield snapshot
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


def test_the_year_is_built_by_the_services_with_every_fate(built):
    result: PetitionsResult = built["result"]
    assert result.petitions == 90
    statuses = {s for s, *_ in built["rows"]}
    assert {"closed", "not_accepted", "transferred"} <= statuses
    assert {c for _, c, *_ in built["rows"]} == {"visit", "letter", "online", "phone", "fax"}
    assert all(leader for s, _, _, leader in built["rows"] if s in {"answered", "closed", "reviewing"})
    history = built["history"]
    for action in ("register", "accept", "answer", "close", "request_review", "answer_review", "extend"):
        assert action in history, action
    assert history.count("register") == 90
    assert built["audited"] >= len(history)  # every step audited
    assert built["documents"] == result.documents > 90  # a notice for each decision and answer
    assert built["live"] > 0  # the latest are still open
    assert "信访：近一年登记信访件 90 件" in result.line()


def test_the_same_seed_gives_the_same_year_once_and_delete_removes_it(built):
    assert built["again"].petitions == 0  # already there: nothing more
    assert built["after_delete"] == 0


def test_the_seed_figure_counts_the_accepted_petitions(built):
    row = next(r for r in built["figures"] if r.what == "西塘镇受理信访")
    accepted = sum(
        1
        for s, *_ in built["rows"]
        if s not in {"registered", "not_accepted", "transferred", "returned", "joined"}
    )
    assert row.seed_value == "310余件" and row.computed == f"{accepted:,}"
