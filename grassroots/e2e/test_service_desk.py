"""便民服务 at the window, in Chromium: a clerk accepts an application with a missing material (一次性告知 printed,
the clock paused), the resident supplies it, the back office finishes it, the window delivers it, the applicant
rates it badly on the window's device and the rectification runs to its end; and the B post takes over while the
A post is away. Every form is submitted on the page, and the record is read back from the database."""

import pytest

from grassroots.conftest import make_person
from grassroots.convenience import services
from grassroots.convenience.choices import RectificationStatus, Status
from grassroots.convenience.models import Application, Rating, Rectification
from grassroots.convenience.tests.support import away, build_centre
from grassroots.org.choices import UnitKind
from grassroots.org.models import Unit
from grassroots.people.choices import Role
from grassroots.workflow.models import Clock

from .service_support import RESIDENT, fresh, shoot, status_on_page, submit_step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def _clock(application: Application) -> Clock:
    return Clock.objects.filter(workflow="application", object_id=application.pk).latest("id")


def test_an_application_runs_from_the_window_to_its_rectification(world, open_as):
    c = build_centre(world)
    form_material, id_card, _neighbours = c.permit.materials.order_by("order")
    back_office = Unit.objects.create(
        code="330421102-SHSW", name="西塘镇社会事务办", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    bella = make_person("bella", "包晓燕", Role.DEPARTMENT_STAFF, unit=back_office, division=world.township)

    # 一窗受理: Wendy picks the permit, fills the applicant, ticks the ID card but not the application form.
    desk = open_as(c.wendy)
    desk.goto("/service/")
    desk.click("[data-testid=new-application]")
    desk.select_option("[data-testid=item-pick]", c.permit.code)
    desk.wait_for_selector("[data-testid=apply-form]")  # swapped in by HTMX
    assert "四邻意见书" in desk.inner_text("[data-testid=apply-form]")
    desk.fill("#id_applicant_name", RESIDENT["name"])
    desk.fill("#id_applicant_phone", RESIDENT["phone"])
    desk.fill("#id_applicant_id_number", RESIDENT["id_number"])
    desk.select_option("#id_window", str(c.window_1.pk))
    desk.fill("#id_subject", "翻建自住房一幢")
    desk.check(f"input[name=received][value='{id_card.pk}']")
    shoot(desk, "service-apply")
    desk.click("[data-testid=apply-submit]")
    desk.wait_for_selector("[data-testid=status]")

    application = Application.objects.get()
    assert application.status == Status.CORRECTING and application.version == 2
    assert application.handler == c.wendy and application.first_clerk == c.wendy
    assert application.materials_received == [id_card.pk]
    assert status_on_page(desk) == "补正中"
    assert "计时暂停" in desk.inner_text("header.summary")
    # The clock waits for the applicant: paused, and no due time counts down.
    assert _clock(application).state == "paused" and application.due_at is None
    notice = application.notices.get()
    assert [i["name"] for i in notice.items] == [form_material.name]
    shoot(desk, "service-correcting")

    # 一次性告知书: the printable notice lists what is missing.
    desk.goto(desk.get_attribute("[data-testid=notice-print]", "href"))
    printed = desk.inner_text("[data-testid=notice]")
    assert form_material.name in printed and notice.number in printed and RESIDENT["name"] in printed
    assert id_card.name not in printed
    shoot(desk, "service-notice")

    # The resident comes back with the form: supplied, the clock runs again, a second visit.
    desk.goto(f"/service/applications/{application.pk}/")
    desk.check("form#step-supply input[name=in_person][value='1']")
    submit_step(desk, "supply", "已材料补齐")
    application = fresh(application)
    assert application.status == Status.PROCESSING and application.version == 3
    assert application.visits == 2 and application.due_at is not None
    assert _clock(application).state == "running"
    assert application.notices.get().supplied_at is not None
    assert status_on_page(desk) == "办理中"

    # 转办 to the back office, which decides it.
    desk.click("#action-panel summary >> text=转办")
    desk.select_option("form#step-transfer select[name=unit_id]", str(back_office.pk))
    submit_step(desk, "transfer", "已转办")
    application = fresh(application)
    assert application.handling_unit == back_office and application.version == 4

    office = open_as(bella)
    office.goto(f"/service/applications/{application.pk}/")
    assert "（已脱敏）" in office.inner_text("[data-testid=applicant]")
    office.check("form#step-decide input[name=result][value=granted]")
    office.fill("form#step-decide textarea[name=note]", "符合建房条件，准予")
    submit_step(office, "decide", "已办结")
    application = fresh(application)
    assert application.status == Status.DECIDED and application.version == 5
    assert application.result == "granted" and application.decided_at is not None
    assert _clock(application).state == "stopped"
    assert application.history.latest("id").actor == bella

    # 送达 at the window: the applicant's third visit, shown on the page.
    desk.goto(f"/service/applications/{application.pk}/")
    desk.check("form#step-deliver input[name=method][value=window]")
    submit_step(desk, "deliver", "已送达")
    application = fresh(application)
    assert application.status == Status.DELIVERED and application.version == 6
    assert application.visits == 3
    assert desk.inner_text("[data-testid=visits]") == "3"
    assert desk.inner_text("[data-testid=result]") == "准予"
    shoot(desk, "service-delivered")

    # 好差评 on the window's device: 非常不满意 opens a rectification on Wendy's desk.
    desk.click("[data-testid=rate-device]")
    desk.fill("#rate-comment", "补正来回跑了两次")
    shoot(desk, "service-rate-device")
    desk.click("[data-testid=grade-1]")
    desk.wait_for_selector("[data-testid=rated]")
    rating = Rating.objects.get(application=application)
    assert rating.grade == 1 and rating.channel == "device"
    rectification = Rectification.objects.get(application=application)
    assert rectification.status == RectificationStatus.OPEN and rectification.owner == c.wendy
    desk.goto("/service/")
    assert application.number in desk.inner_text("[data-testid=rectifications]")
    shoot(desk, "service-desk-rectification")

    # The rectification, step by step from the link on the desk: callback, fix, the applicant's word.
    desk.click(f"[data-testid=rectifications] a >> text={application.number}")
    desk.wait_for_selector("[data-testid=rectification]")
    for action, fill, done, status in (
        ("contact", ("textarea[name=note]", "已电话回访，申请人反映补正材料说明不清"), "已回访", "contacted"),
        ("rectify", ("textarea[name=measures]", "窗口一次性告知书增加样表"), "已整改", "rectified"),
        ("review", None, "已整改复评", "closed"),
    ):
        before = Rectification.objects.get(pk=rectification.pk).version
        if fill:
            desk.fill(f"form#step-{action} {fill[0]}", fill[1])
        else:
            desk.check(f"form#step-{action} input[name=review][value=satisfied]")
        submit_step(desk, action, done)
        after = Rectification.objects.get(pk=rectification.pk)
        assert after.status == status and after.version == before + 1
    assert "已办结" in desk.inner_text("[data-testid=rectification]")
    shoot(desk, "service-rectified")
    desk.goto("/service/")
    assert desk.locator("[data-testid=rectifications]").count() == 0


def test_the_b_post_takes_over_while_the_a_post_is_away(world, open_as):
    c = build_centre(world)
    application = services.application_apply(
        actor=c.wendy,
        item_code=c.service.code,
        applicant_name=RESIDENT["name"],
        materials_received=[c.service.materials.get().pk],
    )
    assert application.status == Status.PROCESSING
    will = open_as(c.will)
    will.goto("/service/")
    assert will.locator("[data-testid=covering]").count() == 0
    assert application.number not in will.inner_text("[data-testid=desk-list]")

    away(c.wendy)
    will.goto("/service/")
    assert "顶岗" in will.inner_text("[data-testid=covering]")
    assert application.number in will.inner_text("[data-testid=desk-list]")
    shoot(will, "service-desk-covering")
    will.click(f"[data-testid=desk-list] a >> text={application.number}")
    will.check("form#step-decide input[name=result][value=granted]")
    submit_step(will, "decide", "已办结")

    application = fresh(application)
    assert application.status == Status.DECIDED and application.version == 3
    step = application.history.latest("id")
    assert step.action == "decide" and step.actor == c.will
    assert application.handler == c.wendy  # the A post keeps it: Will stood in
