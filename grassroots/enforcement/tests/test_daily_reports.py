"""Daily reports (每日巡查上报): due 24 hours after the day's end to the second, late ones kept and flagged, one per
day or shift, certificates checked, idempotent by the phone's key; evidence from the phone idempotent too."""

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.conftest import make_person
from grassroots.core.errors import Conflict, InvalidInput
from grassroots.e2e.phone_support import photo_png
from grassroots.people.choices import Role
from grassroots.workcal.calendar import SHANGHAI

from ..models import DailyReport, Evidence
from ..models.plans import PostKind, ShiftKind
from ..services.daily_reports import daily_report_submit, report_due_at, today_in_china
from ..services.plan_figures import report_timeliness
from ..services.plans import post_create, roster_assign, station_create
from .support import certify, filed_case

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 2)
DUE = dt.datetime(2026, 3, 4, 0, 0, tzinfo=SHANGHAI)  # the end of 2 March (3 March 00:00) + 24 hours


def _photo(name: str = "现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo_png(), content_type="image/png")


def test_the_report_is_due_24_hours_after_the_days_end(settings):
    assert report_due_at(DAY) == DUE
    settings.ENFORCEMENT_DAILY_REPORT_HOURS = 48
    assert report_due_at(DAY) == DUE + dt.timedelta(hours=24)


def test_a_report_at_the_24th_hour_exactly_is_on_time_and_a_second_later_is_late(team):
    on_time = daily_report_submit(actor=team.olga, day=DAY, checked=5, now=DUE).report
    assert (on_time.late, on_time.due_at, on_time.submitted_at) == (False, DUE, DUE)
    late = daily_report_submit(actor=team.owen, day=DAY, checked=3, now=DUE + dt.timedelta(seconds=1)).report
    assert late.late is True
    figures = report_timeliness(unit=team.unit, first=DAY, last=DAY)
    assert (figures.reports, figures.late, figures.rate) == (2, 1, 0.5)
    assert list(figures.late_records) == [late]


def test_the_setting_moves_the_deadline(team, settings):
    settings.ENFORCEMENT_DAILY_REPORT_HOURS = 12
    report = daily_report_submit(
        actor=team.olga, day=DAY, checked=1, now=dt.datetime(2026, 3, 3, 12, 0, 1, tzinfo=SHANGHAI)
    ).report
    assert report.late


def test_a_replay_with_the_same_key_answers_the_first_report(team):
    first = daily_report_submit(
        actor=team.olga, day=DAY, checked=5, photos=[_photo()], idempotency_key="k-1", now=DUE
    )
    again = daily_report_submit(
        actor=team.olga, day=DAY, checked=9, photos=[_photo()], idempotency_key="k-1", now=DUE
    )
    assert first.created and not again.created
    assert again.report.pk == first.report.pk and again.report.checked == 5
    assert DailyReport.objects.count() == 1 and first.report.photos.count() == 1
    # The same day under another key is a second report of the day: refused.
    with pytest.raises(Conflict) as caught:
        daily_report_submit(actor=team.olga, day=DAY, checked=9, idempotency_key="k-2", now=DUE)
    assert caught.value.code == "daily_report_exists"
    # Another officer's key does not collide.
    assert daily_report_submit(actor=team.owen, day=DAY, checked=1, idempotency_key="k-1", now=DUE).created


def test_the_photo_is_kept_with_its_digest_and_only_photos_are_taken(team):
    report = daily_report_submit(actor=team.olga, day=DAY, checked=2, photos=[_photo()], now=DUE).report
    photo = report.photos.get()
    assert (
        photo.content_type == "image/png"
        and len(photo.sha256) == 64
        and str(photo.file.name).endswith(".png")
    )
    with pytest.raises(InvalidInput) as caught:
        daily_report_submit(
            actor=team.owen, day=DAY, checked=2, photos=[SimpleUploadedFile("a.txt", b"hello")], now=DUE
        )
    assert caught.value.code == "unsupported_file_type"


def test_certificates_and_the_pool_are_checked_on_the_day(team):
    with pytest.raises(InvalidInput) as expired:
        daily_report_submit(actor=team.expired, day=DAY, checked=1, now=DUE)
    assert expired.value.code == "officer_certificate_invalid"
    with pytest.raises(InvalidInput) as outside:
        daily_report_submit(actor=team.rita, day=DAY, checked=1, now=DUE)
    assert outside.value.code == "officer_not_in_pool"
    ending = make_person("eve", "叶薇", Role.INSPECTOR, unit=team.unit)
    certify(ending, team.unit, 70, valid_to=dt.date(2026, 3, 1))
    assert daily_report_submit(actor=ending, day=dt.date(2026, 3, 1), checked=1, now=DUE).created
    with pytest.raises(InvalidInput) as after:
        daily_report_submit(actor=ending, day=DAY, checked=1, now=DUE)
    assert after.value.code == "officer_certificate_invalid"


def test_what_cannot_be_reported(team):
    cases: list[tuple[dict[str, Any], str]] = [
        ({"day": DUE.date() + dt.timedelta(days=1)}, "report_day_in_future"),
        ({"checked": 2, "problems_found": 3}, "report_problems_exceed_checked"),
        ({"checked": "x"}, "report_count_invalid"),
        ({"checked": -1}, "report_count_invalid"),
        ({"lon": 120.9}, "place_bad_coordinates"),
        ({"photos": [_photo(f"{n}.png") for n in range(10)]}, "too_many_photos"),
    ]
    for changes, code in cases:
        values = {"actor": team.olga, "day": DAY, "checked": 1, "now": DUE, **changes}
        with pytest.raises(InvalidInput) as caught:
            daily_report_submit(**values)
        assert caught.value.code == code, changes
    assert not DailyReport.objects.exists()


def test_a_report_tied_to_a_roster_shift(team):
    station = station_create(actor=team.rita, unit=team.unit, name="南站")
    post = post_create(actor=team.rita, station=station, name="夜查卡点", kind=PostKind.FIXED)
    night = roster_assign(actor=team.rita, post=post, officer=team.olga, day=DAY, kind=ShiftKind.NIGHT)
    report = daily_report_submit(actor=team.olga, day=DAY, checked=4, shift=night, now=DUE).report
    assert report.shift == night and list(night.reports.all()) == [report]
    # The day's own report (no shift) is another report; the shift's a second time is refused.
    assert daily_report_submit(actor=team.olga, day=DAY, checked=2, now=DUE).created
    with pytest.raises(Conflict) as again:
        daily_report_submit(actor=team.olga, day=DAY, checked=1, shift=night, now=DUE)
    assert again.value.code == "daily_report_exists"
    with pytest.raises(InvalidInput) as theirs:
        daily_report_submit(actor=team.owen, day=DAY, checked=1, shift=night, now=DUE)
    assert theirs.value.code == "shift_not_yours"
    with pytest.raises(InvalidInput) as wrong_day:
        daily_report_submit(actor=team.olga, day=DAY - dt.timedelta(days=1), checked=1, shift=night, now=DUE)
    assert wrong_day.value.code == "shift_day_mismatch"


# -- through HTTP, as the phone's outbox sends ----------------------------------------------------------------


def test_the_phone_endpoint_answers_a_replay_with_the_first_report(team, client):
    client.force_login(team.olga)
    form = {
        "day": today_in_china().isoformat(),
        "checked": "6",
        "places": "钢材市场\n南苑路",
        "photos": [_photo()],
    }
    first = client.post("/enforcement/m/report/", form, headers={"Idempotency-Key": "abc"})
    assert first.status_code == 201 and first.json()["created"] is True
    form["photos"] = [_photo()]
    again = client.post("/enforcement/m/report/", form, headers={"Idempotency-Key": "abc"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    report = DailyReport.objects.get()
    assert report.places == "钢材市场\n南苑路" and report.late is False and report.photos.count() == 1
    refused = client.post(
        "/enforcement/m/report/", {"checked": "1", "problems_found": "2"}, headers={"Idempotency-Key": "z"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "report_problems_exceed_checked"


def test_the_phone_endpoint_answers_401_to_the_outbox_and_403_to_a_non_officer(team, client):
    response = client.post("/enforcement/m/report/", {"checked": "1"}, headers={"Idempotency-Key": "abc"})
    assert response.status_code == 401
    assert client.get("/enforcement/m/").status_code == 302  # the login page
    client.force_login(team.rita)
    response = client.post("/enforcement/m/report/", {"checked": "1"}, headers={"Idempotency-Key": "abc"})
    assert response.status_code == 403 and response.json()["code"] == "not_permitted"
    assert not DailyReport.objects.exists()


def test_evidence_from_the_phone_is_recorded_once_per_key(team, client):
    case = filed_case(team)
    client.force_login(team.olga)
    url = f"/enforcement/m/cases/{case.pk}/"
    form = {
        "kind": "photo",
        "description": "摊位占用人行道",
        "lon": "120.885",
        "lat": "30.945",
        "taken_at": "2026-01-05T09:30",
    }
    first = client.post(url, {**form, "file": _photo()}, headers={"Idempotency-Key": "ev-1"})
    assert first.status_code == 201
    again = client.post(url, {**form, "file": _photo()}, headers={"Idempotency-Key": "ev-1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    evidence = Evidence.objects.get(case=case)
    assert evidence.taken_at == dt.datetime(2026, 1, 5, 9, 30, tzinfo=SHANGHAI)
    assert evidence.lon == pytest.approx(120.885) and len(evidence.sha256) == 64
    assert evidence.taken_by == team.olga
    # A case the officer is not on is not found; an officer not on it cannot add.
    client.force_login(team.officers[2])
    assert (
        client.post(url, {**form, "file": _photo()}, headers={"Idempotency-Key": "ev-2"}).status_code == 404
    )
    assert client.get("/enforcement/m/cases/").status_code == 200


def test_the_phone_pages_show_my_cases_with_their_clock(team, client):
    case = filed_case(team)
    client.force_login(team.owen)
    page = client.get("/enforcement/m/cases/").content.decode()
    assert str(case) in page and "办案期限" in page and "调查取证" in page
    assert client.get("/enforcement/m/").status_code == 200
    assert client.get("/enforcement/m/report/").status_code == 200
    assert client.get("/enforcement/m/queue/").status_code == 200
    sw = client.get("/enforcement/m/sw.js")
    assert sw.status_code == 200 and "mobile/outbox.js" in sw.content.decode()


def test_todays_shift_shows_on_the_phone_and_its_report_on_the_roster(team, client):
    today = today_in_china()
    station = station_create(actor=team.rita, unit=team.unit, name="钢材市场执法站")
    post = post_create(actor=team.rita, station=station, name="市场东门卡口", kind=PostKind.FIXED)
    night = roster_assign(actor=team.rita, post=post, officer=team.olga, day=today, kind=ShiftKind.NIGHT)
    client.force_login(team.olga)
    home = client.get("/enforcement/m/").content.decode()
    assert "钢材市场执法站 · 市场东门卡口" in home and "夜间设卡夜查" in home and "上报本班巡查" in home
    form = client.get(f"/enforcement/m/report/?shift={night.pk}").content.decode()
    assert f'<option value="{night.pk}" selected>' in form
    client.post("/enforcement/m/report/", {"day": today.isoformat(), "checked": "3", "shift": str(night.pk)})
    assert DailyReport.objects.get().shift == night
    assert "已上报" in client.get("/enforcement/m/").content.decode()
    client.force_login(team.rita)
    roster = client.get(
        f"/enforcement/plans/{team.unit.pk}/stations/?week={today.isoformat()}"
    ).content.decode()
    assert "欧阳青 · 夜间设卡夜查" in roster and "已上报 3" in roster
