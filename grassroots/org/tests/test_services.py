"""Units and platforms are added one at a time, checked first and audited; the admin adds them the same way."""

import pytest
from django.test import Client

from grassroots.audit.models import AuditEntry
from grassroots.conftest import PASSWORD
from grassroots.core.errors import InvalidInput
from grassroots.org.choices import AgencyClass, PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.org.services import platform_create, unit_create
from grassroots.people.choices import Role
from grassroots.people.models import Person

pytestmark = pytest.mark.django_db


def _department(world) -> Unit:
    return unit_create(
        actor=world.oscar,
        code="330421-SCJGJ",
        name="嘉善县市场监督管理局",
        kind=UnitKind.COUNTY_DEPARTMENT,
        division=world.district,
    )


def test_a_new_unit_is_written_with_an_audit_row_naming_who_added_it(world):
    unit = _department(world)
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.actor_id == world.oscar.pk
    assert entry.object_type == "org.unit"
    assert entry.detail == {"code": "330421-SCJGJ", "kind": "county_department"}


def test_a_dispatched_agency_names_its_class_and_department(world):
    department = _department(world)
    agency = unit_create(
        actor=None,
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=world.township,
        parent=department,
    )
    assert agency.parent == department and agency.agency_class == "A"
    assert AuditEntry.objects.get(action="unit.create", object_id=str(agency.pk)).actor_label == "系统"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "330421102-ZHS"}, "code"),  # the command room's code, taken
        ({"name": " "}, "name"),
        ({"kind": UnitKind.DISPATCHED_AGENCY}, "agency_class"),  # an agency without its class
        ({"agency_class": AgencyClass.B}, "agency_class"),  # a class on a unit that is no agency
    ],
)
def test_a_unit_the_table_would_refuse_is_refused_in_words_and_nothing_is_written(world, changes, field):
    values = {"code": "330421102-MZB", "name": "西塘镇民政办", "kind": UnitKind.TOWNSHIP_OFFICE, **changes}
    units, entries = Unit.objects.count(), AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as refused:
        unit_create(actor=world.oscar, division=world.township, **values)
    assert field in refused.value.details
    assert (Unit.objects.count(), AuditEntry.objects.count()) == (units, entries)


def test_a_platform_is_written_with_its_members_and_an_audit_row(world):
    platform = platform_create(
        actor=world.oscar,
        township=world.township,
        kind=PlatformKind.MARKET,
        lead_unit=world.agency,
        office=world.command_room,
        members=[world.agency, world.command_room],
    )
    assert set(platform.members.all()) == {world.agency, world.command_room}
    entry = AuditEntry.objects.get(action="platform.create", object_id=str(platform.pk))
    assert entry.detail == {
        "township": "330421102",
        "kind": "market",
        "members": ["330421102-SCJGS", "330421102-ZHS"],
    }


def test_a_township_has_one_platform_of_each_kind(world):
    platform_create(actor=world.oscar, township=world.township, kind=PlatformKind.MARKET)
    with pytest.raises(InvalidInput) as refused:
        platform_create(actor=world.oscar, township=world.township, kind=PlatformKind.MARKET)
    assert "市场监管" in refused.value.details["kind"]
    assert Platform.objects.count() == 1


@pytest.fixture
def admin_client(world) -> Client:
    root = Person.objects.create_superuser(
        username="root", password=PASSWORD, name="系统管理员", role=Role.SYSTEM_ADMIN
    )
    client = Client()
    client.force_login(root)
    return client


def test_the_admin_adds_a_unit_through_the_service(admin_client, world):
    response = admin_client.post(
        "/admin/org/unit/add/",
        {
            "code": "330421102-MZB",
            "name": "西塘镇民政办",
            "kind": UnitKind.TOWNSHIP_OFFICE,
            "agency_class": "",
            "division": world.township.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="330421102-MZB")
    entry = AuditEntry.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.actor_label == "系统管理员" and entry.detail["kind"] == "township_office"


def test_the_admin_adds_a_platform_with_its_members_through_the_service(admin_client, world):
    response = admin_client.post(
        "/admin/org/platform/add/",
        {
            "township": world.township.pk,
            "kind": PlatformKind.GOVERNANCE,
            "lead_unit": world.command_room.pk,
            "office": world.command_room.pk,
            "members": [world.agency.pk],
        },
    )
    assert response.status_code == 302
    platform = Platform.objects.get(township=world.township, kind=PlatformKind.GOVERNANCE)
    assert list(platform.members.all()) == [world.agency]
    entry = AuditEntry.objects.get(action="platform.create", object_id=str(platform.pk))
    assert entry.detail["members"] == ["330421102-SCJGS"]
