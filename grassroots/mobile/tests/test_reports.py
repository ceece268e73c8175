"""A grid worker's own reports on the phone: the list, and one report with its record, result and photos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.conftest import make_person
from grassroots.events import services as s
from grassroots.events.choices import Source
from grassroots.events.models import EventType
from grassroots.people.choices import Role

from ..views.common import PAGE_SIZE
from .support import IN_GRID_A, IN_GRID_B, fed_back, reported, to_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def detail(event) -> str:
    return reverse("mobile:report_detail", args=[event.pk])


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_home_links_each_recent_report_to_its_page_and_to_the_whole_list(world):
    event = reported(world, title="桥头违建")
    html = world.client_for(world.alice).get(reverse("mobile:home")).content.decode()
    assert f'href="{detail(event)}"' in html
    assert f'href="{reverse("mobile:my_reports")}"' in html


def test_my_reports_lists_only_my_own_reports_newest_first_and_pages_on(world):
    ivy = make_person("ivy", "钱文静", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)
    s.event_report(
        actor=ivy,
        event_type=EventType.objects.get(code="ZF0103"),
        source=Source.PATROL,
        title="别人的",
        **IN_GRID_A,
    )
    mine = [reported(world, title=f"我的{i}") for i in range(PAGE_SIZE + 1)]
    client = world.client_for(world.alice)
    html = client.get(reverse("mobile:my_reports")).content.decode()
    assert "别人的" not in html
    assert html.index(f"我的{PAGE_SIZE}<") < html.index(f"我的{PAGE_SIZE - 1}<")
    assert f'href="{detail(mine[-1])}?from=mine"' in html
    assert 'hx-get="?page=2"' in html
    more = client.get(reverse("mobile:my_reports") + "?page=2", HTTP_HX_REQUEST="true").content.decode()
    assert "我的0<" in more and "<html" not in more


def test_the_list_runs_the_same_queries_for_one_report_or_many(world):
    client = world.client_for(world.alice)
    reported(world)
    one = queries(client, reverse("mobile:my_reports"))
    for _ in range(5):
        fed_back(world)
    assert queries(client, reverse("mobile:my_reports")) == one


def test_the_report_page_shows_status_light_record_result_and_photos(world):
    event = fed_back(world, title="桥头违建")
    html = world.client_for(world.alice).get(detail(event)).content.decode()
    assert 'id="report-status">已反馈<' in html
    assert 'class="light green"' in html  # the clock runs again for the check on site
    for label in ["上报", "立案", "派遣", "签收", "反馈"]:
        assert f"<strong>{label}</strong>" in html
    assert html.count("<li>", html.index('id="report-timeline"')) == event.transitions.count()
    result = html[html.index('id="report-result"') :]
    assert "已拆除" in result and "西塘市场监管所" in result
    attachment = event.attachments.get()
    assert (
        reverse("api:event_attachment", kwargs={"event_id": event.pk, "attachment_id": attachment.pk}) in html
    )


def test_a_report_without_a_result_says_who_is_handling_it(world):
    event = reported(world)
    s.event_register(actor=world.oscar, event=event)
    s.event_dispatch(actor=world.oscar, event=event, lead_unit_id=world.agency.pk)
    html = world.client_for(world.alice).get(detail(event)).content.decode()
    assert "西塘市场监管所正在办理，尚无处置结果。" in html


def test_the_report_page_runs_the_same_queries_for_a_short_or_a_long_record(world):
    client = world.client_for(world.alice)
    short = queries(client, detail(reported(world)))
    assert queries(client, detail(fed_back(world))) == short


def test_the_back_arrow_returns_to_the_list_the_report_was_opened_from(world):
    event = reported(world)
    client = world.client_for(world.alice)
    assert f'class="m-back" href="{reverse("mobile:home")}"' in client.get(detail(event)).content.decode()
    html = client.get(detail(event) + "?from=mine").content.decode()
    assert f'class="m-back" href="{reverse("mobile:my_reports")}"' in html


def test_the_reporter_and_anyone_whose_scope_covers_the_event_may_open_it(world):
    on_a = reported(world)
    mine_on_b = reported(world, where=IN_GRID_B)
    ivy = make_person("ivy", "钱文静", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)
    gus = make_person("gus", "孙大伟", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    assert world.client_for(world.alice).get(detail(mine_on_b)).status_code == 200  # the reporter, elsewhere
    assert world.client_for(ivy).get(detail(on_a)).status_code == 200  # the same grid
    assert world.client_for(ivy).get(detail(mine_on_b)).status_code == 404  # neither reporter nor in scope
    assert world.client_for(gus).get(detail(on_a)).status_code == 404
    assert world.client_for(gus).get(detail(mine_on_b)).status_code == 200
    assert world.client_for(world.alice).get(reverse("mobile:report_detail", args=[99999])).status_code == 404


@pytest.mark.parametrize("name", ["mobile:my_reports", "mobile:report_detail"])
def test_people_outside_the_grid_teams_get_404(world, name):
    event = reported(world)
    args = [event.pk] if name == "mobile:report_detail" else []
    assert world.client_for(world.oscar).get(reverse(name, args=args)).status_code == 404


def test_a_caller_reported_by_phone_is_masked_for_the_grid_worker(world):
    event = to_verify(world)
    event.reporter_name, event.reporter_phone = "李四海", "13900001111"
    event.save(update_fields=["reporter_name", "reporter_phone"])
    html = world.client_for(world.alice).get(detail(event)).content.decode()
    assert "李四海" not in html and "13900001111" not in html
    assert "陈志强" in html  # the operator who took the call, in the record


def test_a_report_that_waits_for_the_worker_on_site_leads_to_the_task(world):
    to_check = fed_back(world)
    done = reported(world)
    client = world.client_for(world.alice)
    task_url = reverse("mobile:task", args=[to_check.pk])
    assert f'id="go-task" href="{task_url}"' in client.get(detail(to_check)).content.decode()
    assert 'id="go-task"' not in client.get(detail(done)).content.decode()
