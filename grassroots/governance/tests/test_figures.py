"""The success rate against a hand-computed set of eight disputes (agreements / concluded mediations; a refusal and a
dispute still being mediated count in neither; a dispute with two mediators counts for each):

    D1 红菱村 neighbours written  Mia        C1      D5 鸦鹊村 family  failed   Mia   C1
    D2 红菱村 neighbours oral     Mia, Max   C1      D6 鸦鹊村 labour  refused  Mia   C1   (not concluded)
    D3 红菱村 land       failed   Max        C1      D7 红菱村 neighbours mediating Max C1 (not concluded)
    D4 鸦鹊村 family     written  Max        C2      D8 红菱村 contract written Mia   C1

Overall 4/6 = 66.67; Mia D1 D2 D5 D8 3/4 = 75.00, Max D2 D3 D4 2/3 = 66.67; C1 3/5 = 60.00, C2 1/1 = 100.00;
红菱村 D1 D2 D3 D8 3/4 = 75.00, 鸦鹊村 D4 D5 1/2 = 50.00; 西塘镇 4/6 = 66.67; neighbours 2/2 = 100.00, family 1/2 =
50.00, land 0/1 = 0.00, contract 1/1 = 100.00.
"""

from decimal import Decimal

import pytest

from ..choices import DisputeOutcome, DisputeSource, DisputeStatus, DisputeType
from ..models import Dispute
from ..permissions import disputes_visible_to
from ..services.dispute_figures import rate_of, success_rate, success_rates
from .support import at, build_committee

W, ORAL, F = DisputeOutcome.WRITTEN, DisputeOutcome.ORAL, DisputeOutcome.FAILED
T = DisputeType


@pytest.fixture
def set_of_eight(world):
    c = build_committee(world)
    a, b = world.village_a, world.village_b
    rows = [
        # name, village, kind, outcome, status, mediators, committee, concluded day (March 2025)
        ("D1", a, T.NEIGHBOURS, W, DisputeStatus.AGREED, [c.mia], c.committee, 3),
        ("D2", a, T.NEIGHBOURS, ORAL, DisputeStatus.CLOSED, [c.mia, c.max], c.committee, 5),
        ("D3", a, T.LAND, F, DisputeStatus.FAILED, [c.max], c.committee, 10),
        ("D4", b, T.FAMILY, W, DisputeStatus.CONFIRMED, [c.max], c.other, 12),
        ("D5", b, T.FAMILY, F, DisputeStatus.CLOSED, [c.mia], c.committee, 20),
        ("D6", b, T.LABOUR, "", DisputeStatus.REFUSED, [c.mia], c.committee, None),
        ("D7", a, T.NEIGHBOURS, "", DisputeStatus.MEDIATING, [c.max], c.committee, None),
        ("D8", a, T.CONTRACT, W, DisputeStatus.AGREED, [c.mia], c.committee, 28),
    ]
    made = {}
    for name, village, kind, outcome, status, mediators, committee, day in rows:
        d = Dispute.objects.create(
            township=world.township,
            village=village,
            region_code=village.code,
            committee=committee,
            source=DisputeSource.VISIT,
            kind=kind,
            title=name,
            facts=name,
            status=status,
            outcome=outcome,
            concluded_at=at(2025, 3, day, 12) if day else None,
            created_at=at(2025, 3, 1),
            updated_at=at(2025, 3, 1),
        )
        d.mediators.set(mediators)
        made[name] = d
    return c, made


def titles(qs):
    return sorted(qs.values_list("title", flat=True))


def test_the_overall_rate(set_of_eight):
    fig = success_rate(Dispute.objects.all())
    assert (fig.agreements, fig.concluded, fig.rate) == (4, 6, Decimal("66.67"))
    assert titles(fig.agreements_qs) == ["D1", "D2", "D4", "D8"]
    assert titles(fig.concluded_qs) == ["D1", "D2", "D3", "D4", "D5", "D8"]


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        (
            "mediator",
            {
                "陈美华": (3, 4, "75.00", ["D1", "D2", "D5", "D8"]),
                "吴志明": (2, 3, "66.67", ["D2", "D3", "D4"]),
            },
        ),
        (
            "committee",
            {
                "西塘镇人民调解委员会": (3, 5, "60.00", ["D1", "D2", "D3", "D5", "D8"]),
                "鸦鹊村人民调解委员会": (1, 1, "100.00", ["D4"]),
            },
        ),
        (
            "village",
            {"红菱村": (3, 4, "75.00", ["D1", "D2", "D3", "D8"]), "鸦鹊村": (1, 2, "50.00", ["D4", "D5"])},
        ),
        ("township", {"西塘镇": (4, 6, "66.67", ["D1", "D2", "D3", "D4", "D5", "D8"])}),
        (
            "kind",
            {
                "邻里纠纷": (2, 2, "100.00", ["D1", "D2"]),
                "婚姻家庭纠纷": (1, 2, "50.00", ["D4", "D5"]),
                "土地（宅基地、山林）纠纷": (0, 1, "0.00", ["D3"]),
                "合同纠纷": (1, 1, "100.00", ["D8"]),
            },
        ),
    ],
)
def test_the_rate_per_grouping_opens_its_records(set_of_eight, by, expected):
    figures = success_rates(Dispute.objects.all(), by=by)
    got = {f.label: (f.agreements, f.concluded, str(f.rate), titles(f.concluded_qs)) for f in figures}
    assert got == {label: (a, n, rate, records) for label, (a, n, rate, records) in expected.items()}
    for f in figures:
        assert f.agreements_qs.count() == f.agreements
        assert set(titles(f.agreements_qs)) <= set(titles(f.concluded_qs))


def test_a_period_counts_by_the_day_mediation_concluded(set_of_eight):
    fig = success_rate(Dispute.objects.all(), since=at(2025, 3, 5), until=at(2025, 3, 21))
    # D2 (5th), D3 (10th), D4 (12th), D5 (20th): 2 agreements of 4
    assert (fig.agreements, fig.concluded, fig.rate) == (2, 4, Decimal("50.00"))


def test_the_rate_is_in_percent_rounded_half_up():
    assert rate_of(1026, 1054) == Decimal("97.34")  # seed 004: Shangyu, July
    assert rate_of(1, 8) == Decimal("12.50")
    assert rate_of(1, 3) == Decimal("33.33") and rate_of(2, 3) == Decimal("66.67")
    assert rate_of(0, 0) is None


def test_the_rate_of_a_scoped_queryset(set_of_eight):
    c, _ = set_of_eight
    fig = success_rate(disputes_visible_to(c.world.carol))  # 鸦鹊村's staff: D4, D5 (D6 refused)
    assert (fig.agreements, fig.concluded, fig.rate) == (1, 2, Decimal("50.00"))
