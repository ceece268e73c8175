"""立案查处 from the records cases come from: an open event of the 综合执法 platform and an inspection that found
problems; the case opened from one is prefilled from it and linked both ways (its foreign key, and a workflow link
that both records show). Both offer it (立案查处) to those who register leads, pointing at the prefilled lead page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.core.errors import DomainError
from grassroots.demo.photos import sample_jpeg
from grassroots.events.models import EventType
from grassroots.events.services import event_report
from grassroots.market.services.inspection_steps import inspection_record
from grassroots.market.services.inspections import inspection_create
from grassroots.market.tests.support import make_entity
from grassroots.workflow.links import link_offers, links_of

from ..choices import CaseSource, PartyKind
from ..services.cases import case_open_from, case_prefill
from .support import PARTY_ID, PLACE, Team

JPEG = sample_jpeg()


def report(team: Team, code: str):
    return event_report(
        actor=team.world.alice,
        event_type=EventType.objects.get(code=code),
        source="patrol",
        title="南苑路水果摊占道经营",
        description="占用人行道约 6 平方米",
        lon=PLACE[0],
        lat=PLACE[1],
        address="西塘镇南苑路 1 号门前",
    ).event


def test_an_enforcement_event_becomes_a_case_linked_both_ways(team: Team):
    event = report(team, "ZF0401")
    prefill = case_prefill(event)
    assert prefill["facts"].startswith("南苑路水果摊占道经营") and prefill["lon"] == PLACE[0]
    case = case_open_from(
        actor=team.lena,
        record=event,
        unit=team.unit,
        power=team.power,
        officers=team.officers[:2],
        party_kind=PartyKind.PERSON,
        party_name="沈国强",
        party_id_number=PARTY_ID,
    )
    assert (case.source, case.event, case.place) == (CaseSource.EVENT, event, "西塘镇南苑路 1 号门前")
    [seen] = links_of(viewer=team.lena, workflow="event", object_id=event.pk)
    assert (seen.workflow, seen.object_id, seen.wording) == ("case", case.pk, "转为")
    assert seen.url == f"/enforcement/cases/{case.pk}/" and "沈国强" in seen.title
    [back] = links_of(viewer=team.lena, workflow="case", object_id=case.pk)
    assert (back.workflow, back.object_id, back.wording) == ("event", event.pk, "源自")


def test_only_an_event_of_the_enforcement_platform_becomes_a_case(team: Team):
    event = report(team, "SC0101")
    with pytest.raises(DomainError) as exc:
        case_prefill(event)
    assert exc.value.code == "event_not_enforcement"


def test_an_inspection_with_findings_becomes_a_case_against_its_entity(team: Team, client):
    entity = make_entity(team.world, 1)
    inspection = inspection_create(
        actor=team.olga, entity=entity, kind="routine", unit=team.unit, inspectors=team.officers[:2]
    )
    with pytest.raises(DomainError) as exc:
        case_prefill(inspection)
    assert exc.value.code == "inspection_without_findings"
    assert not link_offers(viewer=team.olga, workflow="inspection", record=inspection)
    inspection_record(
        actor=team.olga,
        inspection=inspection,
        conclusion="problems",
        findings=[{"description": "店外占道经营"}],
        photos=[SimpleUploadedFile("p.jpg", JPEG)],
    )
    offer = ("立案查处", f"/enforcement/cases/new/?inspection={inspection.pk}")
    assert offer in link_offers(viewer=team.olga, workflow="inspection", record=inspection)
    assert not link_offers(viewer=team.world.alice, workflow="inspection", record=inspection)
    client.force_login(team.olga)
    page = client.get(f"/market/inspections/{inspection.pk}/").content.decode()
    assert f'href="/enforcement/cases/new/?inspection={inspection.pk}" data-offer>立案查处' in page
    case = case_open_from(
        actor=team.olga, record=inspection, unit=team.unit, power=team.power, officers=team.officers[:2]
    )
    assert (case.source, case.inspection, case.market_entity) == (CaseSource.INSPECTION, inspection, entity)
    assert (case.party_kind, case.party_name, case.party_id_number) == (
        "organisation",
        entity.name,
        entity.uscc,
    )
    assert "店外占道经营" in case.facts and case.party_representative == "沈国强"
    [seen] = links_of(viewer=team.olga, workflow="inspection", object_id=inspection.pk)
    assert (seen.workflow, seen.object_id) == ("case", case.pk)
