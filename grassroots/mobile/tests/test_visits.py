"""The visit log (走访日志): recorded in the worker's grid, audited, listed by month, masked by role."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.mobile.choices import VisitKind
from grassroots.mobile.models import Visit
from grassroots.mobile.selectors import mask_address, visits_shown, visits_this_month
from grassroots.mobile.services import visit_link_event, visit_record
from grassroots.people.choices import Role

from .support import IN_GRID_B, reported, to_verify

pytestmark = pytest.mark.django_db


def _visit(person, **fields):
    data = {"kind": VisitKind.HOUSEHOLD, "household": "陈阿婆", "address": "红菱村3组12号", **fields}
    return visit_record(actor=person, **data)


@pytest.fixture
def gus(world):
    """A grid worker of grid B."""
    return make_person("gus", "孙大伟", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)


@pytest.fixture
def ann(world):
    """A second grid worker of grid A."""
    return make_person("ann", "周小芳", Role.GRID_WORKER, grid=world.grid_a, division=world.village_a)


def test_a_visit_is_recorded_on_the_workers_grid_and_audited_without_the_name(world):
    visit = _visit(world.alice, follow_up=True, lon=120.885, lat=30.945)
    assert visit.grid == world.grid_a and visit.region_code == world.grid_a.code
    entry = AuditEntry.objects.get(action="visit.record")
    assert entry.object_id == str(visit.pk)
    assert "陈阿婆" not in str(entry.detail) and entry.detail["follow_up"] is True


def test_only_grid_teams_record_visits(world):
    with pytest.raises(Forbidden):
        _visit(world.bob)


def test_a_visit_needs_whom_and_a_time_not_in_the_future(world):
    with pytest.raises(InvalidInput) as exc:
        _visit(world.alice, household=" ", visited_at=timezone.now() + dt.timedelta(hours=2), lon=120.0)
    assert set(exc.value.details) == {"household", "visited_at", "location"}


def test_a_visit_links_the_event_it_spawned_once(world):
    visit = _visit(world.alice)
    event = reported(world)
    visit_link_event(actor=world.alice, visit=visit, event=event)
    visit_link_event(actor=world.alice, visit=visit, event=event)  # again: nothing changes
    assert Visit.objects.get().event == event
    assert AuditEntry.objects.filter(action="visit.link_event").count() == 1
    with pytest.raises(Conflict):
        visit_link_event(actor=world.alice, visit=visit, event=reported(world, title="另一件"))


def test_nobody_links_someone_elses_visit(world, ann):
    visit = _visit(world.alice)
    with pytest.raises(Forbidden):
        visit_link_event(actor=ann, visit=visit, event=reported(world))


def test_a_visit_cannot_claim_an_event_out_of_scope(world, gus):
    visit = _visit(gus)
    event = to_verify(world)  # grid A, not visible to Gus
    with pytest.raises(InvalidInput):
        visit_link_event(actor=gus, visit=visit, event=event)


def test_grid_workers_see_their_own_grids_visits_only(world, gus, ann):
    _visit(world.alice)
    _visit(ann, household="周家")
    _visit(gus, household="鸦鹊村王家")
    assert {v.household for v in visits_this_month(viewer=world.alice, mine=False)} == {"陈阿婆", "周家"}
    assert {v.household for v in visits_this_month(viewer=world.alice, mine=True)} == {"陈阿婆"}
    assert {v.household for v in visits_this_month(viewer=gus, mine=False)} == {"鸦鹊村王家"}


def test_last_months_visits_are_not_counted(world):
    _visit(world.alice, visited_at=timezone.now() - dt.timedelta(days=40))
    assert not visits_this_month(viewer=world.alice, mine=True).exists()


def test_a_colleagues_household_is_masked_and_an_enterprise_is_not(world, ann):
    _visit(ann, household="周建国")
    _visit(ann, kind=VisitKind.ENTERPRISE, household="红菱米业有限公司", address="红菱村工业路8号")
    rows = visits_shown(
        viewer=world.alice, visits=visits_this_month(viewer=world.alice, mine=False), purpose="t"
    )
    shown = {(r.household, r.address) for r in rows}
    assert ("周*国", "红菱村*组**号") in shown
    assert ("红菱米业有限公司", "红菱村工业路8号") in shown
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


def test_the_command_room_sees_households_unmasked_and_the_read_is_audited(world):
    _visit(world.alice, household="周建国")
    rows = visits_shown(viewer=world.oscar, visits=Visit.objects.all(), purpose="test")
    assert rows[0].household == "周建国" and not rows[0].masked
    assert AuditEntry.objects.filter(action="personal_data.read", object_type="mobile.visit").count() == 1


def test_mask_address_hides_house_numbers():
    assert mask_address("红菱村3组12号") == "红菱村*组**号"


# -- pages -------------------------------------------------------------------------------------------------


def test_the_visit_form_records_a_visit_and_can_go_on_to_report(world):
    client = world.client_for(world.alice)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data = {
        "kind": "key_person",
        "household": "独居老人张大爷",
        "visited_at": now,
        "notes": "屋顶漏雨",
        "follow_up": "on",
    }
    response = client.post(reverse("mobile:visit_new"), {**data, "then": "report"})
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mobile:report')}?visit={visit.pk}"
    assert visit.follow_up and visit.kind == VisitKind.KEY_PERSON
    html = client.get(response["Location"]).content.decode()
    assert f'name="visit" id="visit-id" value="{visit.pk}"' in html


def test_the_visit_form_keeps_the_input_and_says_what_is_missing(world):
    response = world.client_for(world.alice).post(
        reverse("mobile:visit_new"),
        {"kind": "household", "household": "", "visited_at": "", "notes": "聊了低保"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写走访对象" in html and "请填写走访时间" in html and "聊了低保" in html


def test_the_visit_list_counts_this_months_visits_by_kind(world):
    _visit(world.alice)
    _visit(world.alice, kind=VisitKind.ENTERPRISE, household="米厂", follow_up=True)
    html = world.client_for(world.alice).get(reverse("mobile:visits")).content.decode()
    assert '<b id="visit-total">2</b>' in html
    assert "<b>1</b><span>入户走访</span>" in html and "<b>1</b><span>企业走访</span>" in html
    assert "陈阿婆" in html and "米厂" in html


def test_the_grid_list_shows_colleagues_visits_masked(world, ann, gus):
    _visit(ann, household="周建国")
    _visit(gus, household="鸦鹊村王家")
    html = world.client_for(world.alice).get(reverse("mobile:visits") + "?scope=grid").content.decode()
    assert "周*国" in html and "周建国" not in html
    assert "王家" not in html and "王*家" not in html


def test_the_visit_list_runs_a_fixed_number_of_queries(world, ann, django_assert_max_num_queries):
    for i in range(5):
        _visit(world.alice, household=f"户{i}", event=reported(world, title=f"事件{i}"))
        _visit(ann, household=f"邻{i}")
    client = world.client_for(world.alice)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("mobile:visits") + "?scope=grid").status_code == 200


def test_the_visit_list_pages_with_an_htmx_fragment(world):
    for i in range(25):
        _visit(world.alice, household=f"户{i:02d}", visited_at=timezone.now() - dt.timedelta(minutes=i))
    client = world.client_for(world.alice)
    html = client.get(reverse("mobile:visits")).content.decode()
    assert "户00" in html and "户24" not in html and "加载更多" in html
    fragment = client.get(
        reverse("mobile:visits") + "?scope=mine&page=2", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "户24" in fragment and "<html" not in fragment


def test_the_phone_links_a_sent_report_to_its_visit(world):
    visit = _visit(world.alice)
    event = reported(world)
    client = world.client_for(world.alice)
    response = client.post(reverse("mobile:visit_link", args=[visit.pk]), {"event_id": event.pk})
    assert response.status_code == 200
    visit.refresh_from_db()
    assert visit.event == event


def test_linking_a_visit_of_another_grid_answers_404(world, gus):
    visit = _visit(gus)
    event = reported(world, where=IN_GRID_B)
    response = world.client_for(world.alice).post(
        reverse("mobile:visit_link", args=[visit.pk]), {"event_id": event.pk}
    )
    assert response.status_code == 404
