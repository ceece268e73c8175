"""The enforcement officer's phone in Chromium (390×844): evidence with a photo on a case and a daily report; and a
daily report made offline, kept in the outbox and sent exactly once when the network returns."""

import pytest

from grassroots.enforcement.models import DailyReport, Evidence
from grassroots.enforcement.tests.support import build_team, filed_case

from .phone_support import GEO, photo, wait_for_service_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _wait_for_worker(page) -> None:
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=20_000
    )
    page.wait_for_function(
        "caches.open('zfphone-pages').then(c => c.keys()).then(k => k.length >= 4)", timeout=20_000
    )


def test_an_officer_records_evidence_with_a_photo_and_submits_the_daily_report(world, open_as):
    team = build_team(world)
    case = filed_case(team)
    page = open_as(team.olga, phone=True, **GEO)
    page.goto("/enforcement/m/")
    page.click("#go-cases")
    page.click(f"a[href='/enforcement/m/cases/{case.pk}/']")
    assert "调查取证" in page.inner_text("[data-testid=case-facts]")
    page.select_option("#kind", "photo")
    page.set_input_files("#file", files=[photo("摊位.png")])
    page.fill("#description", "摊位占用人行道约 6 平方米")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#evidence-submit")
    page.wait_for_selector("#evidence-done:not([hidden])")
    assert page.inner_text("#evidence-done-title") == "已登记证据"
    evidence = Evidence.objects.get(case=case)
    assert evidence.description == "摊位占用人行道约 6 平方米" and evidence.taken_by == team.olga
    assert evidence.lon == pytest.approx(120.885) and evidence.lat == pytest.approx(30.945)
    assert evidence.content_type == "image/png" and len(evidence.sha256) == 64
    assert evidence.receipt.key and len(evidence.receipt.key) == 36

    page.goto("/enforcement/m/report/")
    page.fill("#checked", "7")
    page.fill("#places", "南苑路沿街商铺\n钢材市场东门")
    page.fill("#problems_found", "1")
    page.fill("#problems", "一处占道经营")
    page.set_input_files("#photos", files=[photo("巡查.png")])
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#daily-submit")
    page.wait_for_selector("#daily-done:not([hidden])")
    assert page.inner_text("#daily-done-title") == "已上报"
    report = DailyReport.objects.get()
    assert (report.officer, report.checked, report.problems_found, report.late) == (team.olga, 7, 1, False)
    assert report.photos.count() == 1 and report.lat == pytest.approx(30.945)


def test_a_daily_report_made_offline_is_sent_exactly_once_when_the_network_returns(world, open_as):
    team = build_team(world)
    page = open_as(team.owen, phone=True, **GEO)
    page.goto("/enforcement/m/")
    _wait_for_worker(page)
    page.context.set_offline(True)

    response = page.goto("/enforcement/m/report/")
    assert response.from_service_worker  # the page kept by the worker
    assert page.locator("#net-status").is_visible()
    page.fill("#checked", "4")
    page.fill("#places", "夜查卡点")
    page.wait_for_function("document.getElementById('lat').value !== ''")
    page.click("#daily-submit")
    page.wait_for_selector("#daily-done:not([hidden])")
    assert page.inner_text("#daily-done-title") == "已保存到待发送"
    page.click("#daily-done-queue")
    page.wait_for_selector("#zf-queue .zf-q")
    assert page.inner_text("#zf-queue .zf-q-state") == "待发送"
    assert not DailyReport.objects.exists()

    page.context.set_offline(False)
    page.wait_for_function(
        "document.querySelector('#zf-queue .zf-q-state').textContent === '已发送'", timeout=20_000
    )
    report = DailyReport.objects.get()
    assert report.officer == team.owen and report.checked == 4 and report.places == "夜查卡点"

    # Sent again under the same key (a retry after a lost answer): still one report.
    page.evaluate(
        """async () => {
            const [item] = await GridOutbox.all(ZfPhone.user);
            item.state = "pending";
            await GridOutbox.put(item);
            await ZfPhone.flush();
        }"""
    )
    page.wait_for_function("document.querySelector('#zf-queue .zf-q-state').textContent === '已发送'")
    assert DailyReport.objects.count() == 1


def test_the_grid_workers_worker_and_the_officers_share_the_outbox_without_clashing(world, open_as):
    """The grid worker's service worker still installs and caches its pages (the outbox change kept it whole)."""
    page = open_as(world.alice, phone=True, **GEO)
    page.goto("/m/")
    wait_for_service_worker(page)
