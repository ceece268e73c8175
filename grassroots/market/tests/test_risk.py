import datetime as dt

import pytest

from grassroots.audit.models import AuditEntry
from grassroots.core.errors import DomainError
from grassroots.workcal.calendar import local_today

from ..choices import AbnormalReason
from ..services.abnormal import abnormal_list, abnormal_remove
from ..services.risk import Factor, _sources, class_for, register_risk_factor, risk_compute, risk_override_set
from .support import add_licence, make_entity


@pytest.mark.parametrize(
    ("points", "klass"), [(-2, "A"), (0, "A"), (1, "B"), (2, "B"), (3, "C"), (4, "C"), (5, "D")]
)
def test_points_map_to_classes(points, klass):
    assert class_for(points) == klass


def test_a_plain_shop_is_a_and_a_provincial_demonstration_unit_stays_a(world):
    assert risk_compute(make_entity(world, 1))[0] == "A"
    assert risk_compute(make_entity(world, 2, food_class="sales", demonstration="province"))[0] == "A"


def test_a_large_restaurant_with_an_expired_licence_is_c(world):
    entity = make_entity(world, 1, food_class="catering_large")
    add_licence(entity, valid_to=local_today() - dt.timedelta(days=1))
    klass, reasons = risk_compute(entity)
    assert klass == "C"
    assert reasons[0].startswith("食品经营许可证已过期")


def test_a_canteen_with_key_tags_listed_for_false_information_is_d_and_removal_lowers_it(world):
    entity = make_entity(world, 1, food_class="canteen", key_tags=["school_canteen"])
    assert entity.risk_class == "C"  # 2 + 1
    listing = abnormal_list(
        actor=world.dora, entity=entity, reason=AbnormalReason.FALSE_INFORMATION, triggered_on=local_today()
    )
    entity.refresh_from_db()
    assert entity.risk_class == "D"
    abnormal_remove(actor=world.dora, listing=listing, reason="已更正公示信息")
    entity.refresh_from_db()
    assert entity.risk_class == "C"


def test_key_tags_count_at_most_two_points(world):
    entity = make_entity(
        world, 1, key_tags=["cold_chain", "school_canteen", "farmers_market", "special_equipment"]
    )
    assert entity.risk_class == "B"


def test_a_registered_factor_such_as_penalties_counts(world):
    entity = make_entity(world, 1)

    def penalties(e, today):
        return [Factor(5, "一年内受到行政处罚")] if e.pk == entity.pk else []

    register_risk_factor(penalties)
    try:
        assert risk_compute(entity)[0] == "D"
    finally:
        _sources.remove(penalties)


def test_an_override_needs_a_reason_is_audited_and_survives_recomputation(world):
    entity = make_entity(world, 1, food_class="catering_large")
    with pytest.raises(DomainError) as refused:
        risk_override_set(actor=world.oscar, entity=entity, risk_class="D", reason="  ")
    assert refused.value.code == "reason_required"

    risk_override_set(actor=world.oscar, entity=entity, risk_class="D", reason="多次被投诉")
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_computed, entity.overridden_by) == ("D", "B", world.oscar)
    abnormal_list(actor=None, entity=entity, reason=AbnormalReason.UNREACHABLE, triggered_on=local_today())
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_computed) == ("D", "D")
    audit = AuditEntry.objects.get(action="marketentity.risk_override")
    assert audit.detail == {"from": "B", "to": "D", "computed": "B", "reason": "多次被投诉"}

    risk_override_set(actor=world.oscar, entity=entity, risk_class="", reason="复核后按计算结果")
    entity.refresh_from_db()
    assert (entity.risk_class, entity.risk_override, entity.overridden_by) == ("D", "", None)
    assert AuditEntry.objects.filter(action="marketentity.risk_override_clear").count() == 1
