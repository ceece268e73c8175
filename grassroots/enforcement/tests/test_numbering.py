"""Case numbers: `{short name}罚〔{year}〕{n}号`, n from 1 per unit and year of 立案, never shared, even when the
head approves several cases at the same moment (PostgreSQL: threads on a barrier, each with its own connection)."""

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from grassroots.conftest import build_world, make_person
from grassroots.core.errors import DomainError
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..models import CaseCounter, EnforcementCase
from ..permissions import case_actor_kinds
from ..services.cases import case_approve_filing, case_open, case_request_filing
from ..services.numbering import unit_short_name
from .support import ALL_CONDITIONS, PARTY_ID, Team, build_team, filed_case, open_case

Z = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=Z)


def test_short_names_come_from_the_setting_or_the_units_name(team: Team, settings):
    assert unit_short_name(team.unit) == "西塘综执"
    county = Unit(code="330421-ZFJ", name="嘉善县综合行政执法局", kind=UnitKind.COUNTY_DEPARTMENT)
    assert unit_short_name(county) == "嘉善综执"
    assert (
        unit_short_name(Unit(code="x", name="西塘市场监管所")) == "西塘市场监管"
    )  # 市 is not a level word here
    settings.ENFORCEMENT_UNIT_SHORT_NAMES = {team.unit.code: "西综执"}
    assert unit_short_name(team.unit) == "西综执"


def test_numbers_run_from_one_per_unit_and_year(team: Team):
    county = Unit.objects.create(
        code="330421-ZFJ",
        name="嘉善县综合行政执法局",
        kind=UnitKind.COUNTY_DEPARTMENT,
        division=team.world.district,
    )
    numbers = [filed_case(team, now=at(2026, 3, 2)).number for _ in range(3)]
    assert numbers == [f"西塘综执罚〔2026〕{n}号" for n in (1, 2, 3)]
    lead = open_case(team, now=at(2026, 3, 3))
    case_request_filing(actor=team.olga, case=lead, now=at(2026, 3, 3))
    with pytest.raises(DomainError):
        case_approve_filing(actor=team.lena, case=lead, conditions=[], now=at(2026, 3, 3))
    assert (
        filed_case(team, now=at(2026, 12, 31)).number == "西塘综执罚〔2026〕4号"
    )  # a refusal used no number
    dean = make_person("dean", "邓局长", Role.LEADER, division=team.world.district)
    other = case_open(
        actor=dean,
        unit=county,
        power=team.power,
        source="patrol",
        party_kind="person",
        party_name="沈国强",
        party_id_number=PARTY_ID,
        officers=team.officers[:2],
        facts="占道经营",
        now=at(2026, 4, 1),
    )
    assert not case_actor_kinds(other, team.lena)  # the township's leader is no head of the county's bureau
    case_request_filing(actor=team.olga, case=other, now=at(2026, 4, 1))
    case_approve_filing(actor=dean, case=other, conditions=ALL_CONDITIONS, now=at(2026, 4, 1))
    assert other.number == "嘉善综执罚〔2026〕1号"
    assert filed_case(team, now=at(2027, 1, 4)).number == "西塘综执罚〔2027〕1号"
    assert dict(CaseCounter.objects.filter(unit=team.unit).values_list("year", "last")) == {2026: 4, 2027: 1}


# -- at the same moment ---------------------------------------------------------------------------------------

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite's in-memory test database cannot be shared by concurrent connections",
)


def contend(count: int, act: Callable[[int, Callable[[], None]], Any]) -> list[Any]:
    """Run `act(i, start)` in `count` threads, each with its own connection; `start()` waits until every thread
    has loaded its data, so all of them write at once (as grassroots/events/tests/test_concurrency.py does)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def start() -> None:
        barrier.wait(timeout=30)

    def run(i: int) -> None:
        try:
            results[i] = act(i, start)
        except BaseException as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_in_one_unit_never_share_a_number():
    team = build_team(build_world())
    count = 8
    pks = []
    for n in range(count):
        case = open_case(team, officers=[team.officers[n % 3], team.officers[(n + 1) % 3]])
        case_request_filing(actor=team.officers[n % 3], case=case)
        pks.append(case.pk)

    def act(i: int, start: Callable[[], None]) -> str | None:
        case = EnforcementCase.objects.select_related("unit__division").get(pk=pks[i])
        head = Person.objects.get(pk=team.lena.pk)
        start()
        return case_approve_filing(actor=head, case=case, conditions=ALL_CONDITIONS).number

    results = contend(count, act)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    filed_at = EnforcementCase.objects.get(pk=pks[0]).filed_at
    assert filed_at is not None
    year = filed_at.astimezone(Z).year
    assert sorted(results, key=lambda n: int(n.split("〕")[1][:-1])) == [
        f"西塘综执罚〔{year}〕{n}号" for n in range(1, count + 1)
    ]
    assert sorted(n or "" for n in EnforcementCase.objects.values_list("number", flat=True)) == sorted(
        results
    )
    assert CaseCounter.objects.get(unit=team.unit, year=year).last == count
