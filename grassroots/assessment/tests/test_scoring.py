from decimal import Decimal as D

from grassroots.assessment.scoring import (
    AdjustmentDef,
    ItemDef,
    PartDef,
    SchemeDef,
    grade_of,
    part_score,
    ranks,
    subject_score,
)

BANDS = (D(90), D(75), D(60), D(40))


def computed(*items, adjustments=(), weight=100):
    return PartDef(1, "指标", D(weight), "computed", items=tuple(items), adjustments=tuple(adjustments))


def test_the_base_is_sigma_weight_times_indicator_when_weights_total_100():
    part = computed(ItemDef("on_time_handling", D(60)), ItemDef("satisfaction", D(40)))
    counts = {"handled_on_time": 3, "due_handle": 4, "satisfied": 1, "rated": 2}
    assert part_score(part, counts).score == D("65.00")  # 60 × 0.75 + 40 × 0.5


def test_a_lower_is_better_rate_counts_as_one_minus_the_rate():
    part = computed(ItemDef("rework", D(100)))
    assert part_score(part, {"reworked": 1, "handled": 4}).score == D("75.00")


def test_an_indicator_with_nothing_due_is_left_out_and_the_rest_rescaled():
    part = computed(ItemDef("on_time_handling", D(60)), ItemDef("satisfaction", D(40)))
    scored = part_score(part, {"handled_on_time": 3, "due_handle": 4, "rated": 0})
    assert scored.items[1].rate is None
    assert scored.score == D("75.00")  # 100 × (60 × 0.75) / 60


def test_a_part_with_no_indicator_due_has_no_score():
    part = computed(ItemDef("on_time_handling", D(100)))
    assert part_score(part, {}).score is None


def test_deductions_are_capped_and_the_part_clamped_to_zero():
    part = computed(
        ItemDef("on_time_handling", D(100)),
        adjustments=[AdjustmentDef("overdue_handle", "deduct", D(5), D(20))],
    )
    scored = part_score(part, {"handled_on_time": 1, "due_handle": 10, "overdue_handle": 9})
    assert scored.deductions == D(20)  # 9 × 5 = 45, capped at 20
    assert scored.score == D(0)  # 10 − 20, clamped


def test_bonuses_raise_the_part_but_not_above_100():
    part = computed(
        ItemDef("valid_reports", D(100)), adjustments=[AdjustmentDef("valid_report", "bonus", D("0.2"), None)]
    )
    scored = part_score(part, {"reports_valid": 90, "reports_decided": 100})
    assert scored.bonuses == D("18.0")
    assert scored.score == D(100)


def test_a_manual_part_is_the_mean_of_its_raters():
    part = PartDef(2, "部门", D(40), "manual", "department")
    assert part_score(part, {}, [D(70), D(90), D(86)]).score == D("82.00")
    assert part_score(part, {}, []).score is None


def test_the_total_weights_the_parts_and_waits_for_every_part():
    scheme = SchemeDef(
        1,
        "联合",
        "unit",
        (
            computed(ItemDef("on_time_handling", D(100)), weight=60),
            PartDef(2, "部门", D(40), "manual", "department"),
        ),
        BANDS,
    )
    counts = {"handled_on_time": 9, "due_handle": 10}
    assert subject_score(scheme, counts).score is None
    scored = subject_score(scheme, counts, {2: [D(80)]})
    assert scored.score == D("86.00") and scored.grade == "B"  # 0.6 × 90 + 0.4 × 80


def test_grades_follow_the_bands():
    assert [grade_of(D(s), BANDS) for s in (95, 90, 89.99, 75, 60, 40, D("39.99"))] == list("AABBCDE")
    assert grade_of(None, BANDS) == ""


def test_ties_share_a_place_and_the_unscored_are_unranked():
    assert ranks([D(80), D(90), D(80), None, D(70)]) == [2, 1, 2, None, 4]
