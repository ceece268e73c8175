"""Modes and routes on the pages: the intake desk sets 直办 and the operator settles the call, the shift lead's close
is refused until 双反馈 is done; 交办 to one platform's office; 督办 to a platform's units with a leader; a major
matter referred to the leaders, a leader's 研判 on the page, and the joint dispatch of two platforms."""

import pytest

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.catalogue import load_catalogue
from grassroots.events.choices import Mode, Status
from grassroots.events.models import Event, EventType, SupervisionOrder, TimeLimit
from grassroots.org.choices import AgencyClass, PlatformKind, UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role

from .event_support import fresh, reported
from .test_operator_intake import fill_call

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_catalogue(EventType, TimeLimit)  # a transactional test's flush empties what the migration loaded


@pytest.fixture
def units(world):
    """市场监管 (office: the market agency; member: the food office) and 综合执法 (office: the squad)."""
    food = Unit.objects.create(
        code="330421102-SAB", name="西塘镇食安办", kind=UnitKind.TOWNSHIP_OFFICE, division=world.township
    )
    squad = Unit.objects.create(
        code="330421102-ZFZD",
        name="西塘综合执法中队",
        kind=UnitKind.DISPATCHED_AGENCY,
        agency_class=AgencyClass.A,
        division=world.township,
    )
    market = Platform.objects.create(township=world.township, kind=PlatformKind.MARKET, office=world.agency)
    market.members.add(world.agency, food)
    enforcement = Platform.objects.create(
        township=world.township, kind=PlatformKind.ENFORCEMENT, office=squad
    )
    enforcement.members.add(squad)
    return {"food": food, "squad": squad}


def registered(world) -> Event:
    event = reported(world)
    s.event_register(actor=world.oscar, event=event)
    return fresh(event)


def submit(page, action: str, done: str) -> None:
    page.click(f"#action-{action} button[type=submit]")
    page.wait_for_selector(f"#action-panel .message >> text={done}")


def test_a_direct_call_is_settled_at_the_desk_and_closed_only_after_both_feedbacks(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    page = open_as(world.oscar)
    page.goto("/command/intake/")
    fill_call(page, name="钱先生", text="想问私搭的棚子归哪个部门管")
    page.select_option("#intake-mode", Mode.DIRECT)
    page.locator("#intake-callback_wanted").check()
    page.locator("#intake-submit").click()
    page.wait_for_url("**/command/events/*/")
    event = Event.objects.get()
    assert event.mode == Mode.DIRECT
    assert page.inner_text("[data-testid=event-mode]") == "直办"
    # 直办 offers the direct answer, not a dispatch.
    assert page.locator("#action-dispatch").count() == 0
    page.fill("#action-settle textarea[name=note]", "已电话答复：由综合执法中队负责，已转告巡查")
    submit(page, "settle", "已直接办结")
    assert fresh(event).status == Status.CHECKED
    assert "指挥室：已反馈" in page.inner_text("[data-testid=event-feedback]")
    assert "反映人：待反馈" in page.inner_text("[data-testid=event-feedback]")

    lead = open_as(sam)
    lead.goto(f"/command/events/{event.pk}/")
    lead.click("#action-close button[type=submit]")
    lead.wait_for_selector("#action-panel .form-error >> text=双反馈未完成")
    assert fresh(event).status == Status.CHECKED

    page.reload()
    page.check("#action-callback input[name=satisfaction][value='5']")
    submit(page, "callback", "已回访")
    assert "反映人：已反馈" in page.inner_text("[data-testid=event-feedback]")

    lead.reload()
    submit(lead, "close", "已结案")
    assert fresh(event).status == Status.CLOSED


def test_a_reporter_who_declines_contact_is_recorded_and_the_event_closes(world, open_as):
    sam = make_person("sam", "孙建华", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    event = reported(world)
    Event.objects.filter(pk=event.pk).update(reporter=None, reporter_phone="13900001111", mode=Mode.DIRECT)
    s.event_settle(actor=world.oscar, event=fresh(event), note="已答复")
    page = open_as(world.oscar)
    page.goto(f"/command/events/{event.pk}/")
    page.check("#action-inform_reporter input[name=declined]")
    submit(page, "inform_reporter", "已反馈反映人")
    assert fresh(event).reporter_declined
    assert "谢绝联系" in page.inner_text("[data-testid=event-feedback]")
    lead = open_as(sam)
    lead.goto(f"/command/events/{event.pk}/")
    submit(lead, "close", "已结案")
    assert fresh(event).status == Status.CLOSED


def test_assigned_to_one_platform_goes_to_its_office(world, open_as, units):
    event = registered(world)
    page = open_as(world.oscar)
    page.goto(f"/command/events/{event.pk}/")
    page.select_option("#dispatch-lead-unit", str(world.agency.pk))
    page.check("#action-dispatch input[name=mode][value=assigned]")
    page.select_option("#action-dispatch select[name=route]", "platform")
    submit(page, "dispatch", "已派遣")
    event = fresh(event)
    assert (event.status, event.mode, event.route) == (Status.DISPATCHED, Mode.ASSIGNED, "platform")
    assert page.inner_text("[data-testid=event-mode]") == "交办"
    assert "单一平台" in page.inner_text("[data-testid=event-route]")


def test_supervised_to_several_units_of_one_platform_with_its_leader(world, open_as, units):
    leo = make_person("leo", "郑国强", Role.LEADER, division=world.township)
    event = registered(world)
    page = open_as(world.oscar)
    page.goto(f"/command/events/{event.pk}/")
    page.select_option("#dispatch-lead-unit", str(world.agency.pk))
    page.click("#action-dispatch details.assist summary")
    page.select_option("#dispatch-assist-units", [str(units["food"].pk)])
    page.check("#action-dispatch input[name=mode][value=supervised]")
    # Without a leader the dispatch is refused, with the reason next to the field.
    page.click("#action-dispatch button[type=submit]")
    page.wait_for_selector("#action-dispatch >> text=督办事件须指定责任领导")
    assert fresh(event).status == Status.REGISTERED
    page.check("#action-dispatch input[name=mode][value=supervised]")
    page.select_option("#action-dispatch select[name=leader]", str(leo.pk))
    submit(page, "dispatch", "已派遣")
    event = fresh(event)
    assert (event.mode, event.route, event.leader_id) == (Mode.SUPERVISED, "platform_units", leo.pk)
    assert SupervisionOrder.objects.filter(event=event, unit=world.agency).exists()
    assert page.inner_text("[data-testid=event-mode]") == "督办"
    assert "平台内多部门" in page.inner_text("[data-testid=event-route]")
    assert "郑国强" in page.inner_text("[data-testid=event-leader]")


def test_the_leaders_decide_a_major_matter_and_the_command_room_dispatches_it_jointly(world, open_as, units):
    leo = make_person("leo", "郑国强", Role.LEADER, division=world.township)
    event = registered(world)
    page = open_as(world.oscar)
    page.goto(f"/command/events/{event.pk}/")
    page.click("#action-box-refer_to_leaders summary")
    page.fill("#action-refer_to_leaders [name=note]", "涉及两个平台，影响较大")
    submit(page, "refer_to_leaders", "已提请领导研判")
    assert fresh(event).route == "leaders"
    assert "待领导研判" in page.inner_text("[data-testid=event-route]")
    assert page.locator("#action-dispatch").count() == 0

    leader = open_as(leo)
    leader.goto(f"/command/events/{event.pk}/")
    leader.select_option("#action-decide_route select[name=route]", "joint")
    leader.fill("#action-decide_route textarea[name=note]", "市场监管牵头，综合执法配合")
    submit(leader, "decide_route", "已领导研判")
    event = fresh(event)
    assert (event.route, event.route_note, event.leader_id) == ("joint", "市场监管牵头，综合执法配合", leo.pk)

    page.reload()
    assert "市场监管牵头" in page.inner_text("[data-testid=event-route]")
    page.select_option("#dispatch-lead-unit", str(world.agency.pk))
    page.click("#action-dispatch details.assist summary")
    page.select_option("#dispatch-assist-units", [str(units["squad"].pk)])
    submit(page, "dispatch", "已派遣")
    event = fresh(event)
    assert (event.status, event.route, event.joint) == (Status.DISPATCHED, "joint", True)


def test_beyond_the_township_the_command_room_sends_it_up_to_the_district_centre(world, open_as):
    """Seed 003's route 上报区级: a township-level matter beyond the township's powers goes up from the event page."""
    from grassroots.events.choices import Level

    from .test_generated_forms import take

    event = registered(world)
    Event.objects.filter(pk=event.pk).update(level=Level.TOWNSHIP)
    page = open_as(world.oscar)
    take(page, event, "escalate", "已升级", text={"reason": "涉及跨镇河道，超出乡镇权限"}, folded=True)
    event = fresh(event)
    assert (event.level, event.route, event.status) == (Level.DISTRICT, "district", Status.REGISTERED)
    page.goto(f"/command/events/{event.pk}/")
    assert "上报区级" in page.inner_text("[data-testid=event-route]")
