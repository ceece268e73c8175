"""The phone pages over HTTP: who may open them, what they list, and the report form without JavaScript."""

import uuid

import pytest
from django.urls import reverse

from grassroots.audit.models import AuditEntry
from grassroots.conftest import make_person
from grassroots.events.choices import AttachmentPhase, Source, Status
from grassroots.events.models import Event
from grassroots.people.choices import Role

from .support import IN_GRID_A, IN_GRID_B, fed_back, png, reported, to_verify

pytestmark = pytest.mark.django_db

PAGES = ["mobile:home", "mobile:report", "mobile:queue", "mobile:tasks", "mobile:visits", "mobile:visit_new"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", PAGES)
def test_a_grid_worker_opens_every_phone_page(world, name):
    response = world.client_for(world.alice).get(reverse(name))
    assert response.status_code == 200
    assert "网格01" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("person", ["bob", "oscar", "dora"])
def test_people_outside_the_grid_teams_get_404_on_the_phone_pages(world, name, person):
    response = world.client_for(getattr(world, person)).get(reverse(name))
    assert response.status_code == 404


def test_a_grid_worker_without_a_grid_gets_404(world):
    loose = make_person("gus", "孙大伟", Role.GRID_WORKER, division=world.village_a)
    assert world.client_for(loose).get(reverse("mobile:home")).status_code == 404


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("mobile:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_home_page_shows_the_grid_tasks_and_the_installable_app(world):
    to_verify(world)
    html = world.client_for(world.alice).get(reverse("mobile:home")).content.decode()
    assert "红菱村 · 网格01" in html
    assert 'id="go-tasks"' in html and '<span class="m-count hot">1</span>' in html
    assert "manifest.webmanifest" in html
    assert reverse("mobile:service_worker") in html


def test_the_report_page_groups_types_by_the_nine_grid_classes_with_search_words(world):
    html = world.client_for(world.alice).get(reverse("mobile:report")).content.decode()
    for label in ["治安稳定", "城市管理", "环境保护", "公共服务"]:
        assert f"<summary>{label}" in html
    assert 'data-search="暴露垃圾 垃圾 堆放 脏乱 市容环境 城市管理 ZF0101"' in html
    assert 'capture="environment"' in html and 'accept="image/*"' in html
    assert 'id="fix-section"' in html


def test_a_grid_instructor_reports_but_is_not_offered_to_fix_on_the_spot(world):
    instructor = make_person(
        "ivy", "钱文静", Role.GRID_INSTRUCTOR, grid=world.grid_a, division=world.village_a
    )
    html = world.client_for(instructor).get(reverse("mobile:report")).content.decode()
    assert 'id="fix-section"' not in html


# -- the report form without JavaScript --------------------------------------------------------------------


def _report(world, **fields):
    data = {"event_type": "ZF0103", "description": "河边新搭了棚子", **IN_GRID_A, **fields}
    return world.client_for(world.alice).post(reverse("mobile:report"), data)


def test_the_report_form_creates_a_patrol_event_with_its_photo(world):
    response = _report(world, photos=[png()], idempotency_key=str(uuid.uuid4()))
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.source == Source.PATROL and event.reporter == world.alice
    assert event.title == "私搭乱建"  # the type's name when no title is given
    assert event.grid == world.grid_a
    assert event.attachments.get().phase == AttachmentPhase.REPORT


def test_posting_the_same_form_twice_creates_one_event(world):
    key = str(uuid.uuid4())
    _report(world, photos=[png()], idempotency_key=key)
    _report(world, photos=[png()], idempotency_key=key)
    assert Event.objects.count() == 1


def test_fixing_on_the_spot_reports_and_closes_the_loop_at_grid_level(world):
    response = _report(
        world, event_type="ZF0101", fixed="on", fix_note="已清理", photos=[png()], after_photos=[png()]
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Status.SELF_HANDLED
    assert sorted(event.attachments.values_list("phase", flat=True)) == [
        AttachmentPhase.AFTER,
        AttachmentPhase.REPORT,
    ]


def test_a_fix_on_the_spot_the_type_does_not_allow_creates_nothing(world):
    response = _report(world, event_type="ZF0103", fixed="on", photos=[png()], after_photos=[png()])
    assert response.status_code == 422
    assert "该类事件不允许网格员自行处置" in response.content.decode()
    assert not Event.objects.exists()


def test_a_fix_without_after_photos_is_refused_next_to_the_field(world):
    response = _report(world, event_type="ZF0101", fixed="on")
    assert response.status_code == 422
    assert "至少一张照片" in response.content.decode()
    assert not Event.objects.exists()


def test_the_form_says_what_is_missing_and_keeps_what_was_typed(world):
    response = _report(world, lon="", lat="", address="", title="河边棚子")
    html = response.content.decode()
    assert response.status_code == 422
    assert "请提供位置（经纬度）或地址" in html
    assert 'value="河边棚子"' in html and "河边新搭了棚子" in html
    assert not Event.objects.exists()


# -- tasks -------------------------------------------------------------------------------------------------


def test_tasks_list_reports_to_verify_and_handling_to_check_on_the_workers_grid_only(world):
    verify = to_verify(world)
    check = fed_back(world, title="我网格的违建")
    elsewhere = fed_back(world, where=IN_GRID_B, title="别的网格")
    untouched = reported(world, title="刚上报")
    html = world.client_for(world.alice).get(reverse("mobile:tasks")).content.decode()
    assert reverse("mobile:task", args=[verify.pk]) in html
    assert reverse("mobile:task", args=[check.pk]) in html
    assert reverse("mobile:task", args=[elsewhere.pk]) not in html
    assert reverse("mobile:task", args=[untouched.pk]) not in html
    assert "待核实" in html and "待核查" in html


def test_a_verification_elsewhere_is_listed_for_the_worker_sent_there(world):
    event = to_verify(world, where=IN_GRID_B)
    html = world.client_for(world.alice).get(reverse("mobile:tasks")).content.decode()
    assert reverse("mobile:task", args=[event.pk]) in html


def test_the_tasks_list_runs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for _ in range(3):
        fed_back(world)
    to_verify(world)
    client = world.client_for(world.alice)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("mobile:tasks")).status_code == 200


def test_a_task_page_shows_directions_and_the_units_feedback(world):
    event = fed_back(world)
    html = world.client_for(world.alice).get(reverse("mobile:task", args=[event.pk])).content.decode()
    assert 'href="geo:30.945000,120.885000?q=30.945000,120.885000"' in html
    assert "30.94500, 120.88500" in html
    assert "已拆除" in html and "西塘市场监管所" in html


def test_the_verifier_finds_the_report_true_on_site_with_a_photo(world):
    event = to_verify(world)
    response = world.client_for(world.alice).post(
        reverse("mobile:task", args=[event.pk]), {"result": "1", "note": "确有违建", "photos": [png()]}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.VERIFIED
    assert event.attachments.filter(phase=AttachmentPhase.CHECK).count() == 1


def test_the_check_passes_on_site(world):
    event = fed_back(world)
    response = world.client_for(world.alice).post(reverse("mobile:task", args=[event.pk]), {"result": "1"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.CHECKED


def test_a_failed_check_needs_a_reason_shown_next_to_the_note(world):
    event = fed_back(world)
    client = world.client_for(world.alice)
    response = client.post(reverse("mobile:task", args=[event.pk]), {"result": "0", "note": ""})
    assert response.status_code == 422
    assert "核查不通过须说明原因" in response.content.decode()
    response = client.post(reverse("mobile:task", args=[event.pk]), {"result": "0", "note": "棚子还在"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.DISPATCHED and event.rework_count == 1


def test_someone_elses_task_and_an_out_of_grid_event_answer_404(world):
    other = make_person("gus", "孙大伟", Role.GRID_WORKER, grid=world.grid_b, division=world.village_b)
    mine = to_verify(world)
    elsewhere = fed_back(world, where=IN_GRID_B)
    client = world.client_for(world.alice)
    assert world.client_for(other).get(reverse("mobile:task", args=[mine.pk])).status_code == 404
    assert client.get(reverse("mobile:task", args=[elsewhere.pk])).status_code == 404
    assert client.post(reverse("mobile:task", args=[elsewhere.pk]), {"result": "1"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.FED_BACK


def test_reading_a_task_masks_nobody_the_worker_may_not_see(world):
    event = to_verify(world)
    Event.objects.filter(pk=event.pk).update(reporter_name="刘德明")
    html = world.client_for(world.alice).get(reverse("mobile:task", args=[event.pk])).content.decode()
    assert "刘*明" in html and "刘德明" not in html
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()


# -- the installable app -----------------------------------------------------------------------------------


def test_the_service_worker_is_served_under_m_with_the_app_shell(client):
    response = client.get(reverse("mobile:service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    body = response.content.decode()
    for url in [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/mobile/mobile.css",
    ]:
        assert url in body
    assert '"/m/report/"' in body and "gridtong-outbox" in body


def test_the_manifest_names_the_app_and_its_icons(client):
    import json

    from django.contrib.staticfiles import finders

    path = finders.find("mobile/manifest.webmanifest")
    assert isinstance(path, str)
    with open(path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    assert (
        manifest["name"] == "网格通"
        and manifest["start_url"] == "/m/"
        and manifest["display"] == "standalone"
    )
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(f"mobile/{icon['src']}")
