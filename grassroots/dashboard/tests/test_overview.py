"""The overview's figures against the case book counted by hand (see conftest.py), through HTTP."""

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from grassroots.conftest import make_person
from grassroots.dashboard.selectors import overview as overview_selectors
from grassroots.dashboard.selectors import overview_figures
from grassroots.people.choices import Role

URL = "/dashboard/"


def by_key(rows):
    return {row.key: row.figures for row in rows}


def four(f):
    """Today's intake, open, overdue, closed today."""
    return (f.intake_today, f.open, f.overdue, f.closed_today)


def test_the_headline_counts_are_todays_intake_open_overdue_and_closed_today(casebook):
    data = overview_figures(viewer=casebook.world.oscar)
    # e2 and e4 reported today; e1 and e2 open; e1 past its deadline; e3 closed at 09:30.
    assert four(data.totals) == (2, 2, 1, 1)


def test_the_platform_split_adds_up_to_the_totals(casebook):
    platforms = by_key(overview_figures(viewer=casebook.world.oscar).by_platform)
    assert list(platforms) == ["governance", "market", "enforcement", "service"]
    assert four(platforms["enforcement"]) == (1, 1, 1, 0)
    assert four(platforms["governance"]) == (1, 1, 0, 0)
    assert four(platforms["market"]) == (0, 0, 0, 1)
    assert four(platforms["service"]) == (0, 0, 0, 0)


def test_the_level_split_puts_the_self_handled_patrol_report_at_level_one(casebook):
    levels = by_key(overview_figures(viewer=casebook.world.oscar).by_level)
    assert list(levels) == ["1", "2", "3", "4"]
    assert four(levels["1"]) == (1, 0, 0, 0)
    assert four(levels["3"]) == (1, 2, 1, 1)
    assert four(levels["2"]) == four(levels["4"]) == (0, 0, 0, 0)


def test_the_trend_counts_reports_and_closures_per_local_day_over_thirty_days(casebook):
    trend = overview_figures(viewer=casebook.world.oscar).trend
    assert len(trend.days) == 30
    assert trend.days[0] == dt.date(2026, 2, 10) and trend.days[-1] == dt.date(2026, 3, 11)
    reported = dict(zip(trend.days, trend.reported, strict=True))
    closed = dict(zip(trend.days, trend.closed, strict=True))
    assert reported[dt.date(2026, 3, 2)] == 1 and reported[dt.date(2026, 3, 3)] == 1
    assert reported[dt.date(2026, 3, 11)] == 2 and sum(trend.reported) == 4
    assert closed[dt.date(2026, 3, 11)] == 1 and sum(trend.closed) == 1


def test_the_unit_with_an_overdue_assignment_in_hand_is_ranked(casebook):
    units = overview_figures(viewer=casebook.world.oscar).units_overdue
    assert [(u.name, u.open, u.overdue) for u in units] == [("西塘市场监管所", 1, 1)]


def test_on_time_handling_counts_assignments_that_fell_due_in_the_last_thirty_days(casebook, monkeypatch):
    # e3 fell due 10 Mar and was fed back 5 Mar (on time); e1 fell due 9 Mar and is still in hand: 1 of 2.
    assert overview_figures(viewer=casebook.world.oscar).units_on_time == []  # fewer than MIN_DUE
    monkeypatch.setattr(overview_selectors, "MIN_DUE", 2)
    units = overview_figures(viewer=casebook.world.oscar).units_on_time
    assert [(u.name, u.due, u.on_time, u.on_time_rate) for u in units] == [("西塘市场监管所", 2, 1, 0.5)]


def test_grids_are_ranked_by_overdue_then_open_events(casebook):
    grids = overview_figures(viewer=casebook.world.oscar).grids
    w = casebook.world
    assert [(g.code, g.open, g.overdue) for g in grids] == [(w.grid_a.code, 1, 1), (w.grid_b.code, 1, 0)]


def test_a_village_coordinators_figures_cover_only_their_village(casebook):
    w = casebook.world
    carol = make_person("carol2", "周协调", Role.PLATFORM_COORDINATOR, division=w.village_b)
    data = overview_figures(viewer=carol)
    assert four(data.totals) == (1, 1, 0, 0)
    assert [g.code for g in data.grids] == [w.grid_b.code]
    assert data.units_overdue == []


def test_the_page_shows_the_figures_and_the_trend_data(casebook):
    response = casebook.world.client_for(casebook.world.oscar).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for kind, value in [("intake", 2), ("open", 2), ("overdue", 1), ("closed", 1)]:
        assert f'data-figure="{kind}">{value}<' in html
    trend = response.context["trend"]
    assert trend["reported"][-1] == 2 and trend["labels"] == {"reported": "上报", "closed": "结案"}
    assert 'hx-trigger="every 30s"' in html and "echarts.min.js" in html


def test_the_htmx_refresh_gets_only_the_figures_fragment(casebook):
    client = casebook.world.client_for(casebook.world.oscar)
    response = client.get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="overview-figures"')
    assert "<html" not in html and 'data-figure="overdue">1<' in html
    assert 'id="trend-data"' in html


def test_the_wall_mode_has_its_own_body_class_and_keeps_it_on_refresh(casebook):
    client = casebook.world.client_for(casebook.world.oscar)
    html = client.get(URL, {"screen": "1"}).content.decode()
    assert 'class="dashboard screen"' in html
    assert 'hx-get="/dashboard/?screen=1"' in html


def test_an_htmx_refresh_after_the_session_ended_sends_the_page_to_login(client):
    response = client.get(
        URL, headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/dashboard/"}
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/login/?next=")


@pytest.mark.urls("grassroots.dashboard.tests.urls")
def test_each_figure_links_to_the_queue_filtered_the_same_way(casebook):
    w = casebook.world
    data = overview_figures(viewer=w.oscar)

    def query(url):
        parts = urlsplit(url)
        assert parts.path == reverse("events:queue")
        return {k: v[0] for k, v in parse_qs(parts.query).items()}

    assert query(data.links["overdue"]) == {"light": "red"}
    assert query(data.links["open"]) == {"status": "open"}
    assert query(data.links["closed_today"]) == {"status": "closed"}
    assert query(data.links["intake_today"]) == {"status": "all", "sort": "new"}
    enforcement = next(r for r in data.by_platform if r.key == "enforcement")
    assert query(enforcement.links["overdue"]) == {"light": "red", "platform": "enforcement"}
    level3 = next(r for r in data.by_level if r.key == "3")
    assert query(level3.links["open"]) == {"status": "open", "level": "3"}
    assert query(data.units_overdue[0].link) == {"light": "red", "unit": str(w.agency.pk)}
    assert query(data.grids[0].link) == {"grid": w.grid_a.code}
    html = w.client_for(w.oscar).get(URL).content.decode()
    assert f'href="{data.links["closed_today"]}"' in html
    assert f'href="{enforcement.links["overdue"]}"'.replace("&", "&amp;") in html


def test_the_overview_answers_in_a_fixed_number_of_queries(casebook, django_assert_max_num_queries):
    client = casebook.world.client_for(casebook.world.oscar)
    # session, user, figures, 2 trend series, 2 unit rankings, grids, scope label, unread count,
    # session save (3 with its savepoint)
    with django_assert_max_num_queries(13):
        client.get(URL)
    with django_assert_max_num_queries(13):  # the fragment has the header too; the unread count still runs
        client.get(URL, headers={"HX-Request": "true"})


@pytest.mark.parametrize(
    "role",
    [
        Role.OPERATOR,
        Role.DISPATCHER,
        Role.SHIFT_LEAD,
        Role.CENTRE_OPERATOR,
        Role.LEADER,
        Role.PLATFORM_COORDINATOR,
    ],
)
def test_command_roles_and_platform_coordinators_see_the_overview(world, role):
    person = make_person(f"p-{role}", "某人", role, division=world.township)
    assert world.client_for(person).get(URL).status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        Role.GRID_WORKER,
        Role.VILLAGE_STAFF,
        Role.DEPARTMENT_STAFF,
        Role.INSPECTOR,
        Role.SYSTEM_ADMIN,
        Role.AUDIT_ADMIN,
    ],
)
def test_other_roles_get_404_for_the_overview(world, role):
    person = make_person(f"p-{role}", "某人", role, division=world.village_a)
    assert world.client_for(person).get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_trend_data_is_embedded_as_json(casebook):
    html = casebook.world.client_for(casebook.world.oscar).get(URL).content.decode()
    start = html.index('<script id="trend-data" type="application/json">') + len(
        '<script id="trend-data" type="application/json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["days"][-1] == "03-11" and data["closed"][-1] == 1
