"""The parties are personal data: the mediators and the committee see them whole and each such read is audited
(`personal_data.read`); the grid worker who reported the dispute sees them masked and leaves no read row; people
outside the dispute's place and committee do not see it at all (404)."""

import pytest
from django.http import Http404

from grassroots.audit.models import AuditEntry

from ..choices import PartyKind, PartySide
from ..models import DisputeParty
from ..permissions import access_dispute, disputes_visible_to, parties_of
from ..services import disputes
from .support import build_committee, report


@pytest.fixture
def c(world):
    return build_committee(world)


def reads(person):
    return AuditEntry.objects.filter(action="personal_data.read", actor=person)


def test_the_mediator_sees_the_parties_whole_and_the_read_is_audited(c):
    d = report(c)
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
    rows = parties_of(c.mia, d, purpose="纠纷详情")
    assert [(r["name"], r["id_number"], r["phone"], r["masked"]) for r in rows] == [
        ("张三丰", "11010519491231002X", "13912345678", False),
        ("李四", "330421198001011234", "13787654321", False),
    ]
    entry = reads(c.mia).get()
    assert entry.object_id == str(d.pk)
    assert entry.detail == {"fields": ["address", "id_number", "name", "phone"], "purpose": "纠纷详情"}


def test_the_grid_worker_sees_them_masked_and_no_read_is_recorded(c):
    d = report(c)
    rows = parties_of(c.world.alice, d, purpose="纠纷详情")
    assert [(r["name"], r["id_number"], r["phone"], r["address"], r["masked"]) for r in rows] == [
        ("张*丰", "110***********002X", "139****5678", "******", True),
        ("李*", "330***********1234", "137****4321", "******", True),
    ]
    assert not reads(c.world.alice).exists()


def test_an_organisations_name_and_code_are_public_but_its_phone_is_masked(c):
    d = report(c)
    DisputeParty.objects.filter(dispute=d, position=2).update(
        kind=PartyKind.ORGANISATION,
        side=PartySide.RESPONDENT,
        name="嘉善县某建材有限公司",
        id_number="91350100M000100Y43",
    )
    org = parties_of(c.world.alice, d, purpose="纠纷详情")[1]
    assert (org["name"], org["id_number"], org["phone"]) == (
        "嘉善县某建材有限公司",
        "91350100M000100Y43",
        "137****4321",
    )


def test_the_dispute_is_scoped_by_place_committee_and_mediators(c):
    d = report(c)
    disputes.dispute_accept(actor=c.lena, dispute=d, mediators=[c.mia])
    seen = {
        p.username: disputes_visible_to(p).filter(pk=d.pk).exists()
        for p in [
            c.world.alice,
            c.world.bob,
            c.world.carol,
            c.mia,
            c.max,
            c.nina,
            c.lena,
            c.pete,
            c.world.dora,
        ]
    }
    assert seen == {
        "alice": True,  # her grid
        "bob": True,  # 红菱村's staff
        "carol": False,  # 鸦鹊村's staff
        "mia": True,  # named mediator (and of the committee)
        "max": True,  # of the committee
        "nina": False,  # another committee
        "lena": True,  # the township's leader
        "pete": False,  # the police station sees a high risk through its notice, not the record
        "dora": False,
    }
    with pytest.raises(Http404):
        access_dispute(c.world.carol, d.pk)
    assert access_dispute(c.world.bob, d.pk) == d
