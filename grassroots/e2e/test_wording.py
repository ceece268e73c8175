"""What pages say, read in Chromium: days without a stray ".0", a time question a citizen can read, and a public
status that agrees with the timeline under it."""

import pytest

from grassroots.conftest import make_person
from grassroots.e2e.phone_support import file_public_report
from grassroots.events import services
from grassroots.events.choices import Source
from grassroots.events.models import EventType
from grassroots.open311.tests.conftest import ensure_catalogue
from grassroots.org.models import Platform
from grassroots.people.choices import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _catalogue(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    ensure_catalogue()


def test_an_extension_request_reads_in_whole_working_days(world, open_as):
    Platform.objects.create(township=world.township, kind="enforcement", lead_unit=world.agency)
    event = services.event_report(
        actor=world.alice,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="河边私搭简易棚",
        lon=120.885,
        lat=30.945,
    ).event
    services.event_register(actor=world.oscar, event=event)
    services.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    services.event_sign(actor=world.dora, event=event)
    services.event_request_extension(actor=world.dora, event=event, days="5", reason="需等当事人回乡")

    lead = make_person("sam", "孙值班", Role.SHIFT_LEAD, division=world.township, unit=world.command_room)
    page = open_as(lead)
    page.goto(f"/command/events/{event.pk}/")
    requests = page.inner_text("#requests")
    assert "申请延长 5 个工作日" in requests and "5.0" not in requests
    options = page.locator("#action-decide_extension select[name=request] option").all_inner_texts()
    assert any("申请延长 5 个工作日" in o for o in options) and not any("5.0" in o for o in options)


def test_the_public_form_asks_for_a_time_in_words_not_an_iso_timestamp(world, open_as):
    page = open_as(None, phone=True)
    page.goto("/report/")
    page.select_option("#id_service_code", "ZF0301")
    page.wait_for_selector("input[name='attribute[noise_time]']")
    question = page.inner_text("#attributes")
    assert "噪音发生时间" in question
    assert "T22:30" not in question and "+08:00" not in question
    assert "点选日期和时间" in question


def test_the_tracking_page_does_not_say_accepted_before_the_report_is_registered(world, open_as):
    page = open_as(None, phone=True)
    file_public_report(page, "村口的路灯晚上不亮")
    assert page.inner_text("#status") == "待受理"
    assert "等待受理" in page.inner_text("#timeline")
