"""The demo's convenience services: the seed's lists, 西塘镇's figures, records consistent with their status, and
the same build for the same seed.

The district, its catalogue and its applications are built once for the module inside a transaction that is
rolled back at the end.
"""

import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from grassroots.convenience.choices import (
    BAD_GRADES,
    FINISHED_STATUSES,
    OPEN_STATUSES,
    REMOTE_CHANNELS,
    RectificationStatus,
    Status,
    TownshipType,
)
from grassroots.convenience.models import (
    Application,
    ApplicationHistory,
    InPersonVisit,
    Rating,
    Rectification,
    ServiceCentre,
    ServiceItem,
)
from grassroots.convenience.selectors import AGENT_ROLES
from grassroots.convenience.services import (
    application_apply,
    application_decide,
    application_receive,
    application_supply,
    rectification_contact,
)
from grassroots.demo.catalogue_data import SEARCH_WORDS, catalogue
from grassroots.demo.convenience import (
    ConvenienceResult,
    build_demo_applications,
    build_demo_catalogue,
    delete_demo_convenience,
)
from grassroots.demo.district import build_demo_district
from grassroots.demo.management.commands.demo import Command
from grassroots.demo.names import DEMO_PASSWORD
from grassroots.org.models import BackupPost
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workflow.choices import ResultKind
from grassroots.workflow.clocks import clock_consumed
from grassroots.workflow.models import Clock, ClockPause

pytestmark = pytest.mark.django_db

# Yesterday at this minute: the catalogue the district publishes is in force from well before it.
UNTIL = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(days=1)
XITANG, WEITANG = "330421102", "330421001"


@pytest.fixture(scope="module")
def built(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[ConvenienceResult, float]]:
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_district(seed=7)  # with the catalogue and the centres
        started = time.monotonic()
        result = build_demo_applications(seed=7, until=UNTIL)
        yield result, time.monotonic() - started
        transaction.set_rollback(True)


def _xitang() -> Any:
    return Application.objects.filter(centre__township__code=XITANG)


def test_the_catalogue_is_seed_004s_lists(built: Any) -> None:
    items = ServiceItem.objects.in_force(UNTIL)
    assert items.filter(in_central=True).count() == 164
    assert items.filter(in_developing=True).count() == 124
    assert items.filter(in_ecological=True).count() == 79
    assert items.filter(at_village=True).count() == 36
    central = items.filter(in_central=True)
    assert central.filter(at_most_once=True).count() == 161
    assert central.filter(zero_visit=True).count() == 11
    assert len({i.code for i in catalogue()}) == 164
    for item in items.annotate(n=Count("materials")):
        assert 1 <= item.n <= 4, item
        assert item.promised_limit <= item.statutory_limit, item
        assert not item.catalogue_problems(), item


def test_each_township_has_a_centre_of_its_type_with_windows(built: Any) -> None:
    types = dict(ServiceCentre.objects.values_list("township__code", "township_type"))
    assert types[XITANG] == types[WEITANG] == TownshipType.CENTRAL
    assert types["330421400"] == TownshipType.DEVELOPING
    for centre in ServiceCentre.objects.annotate(n=Count("windows")):
        assert 3 <= centre.n <= 6 and centre.unit.code == f"{centre.township.code}-BMFW"


def test_xitang_accepted_8663_and_finished_8644(built: Any) -> None:
    apps = _xitang()
    assert apps.count() == 8663
    assert apps.filter(accepted_at__isnull=False).count() == 8663
    assert apps.filter(status__in=FINISHED_STATUSES).count() == 8644
    open_ = apps.filter(status__in=OPEN_STATUSES)
    assert set(open_.values_list("status", flat=True)) == {Status.PROCESSING, Status.CORRECTING}


def test_weitang_is_busy_remote_and_fully_satisfied(built: Any) -> None:
    apps = Application.objects.filter(centre__township__code=WEITANG)
    days = apps.dates("received_at", "day").count()
    assert 125 <= apps.count() / days <= 155
    remote = apps.filter(channel__in=REMOTE_CHANNELS).count()
    assert remote / apps.count() >= 0.9
    ratings = Rating.objects.filter(application__in=apps)
    assert ratings.exists() and not ratings.filter(grade__lt=4).exists()


def test_the_figures_have_their_exceptions(built: Any) -> None:
    apps = Application.objects.all()
    assert apps.filter(visits__lte=1).count() / apps.count() > 0.95
    assert apps.filter(visits=2, item__at_most_once=True).exists()
    assert apps.filter(late=True).exists() and apps.filter(notices__isnull=False).exists()
    assert Rating.objects.filter(grade__in=BAD_GRADES).exists()
    states = set(Rectification.objects.values_list("status", flat=True))
    assert states == set(RectificationStatus.values)
    assert {Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.SUSPENDED} <= set(
        apps.values_list("status", flat=True)
    )


def test_history_and_clock_agree_with_the_status(built: Any) -> None:
    ids = list(Application.objects.values_list("pk", flat=True))
    sample = random.Random(3).sample(ids, 400)
    open_ids = list(Application.objects.filter(status__in=OPEN_STATUSES).values_list("pk", flat=True))
    for app in Application.objects.filter(pk__in=sample + open_ids).select_related("item"):
        history = list(ApplicationHistory.objects.filter(application=app).exclude(action__startswith="rect"))
        assert history[-1].to_status == app.status, app
        for before, after in itertools.pairwise(history):
            assert after.from_status == before.to_status and after.at >= before.at, app
        assert app.version == len(history), app
        assert app.visits == InPersonVisit.objects.filter(application=app).count()
        clocks = list(Clock.objects.filter(workflow="application", object_id=app.pk))
        if app.status == Status.FORWARDED:
            assert not clocks
            continue
        (clock,) = clocks
        pauses = list(ClockPause.objects.filter(clock=clock))
        if app.status in (Status.CORRECTING, Status.SUSPENDED):
            assert clock.state == "paused" and clock.due_at is None and app.due_at is None
            assert [p.ended_at for p in pauses][-1] is None
        elif app.status in OPEN_STATUSES:
            assert clock.state == "running" and clock.due_at is not None and clock.due_at == app.due_at
            assert clock.due_at > UNTIL
            assert clock_consumed(clock, UNTIL) < clock.budget_seconds
        else:
            assert clock.state == "stopped" and all(p.ended_at for p in pauses)
            assert clock.overdue == app.late or app.status in (Status.NOT_ACCEPTED, Status.WITHDRAWN)
        assert clock.started_at == app.received_at


def test_bad_ratings_have_rectifications_with_their_clocks(built: Any) -> None:
    for rect in Rectification.objects.select_related("rating"):
        assert rect.rating.grade in BAD_GRADES
        clocks = {c.name: c for c in Clock.objects.filter(workflow="rectification", object_id=rect.pk)}
        assert set(clocks) == {"callback", "rectify"}
        contacted = rect.status != RectificationStatus.OPEN
        assert (clocks["callback"].state == "stopped") == contacted
        assert rect.late == any(c.overdue for c in clocks.values())


def test_the_build_is_quick_and_the_same_for_a_seed(built: Any) -> None:
    result, seconds = built
    assert seconds < 60
    assert result.applications == Application.objects.count()

    def fingerprint() -> list[tuple[Any, ...]]:
        return list(
            Application.objects.order_by("pk").values_list(
                "item__code", "status", "channel", "applicant_name", "received_at", "decided_at", "visits"
            )
        )

    first = fingerprint()
    delete_demo_convenience()
    assert not Application.objects.exists() and not ServiceItem.objects.exists()
    assert not Clock.objects.filter(Q(workflow="application") | Q(workflow="rectification")).exists()
    build_demo_catalogue(seed=7, valid_from=UNTIL - dt.timedelta(days=200))
    build_demo_applications(seed=7, until=UNTIL)
    assert fingerprint() == first


def test_the_window_and_agent_logins_work_at_xitang(built: Any) -> None:
    window = Person.objects.select_related("unit").get(username="window")
    assert window.role == Role.WINDOW_CLERK and window.unit is not None
    assert window.unit.code == f"{XITANG}-BMFW" and BackupPost.objects.filter(holder=window).exists()
    assert ServiceCentre.objects.get(unit=window.unit).township.code == XITANG
    agent = Person.objects.get(username="agent")
    assert agent.role in AGENT_ROLES and agent.region_code == f"{XITANG}201"
    assert agent.check_password(DEMO_PASSWORD)
    assert Application.objects.filter(agent__isnull=False, centre__township__code=XITANG).exists()


def test_the_command_prints_the_lists_and_the_seed_figures(built: Any) -> None:
    out = StringIO()
    Command(stdout=out)._report_convenience(built[0], 1.0)
    text = out.getvalue()
    assert "便民服务：事项 164/124/79（村级 36），办件" in text
    assert "西塘镇：受理 8663 件，办结 8644 件（99.8%）" in text


def test_the_services_carry_on_where_the_build_stopped(built: Any) -> None:
    """The real steps find the clocks and versions the build left: decide, supply, receive, call back, apply."""
    now = timezone.now()
    apps = Application.objects.select_related("item", "centre", "handler")
    processing = apps.filter(status=Status.PROCESSING, centre__township__code=XITANG).first()
    assert processing is not None
    handler = processing.handler
    assert handler is not None
    application_decide(actor=handler, application=processing, result=ResultKind.GRANTED, now=now)
    assert Clock.objects.get(workflow="application", object_id=processing.pk).state == "stopped"

    correcting = apps.filter(status=Status.CORRECTING).first()
    assert correcting is not None
    clerk = correcting.handler
    assert clerk is not None
    application_supply(actor=clerk, application=correcting, in_person=False, now=now)
    assert Clock.objects.get(workflow="application", object_id=correcting.pk).state == "running"

    forwarded = apps.filter(status=Status.FORWARDED).first()
    assert forwarded is not None
    window = Person.objects.filter(role=Role.WINDOW_CLERK, unit_id=forwarded.centre.unit_id).first()
    application_receive(actor=window, application=forwarded, now=now)
    assert forwarded.due_at is not None

    rect = Rectification.objects.filter(status=RectificationStatus.OPEN).select_related("application").first()
    assert rect is not None
    owner = rect.owner
    rectification_contact(actor=owner, rectification=rect, note="已回访", now=now)

    clerk = Person.objects.get(username="window")
    fresh = application_apply(actor=clerk, item_code=processing.item.code, applicant_name="沈伟", now=now)
    assert fresh.pk > processing.pk and fresh.number.startswith("BJ")


def test_the_words_residents_search_with_name_items_of_the_catalogue():
    names = {spec.name for spec in catalogue()}
    assert set(SEARCH_WORDS) <= names, set(SEARCH_WORDS) - names
