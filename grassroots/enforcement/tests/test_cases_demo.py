"""The demo's year of enforcement cases at 综合行政执法西塘中队: every case made by the services (history, clocks,
audit rows, numbered in the order of 立案), a mix at every stage — on-the-spot fines, leads and cases past their
limits, a hearing with the 90 日 paused, decisions served and paid, closed and archived, not filed — some opened from
the enforcement platform's events and linked to them; the same seed gives the same year; reset removes it.

The district, its powers and entities, a few events and the year are built once for the module inside a transaction
rolled back at the end."""

import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.demo.district import build_demo_district, reset_demo_district
from grassroots.demo.enforcement_cases import CasesResult, build_demo_cases, delete_demo_cases, demo_cases
from grassroots.demo.enforcement_powers import build_demo_powers
from grassroots.demo.market import build_demo_market
from grassroots.demo.simclock import SimulatedClock, simulated_time
from grassroots.enforcement.choices import CaseStatus
from grassroots.enforcement.models import CaseDocument, CaseHistory, EnforcementCase
from grassroots.enforcement.services.numbering import unit_short_name
from grassroots.events import services as events
from grassroots.events.models import Event, EventType
from grassroots.org.choices import PlatformKind
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI
from grassroots.workflow.models import Clock, Link

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 16, 0, tzinfo=SHANGHAI)
MEDIA: dict[
    str, Path
] = {}  # where the module's build wrote its files (each test has a MEDIA_ROOT of its own)


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[CasesResult]:
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = MEDIA["root"] = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)
        build_demo_powers(seed=7)
        build_demo_market(seed=7)
        _enforcement_events()
        yield build_demo_cases(seed=7, count=120, now=NOW)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


def _enforcement_events() -> None:
    """Six reports of the 综合执法 platform in a Xitang grid over the year, through the event service."""
    worker = Person.objects.get(username="gridworker")
    grid = worker.grid
    assert grid is not None
    kind = EventType.objects.filter(platform=PlatformKind.ENFORCEMENT).order_by("pk").first()
    assert kind is not None
    for n in range(6):
        clock = SimulatedClock(NOW - dt.timedelta(days=30 + 50 * n, hours=3))
        with simulated_time(clock):
            events.event_report(
                actor=worker,
                event_type=kind,
                source="patrol",
                title=f"沿街商铺跨门经营{n + 1}",
                description="商铺将货架摆放至门前人行道",
                lon=grid.label_lon,
                lat=grid.label_lat,
            )


def test_a_year_at_every_stage(built: CasesResult) -> None:
    assert built.cases == 120 == demo_cases().count()
    states = built.by_status
    for state in (CaseStatus.LEAD, CaseStatus.INVESTIGATING, CaseStatus.NOT_FILED, CaseStatus.ARCHIVED):
        assert states[state] >= 1, state
    assert states[CaseStatus.ARCHIVED] > built.cases // 3  # most of a year's cases are done with
    assert 20 <= built.simple <= 60
    assert built.overdue >= 5  # the stalled leads and investigations, red in the queue
    assert built.fines > 0 and built.documents > 100
    first = demo_cases().order_by("created_at").first()
    assert first is not None and first.created_at >= NOW - dt.timedelta(days=366)
    assert demo_cases().filter(created_at__gt=NOW).count() == 0


def test_numbers_follow_filing_through_the_year(built: CasesResult) -> None:
    filed = list(demo_cases().filter(filed_at__isnull=False).order_by("filed_at", "pk"))
    short = unit_short_name(filed[0].unit)
    by_year: dict[int, list[int]] = {}
    for case in filed:
        match = re.fullmatch(rf"{short}罚〔(\d{{4}})〕(\d+)号", case.number or "")
        assert match and case.filed_at is not None, case.number
        assert int(match[1]) == case.filed_at.astimezone(SHANGHAI).year
        by_year.setdefault(int(match[1]), []).append(int(match[2]))
    for numbers in by_year.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_every_case_was_made_by_the_services(built: CasesResult) -> None:
    cases = list(demo_cases().prefetch_related("history", "officers"))
    for case in cases:
        rows = list(case.history.all())
        assert rows[0].action == "open" and rows[-1].to_status == case.status
        assert case.version == len(rows), case.pk  # one compare-and-set per step after opening
        assert [r.at for r in rows] == sorted(r.at for r in rows)
        assert case.officers.count() == 2
    steps = CaseHistory.objects.filter(case__in=demo_cases()).count()
    audited = AuditEntry.objects.filter(action__startswith="case.", object_id__in=[str(c.pk) for c in cases])
    assert audited.count() == steps
    for document in CaseDocument.objects.filter(case__in=demo_cases())[:5]:
        data = (MEDIA["root"] / str(document.file.name)).read_bytes()
        assert len(data) == document.size and hashlib.sha256(data).hexdigest() == document.sha256


def test_the_kinds_of_case_are_all_there(built: CasesResult) -> None:
    cases = demo_cases()
    heard = cases.filter(hearing_held_at__isnull=False).first()
    assert heard is not None
    ledger = CaseHistory.objects.filter(case=heard, action="request_hearing").get().data["clocks"]
    assert any(c.get("action") == "pause" for c in ledger)
    assert cases.filter(procedure="simple", status=CaseStatus.ARCHIVED, execution_manner="paid").exists()
    assert cases.filter(major=True, discussed_at__isnull=False, reviewed_at__isnull=False).exists()
    assert cases.filter(outcome="penalty", served_at__isnull=False, paid_amount__isnull=False).exists()
    assert (
        cases.filter(status=CaseStatus.NOT_FILED).exists() or cases.filter(no_filing_ground__gt="").exists()
    )
    late = Clock.objects.filter(
        workflow="case", object_id__in=cases.values("pk"), name="case", state="running"
    )
    assert late.filter(due_at__lte=NOW).exists()  # an investigation past its 90 日


def test_cases_from_events_are_linked(built: CasesResult) -> None:
    linked = list(demo_cases().filter(event__isnull=False))
    assert linked and built.linked == len(linked)
    for case in linked:
        event = case.event
        assert event is not None and case.source == "event" and case.created_at > event.reported_at
        assert Link.objects.filter(source_workflow="event", source_id=event.pk, target_id=case.pk).exists()
    assert Event.objects.filter(enforcement_cases__isnull=False).count() == len(linked)


def test_the_same_seed_gives_the_same_year(built: CasesResult) -> None:
    def summary() -> list[tuple[Any, ...]]:
        return list(
            demo_cases()
            .order_by("created_at", "pk")
            .values_list("status", "procedure", "party_name", "number", "decided_amount", "created_at")
        )

    first = summary()
    with transaction.atomic():
        delete_demo_cases()
        assert not demo_cases().exists()
        again = build_demo_cases(seed=7, count=120, now=NOW)
        assert again.cases == 120 and summary() == first
        transaction.set_rollback(True)


def test_reset_removes_the_cases(built: CasesResult) -> None:
    with transaction.atomic():
        reset_demo_district()
        assert not EnforcementCase.objects.exists()
        assert not Clock.objects.filter(workflow="case").exists()
        transaction.set_rollback(True)
    assert timezone.now() > NOW - dt.timedelta(days=400)


def test_seed_figures_counts_xitangs_cases(built: CasesResult) -> None:
    from grassroots.enforcement.seed_rows import seed_rows

    rows = {row.what: row for row in seed_rows()}
    received = rows["西塘镇综合执法累计受理案件"]
    assert received.seed_value == "694" and received.computed == "120"
    filed = demo_cases().filter(filed_at__isnull=False).count()
    assert f"其中立案 {filed:,} 件、当场处罚 {built.simple:,} 件" in received.note
    assert rows["西塘镇下放执法权力事项"].computed == "1,073"
    assert rows["望亭镇重大案件集体讨论 / 听证（件）"].computed == "无记录"  # the demo's cases are Xitang's
    out = io.StringIO()
    call_command("seed_figures", stdout=out)
    assert "西塘镇综合执法累计受理案件" in out.getvalue()
