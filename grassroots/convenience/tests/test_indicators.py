"""Each indicator of the platform against a small hand-computed set of applications in March 2025, the list behind
every figure against the figure, `manage.py seed_figures` on that set, and the figures pages through HTTP."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from grassroots.assessment.indicators import Window, window_of
from grassroots.assessment.periods import CHINA
from grassroots.conftest import World, make_person
from grassroots.core.seed_figures import display_width, table_text
from grassroots.people.choices import Role

from .. import indicators as ind
from ..choices import Channel, Grade, RatingChannel, Status
from ..models import Application, Rating, Rectification
from .support import Centre, build_centre

pytestmark = pytest.mark.django_db

MARCH = (dt.datetime(2025, 3, 1, tzinfo=CHINA), dt.datetime(2025, 4, 1, tzinfo=CHINA))
AS_OF = dt.datetime(2025, 4, 10, tzinfo=CHINA)


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, tzinfo=CHINA)


@dataclass
class Scene:
    c: Centre
    world: World
    apps: dict[str, Application]


def make(c: Centre, name: str, **fields: Any) -> Application:
    created = fields.pop("created_at", None) or fields.get("accepted_at") or at(3, 15)
    rating = fields.pop("rating", None)
    fields.setdefault("item", c.permit)
    fields.setdefault("region_code", c.centre.township.code)
    application = Application.objects.create(
        number=f"BM{name}",
        centre=c.centre,
        applicant_name="沈国强",
        created_at=created,
        received_at=created,
        updated_at=created,
        rating_token=f"token-{name}",
        **fields,
    )
    if rating is not None:
        grade, rated_at, rectified_at = rating
        made = Rating.objects.create(
            application=application, grade=grade, channel=RatingChannel.DEVICE, at=rated_at
        )
        if grade in (Grade.DISSATISFIED, Grade.VERY_DISSATISFIED):
            Rectification.objects.create(
                rating=made,
                application=application,
                created_at=rated_at,
                updated_at=rated_at,
                rectified_at=rectified_at,
            )
    return application


@pytest.fixture
def scene(world: World) -> Scene:
    """Eight applications at 西塘镇 (A7 was never accepted); see the table in each test."""
    c = build_centre(world)
    w1, wendy, will, unit, agency = c.window_1, c.wendy, c.will, c.unit, world.agency
    apps = {
        "A1": make(c, "A1", window=w1, first_clerk=wendy, handling_unit=unit, accepted_at=at(3, 3),
                   decided_at=at(3, 5), status=Status.DELIVERED, visits=1,
                   rating=(Grade.VERY_SATISFIED, at(3, 6), None)),
        "A2": make(c, "A2", window=w1, first_clerk=wendy, handling_unit=unit, accepted_at=at(3, 4),
                   decided_at=at(3, 20), status=Status.ARCHIVED, late=True, visits=3,
                   rating=(Grade.DISSATISFIED, at(3, 21), at(3, 25))),
        "A3": make(c, "A3", item=c.service, channel=Channel.ONLINE, first_clerk=will, handling_unit=agency,
                   accepted_at=at(3, 10), decided_at=at(3, 11), status=Status.DECIDED, visits=0,
                   rating=(Grade.SATISFIED, at(3, 12), None)),
        "A4": make(c, "A4", item=c.service, channel=Channel.AGENT, agent=world.bob,
                   agent_village=world.village_a, region_code=world.village_a.code, first_clerk=will,
                   handling_unit=agency, accepted_at=at(3, 12), status=Status.PROCESSING),
        "A5": make(c, "A5", window=w1, first_clerk=wendy, handling_unit=unit, accepted_at=at(3, 28),
                   decided_at=at(4, 2), status=Status.DELIVERED, visits=2,
                   rating=(Grade.VERY_DISSATISFIED, at(4, 3), None)),
        "A6": make(c, "A6", window=w1, first_clerk=will, handling_unit=unit, accepted_at=at(2, 27),
                   decided_at=at(3, 3), status=Status.DELIVERED, visits=1,
                   rating=(Grade.VERY_DISSATISFIED, at(3, 4), None)),
        "A7": make(c, "A7", window=w1, first_clerk=wendy, created_at=at(3, 15), status=Status.ARCHIVED,
                   refusal_reason="不属于受理范围"),
        "A8": make(c, "A8", item=c.service, channel=Channel.PHONE, first_clerk=wendy, accepted_at=at(3, 18),
                   status=Status.WITHDRAWN),
    }  # fmt: skip
    return Scene(c, world, apps)


def march() -> Window:
    return window_of(MARCH[0], MARCH[1], AS_OF)


def numbers(rows: Any) -> set[str]:
    return {a.number.removeprefix("BM") for a in rows}


def test_the_counts_of_march_are_the_hand_counted_ones(scene):
    total = ind.figures_by(Application.objects.all(), window=march(), group=None)[0]
    assert {n: total.count(n) for n in [*ind.COUNTS, "visits", "working_days"]} == {
        "accepted": 6,  # A1 A2 A3 A4 A5 A8 (A6 was accepted in February, A7 never)
        "accepted_finished": 4,  # A1 A2 A3, and A5 decided on 2 April, before as_of
        "accepted_remote": 3,  # A3 online, A4 by an agent, A8 by phone
        "finished": 4,  # A1 A2 A3 A6 (A5 was decided in April; A7 archived undecided)
        "finished_on_time": 3,  # A2 was late
        "finished_once": 3,  # visits 1, 3, 0, 1
        "finished_zero": 1,
        "finished_over_once": 1,  # A2: a 最多跑一次 item, three visits
        "rated": 4,  # A1 5, A2 2, A3 4, A6 1 (A5 was rated in April)
        "satisfied": 2,
        "bad_rated": 2,
        "rectified": 1,  # A2's rectification is done, A6's is not
        "grade_5": 1,
        "grade_4": 1,
        "grade_3": 0,
        "grade_2": 1,
        "grade_1": 1,
        "visits": 5,
        "working_days": 21,  # March 2025: 21 weekdays, no holiday
    }
    assert {code: str(total.value(code)) for code in ind.INDICATORS} == {
        "finishing_rate": "66.67%",
        "on_time_rate": "75.00%",
        "satisfaction": "50.00%",
        "rectification_rate": "50.00%",
        "visits_per_application": "1.25",
        "at_most_once_share": "75.00%",
        "zero_visit_share": "25.00%",
        "remote_share": "50.00%",
        "daily_average": "0.3",
    }


def test_as_of_cuts_the_window_and_what_was_finished_by_then(scene):
    early = window_of(MARCH[0], MARCH[1], at(3, 15))
    total = ind.figures_by(Application.objects.all(), window=early, group=None)[0]
    assert total.count("accepted") == 4  # A1 A2 A3 A4: accepted before the 15th
    assert total.count("accepted_finished") == 2  # A2 was decided on the 20th
    assert total.count("working_days") == 10  # 3–7 and 10–14 March (the 15th is a Saturday)
    assert total.count("rectified") == 0


def test_a_rate_with_nothing_to_count_is_a_dash(scene):
    empty = window_of(at(1, 1, 0), at(1, 2, 0), AS_OF)
    total = ind.figures_by(Application.objects.all(), window=empty, group=None)[0]
    assert str(total.value("satisfaction")) == "—" and str(total.value("visits_per_application")) == "—"


def test_each_grouping_splits_the_counts_by_its_subject(scene):
    c = scene.c
    rows = Application.objects.all()

    def split(group: str) -> dict[str, tuple[int, int]]:
        return {
            f.name: (f.count("accepted"), f.count("finished"))
            for f in ind.figures_by(rows, window=march(), group=group)
        }

    assert split("township") == {"西塘镇": (6, 4)}
    assert split("window") == {f"西塘镇 {c.window_1}": (3, 3), "未经窗口（网上、电话、邮寄、代办）": (3, 1)}
    assert split("clerk") == {"吴文婷": (4, 2), "魏立新": (2, 2)}
    assert split("item") == {
        "农村宅基地建房审批（XK330421001）": (3, 3),
        "高龄津贴申领（GG330421001）": (3, 1),
    }
    assert split("department") == {c.unit.name: (3, 3), scene.world.agency.name: (2, 1), "未指定": (1, 0)}
    items = {f.key: f.count("finished_over_once") for f in ind.figures_by(rows, window=march(), group="item")}
    assert items == {c.permit.code: 1, c.service.code: 0}


def test_every_list_holds_exactly_the_applications_its_figure_counts(scene):
    rows = Application.objects.all()
    w = march()
    for group in [None, *ind.GROUPINGS]:
        for figures in ind.figures_by(rows, window=w, group=group):
            for name in ind.COUNTS:
                listed = ind.drill_rows(rows, window=w, count=name, group=group, key=figures.key)
                assert listed.count() == figures.count(name), (group, figures.key, name)
    finished = ind.drill_rows(rows, window=w, count="finished")
    assert numbers(finished) == {"A1", "A2", "A3", "A6"}
    assert sum(a.visits for a in finished) == 5
    assert numbers(ind.drill_rows(rows, window=w, count="rectified")) == {"A2"}


def test_the_catalogue_lists_are_counted_from_the_published_items(scene):
    assert ind.list_sizes() == {
        "items": 2,
        "central": 2,
        "developing": 0,
        "ecological": 0,
        "village": 1,
        "central_at_most_once": 2,
        "central_zero_visit": 1,
    }


def command_output() -> str:
    out = io.StringIO()
    call_command("seed_figures", stdout=out)
    return out.getvalue()


def line_of(output: str, what: str) -> list[str]:
    line = next(line for line in output.splitlines() if what in line)
    return line.split()


def test_seed_figures_prints_the_seeds_numbers_beside_the_computed_ones(scene):
    output = command_output()
    assert output.splitlines()[0].split() == ["种子", "指标", "种子数值", "系统计算", "说明"]
    # Over all of 西塘镇's records: A1–A6 and A8 were accepted, A1, A2, A3, A5, A6 finished.
    assert line_of(output, "西塘镇便民服务中心事项数")[2:4] == ["125", "2"]
    assert line_of(output, "西塘镇累计受理件数")[2:4] == ["8,663", "7"]
    assert line_of(output, "西塘镇累计办结件数")[2:4] == ["8,644", "5"]
    assert line_of(output, "西塘镇办结率")[2:4] == ["99.8%", "71.43%"]
    # No 魏塘街道 in this world: nothing to compute from.
    assert "无记录" in line_of(output, "望亭镇群众满意率")
    assert line_of(output, "中心镇（街道）事项清单")[2:4] == ["164", "2"]
    assert line_of(output, "“最多跑一次”事项")[2:7] == ["161", "/", "164", "2", "/"]
    assert line_of(output, "“零跑腿”事项")[2:4] == ["11", "1"]


def test_seed_figures_says_no_records_on_an_empty_database(db):
    output = command_output()
    assert all("无记录" in line for line in output.splitlines()[2:])


def test_the_seed_table_is_aligned_in_display_columns():
    text = table_text([("000", "受理件数", "8,663", "无记录", "说明"), ("004", "清单", "164", "2", "")])
    lines = text.splitlines()
    columns = zip([lines[0], lines[2], lines[3]], ["系统计算", "无记录", "2"], strict=True)
    starts = {display_width(line[: line.index(word)]) for line, word in columns}
    assert len(starts) == 1


@pytest.fixture
def leo(scene):
    return make_person("leo", "刘建华", Role.LEADER, division=scene.world.township)


def test_the_figures_page_shows_every_grouping_for_a_leader_in_few_queries(
    scene, leo, django_assert_max_num_queries
):
    client = scene.world.client_for(leo)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("convenience:figures"), {"period": "2025-03"})
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("按窗口", "吴文婷", "农村宅基地建房审批（XK330421001）", "66.67%", "1.25", "0.3"):
        assert text in html
    over_once = html[html.index('data-testid="figures-over-once"') :]
    assert "农村宅基地建房审批" in over_once[: over_once.index("</section>")]


def test_a_number_opens_the_applications_behind_it(scene, leo):
    client = scene.world.client_for(leo)
    url = reverse("convenience:figure_rows")
    page = client.get(url, {"period": "2025-03", "indicator": "finishing_rate"})
    html = page.content.decode()
    assert page.status_code == 200 and "66.67%（4 / 6）" in html
    for name in ("A1", "A2", "A3", "A4", "A5", "A8"):
        assert f"BM{name}" in html
    assert "BMA6" not in html and "BMA7" not in html
    missed = client.get(url, {"period": "2025-03", "indicator": "finishing_rate", "show": "miss"})
    assert {"BMA4", "BMA8"} == {n for n in ("BMA1", "BMA4", "BMA8") if n in missed.content.decode()}
    wendy = scene.c.wendy
    hers = client.get(url, {"period": "2025-03", "count": "accepted", "group": "clerk", "key": wendy.pk})
    html = hers.content.decode()
    assert "受理件数 4" in html and "BMA3" not in html
    assert reverse("convenience:application", args=[scene.apps["A1"].pk]) in html


def test_a_leader_of_another_township_sees_none_of_them(scene):
    from grassroots.geo.models import Division

    other = Division.objects.create(
        code="330421001", name="魏塘街道", level="township", kind="town", parent=scene.world.district
    )
    wu = make_person("wu", "吴海", Role.LEADER, division=other)
    client = scene.world.client_for(wu)
    page = client.get(reverse("convenience:figure_rows"), {"period": "2025-03", "count": "accepted"})
    assert page.status_code == 200 and "BMA1" not in page.content.decode()
    assert client.get(reverse("convenience:figures"), {"area": "330421102"}).status_code == 404


def test_a_grid_worker_may_not_open_the_figures(scene):
    assert scene.world.client_for(scene.world.alice).get(reverse("convenience:figures")).status_code == 403


def test_the_public_ratings_are_aggregates_without_applicants(scene):
    html = (
        Client()
        .get("/s/ratings/", {"period": "2025-03", "centre": "330421102", "by": "clerk"})
        .content.decode()
    )
    assert "好差评公示" in html and "吴文婷" in html and "50.00%" in html
    assert "沈国强" not in html and "BMA1" not in html


def test_the_public_ratings_show_one_grouping_at_a_time(scene):
    html = Client().get("/s/ratings/", {"period": "2025-03"}).content.decode()
    assert 'aria-current="page">按窗口' in html and "吴文婷" not in html  # windows by default, not clerks
    by_item = Client().get("/s/ratings/", {"period": "2025-03", "by": "item"}).content.decode()
    assert 'aria-current="page">按事项' in by_item
