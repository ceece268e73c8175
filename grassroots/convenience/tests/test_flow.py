"""One application from the window to the rating, through the services, with the clock it runs on."""

import pytest

from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.workflow.models import Clock

from .. import services
from ..choices import Status
from ..models import Application, Rectification
from .support import away, build_centre

pytestmark = pytest.mark.django_db


def test_an_application_with_a_missing_material_waits_for_it_then_runs_to_its_rating(world):
    c = build_centre(world)
    materials = list(c.permit.materials.order_by("order"))
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.permit.code,
        applicant_name="沈国强",
        applicant_phone="13900001111",
        materials_received=[materials[0].pk],
        window_id=c.window_1.pk,
    )
    assert application.status == Status.CORRECTING
    assert application.visits == 1
    clock = Clock.objects.get(workflow="application", object_id=application.pk)
    assert clock.state == "paused" and application.due_at is None
    notice = application.notices.get()
    assert [i["name"] for i in notice.items] == ["申请人身份证"]

    services.application_supply(actor=c.wendy, application=application)
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.visits == 2
    assert application.due_at is not None

    services.application_decide(actor=c.wendy, application=application, result="granted")
    services.application_deliver(
        actor=c.wendy, application=application, method="mail", tracking_number="EMS123"
    )
    rating = services.application_rate(
        actor=c.wendy, application=application, grade=1, channel="phone", comment="等太久"
    )
    assert Rectification.objects.get(rating=rating).status == "open"
    with pytest.raises(Conflict) as exc:
        services.application_rate(actor=c.wendy, application=application, grade=5, channel="phone")
    assert exc.value.code == "already_rated"


def test_the_b_post_may_act_on_the_holders_application_while_she_is_away(world):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.service.code,
        applicant_name="沈国强",
        materials_received=[c.service.materials.get().pk],
    )
    assert application.status == Status.PROCESSING
    from ..selectors import desk_of

    assert application not in desk_of(c.will)
    away(c.wendy)
    assert application in desk_of(c.will)


def test_a_village_agent_forwards_and_the_window_receives(world):
    c = build_centre(world)
    application = services.application_forward(
        actor=world.bob, item_code=c.service.code, applicant_name="沈阿婆", entrustment="委托书 2026-001"
    )
    assert application.status == Status.FORWARDED and application.region_code == world.village_a.code
    with pytest.raises(Forbidden):
        services.application_receive(actor=world.bob, application=application)
    services.application_receive(actor=c.wendy, application=Application.objects.get(pk=application.pk))
    application.refresh_from_db()
    assert application.status == Status.RECEIVED and application.visits == 0


def test_a_refusal_needs_its_reason_and_appeal_route(world):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.service.code,
        applicant_name="沈国强",
        materials_received=[c.service.materials.get().pk],
    )
    with pytest.raises(InvalidInput) as exc:
        services.application_decide(
            actor=c.wendy, application=application, result="refused", reason="不符合条件"
        )
    assert exc.value.code == "appeal_route_required"
    assert Application.objects.get(pk=application.pk).status == Status.PROCESSING


def test_every_step_reads_as_chinese_in_the_audit_log():
    from grassroots.audit.labels import action_label

    from ..rules import APPLICATION, RECTIFICATION

    for workflow in (APPLICATION, RECTIFICATION):
        unnamed = [
            a for a in workflow.actions if action_label(f"{workflow.name}.{a}") == f"{workflow.name}.{a}"
        ]
        assert unnamed == [], workflow.name
    assert action_label("application.accept") == "办件受理"
