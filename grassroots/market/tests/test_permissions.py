import pytest
from django.http import Http404

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.org.choices import TeamRole
from grassroots.org.models import TeamMembership
from grassroots.people.choices import Role

from ..permissions import access_entity, contact_of, visible_to
from .support import make_entity, people


def test_a_grid_worker_sees_the_entities_of_their_grid_only(world):
    in_a = make_entity(world, 1)
    in_b = make_entity(world, 2, in_grid_b=True)
    assert list(visible_to(world.alice)) == [in_a]
    gina = people(world)["gina"]
    assert list(visible_to(gina)) == [in_b]
    with pytest.raises(Http404):
        access_entity(world.alice, in_b.pk)


def test_a_grid_team_member_sees_their_grids_entities(world):
    make_entity(world, 1)
    in_b = make_entity(world, 2, in_grid_b=True)
    instructor = make_person("ian", "吴刚", Role.GRID_INSTRUCTOR)
    TeamMembership.objects.create(grid=world.grid_b, person=instructor, role=TeamRole.INSTRUCTOR)
    assert list(visible_to(instructor)) == [in_b]


def test_township_staff_and_the_towns_inspector_see_the_township_village_staff_their_village(world):
    in_a = make_entity(world, 1)
    in_b = make_entity(world, 2, in_grid_b=True)
    elsewhere = make_entity(world, 3, region_code="330421001001", grid=None)
    cast = people(world)
    assert set(visible_to(cast["petra"])) == {in_a, in_b}
    assert set(visible_to(cast["ivan"])) == {in_a, in_b}
    assert set(visible_to(world.carol)) == {in_b}
    assert elsewhere not in set(visible_to(cast["ivan"]))


def test_the_phone_is_masked_for_a_grid_worker_and_an_inspectors_unmasked_read_is_audited(world):
    entity = make_entity(world, 1)
    masked = contact_of(world.alice, entity, purpose="测试")
    assert masked == {"legal_rep": "沈*强", "phone": "139****1234", "masked": True}
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()

    ivan = people(world)["ivan"]
    shown = contact_of(ivan, entity, purpose="测试")
    assert shown["phone"] == "13905731234" and not shown["masked"]
    read = AuditEntry.objects.get(action="personal_data.read")
    assert read.actor_id == ivan.pk and read.object_id == str(entity.pk)
