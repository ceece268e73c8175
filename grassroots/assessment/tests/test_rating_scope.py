"""Who may rate which subject is decided by the rater's scope (`scope_of(user).covers`), like everything they see."""

from types import SimpleNamespace

from grassroots.assessment.choices import RaterKind, SubjectKind
from grassroots.assessment.permissions import may_rate
from grassroots.people.choices import Role
from grassroots.people.models import Person

XITANG_GRID = SimpleNamespace(code="33042110220101")
OTHER_TOWNSHIP_GRID = SimpleNamespace(code="33042110320101")


def person(role: str, region_code: str) -> Person:
    return Person(username=role, name="某", role=role, region_code=region_code)


def test_a_township_leader_rates_the_grids_of_their_own_township_only():
    leo = person(Role.LEADER, "330421102")
    assert may_rate(leo, RaterKind.TOWNSHIP, SubjectKind.GRID, XITANG_GRID)
    assert not may_rate(leo, RaterKind.TOWNSHIP, SubjectKind.GRID, OTHER_TOWNSHIP_GRID)
    assert not may_rate(leo, RaterKind.DISTRICT, SubjectKind.GRID, XITANG_GRID)  # not district-wide


def test_the_centre_rates_for_the_district_as_far_as_its_scope_reaches():
    # A centre operator's scope is their whole district, whatever the length of their own code.
    cecilia = person(Role.CENTRE_OPERATOR, "330421102")
    assert may_rate(cecilia, RaterKind.DISTRICT, SubjectKind.GRID, OTHER_TOWNSHIP_GRID)
    assert not may_rate(cecilia, RaterKind.DISTRICT, SubjectKind.GRID, SimpleNamespace(code="33042210220101"))


def test_someone_without_a_region_rates_nothing_by_region():
    nobody = person(Role.LEADER, "")
    assert not may_rate(nobody, RaterKind.TOWNSHIP, SubjectKind.GRID, XITANG_GRID)
