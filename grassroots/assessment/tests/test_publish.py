"""Publishing freezes a period's figures and scores; re-running is explicit and audited; and the stored figures
agree with a naive recomputation from the raw events."""

from collections import Counter

import pytest

from grassroots.assessment import figures as fig
from grassroots.assessment.models import Assessment, AssessmentResult, Scheme
from grassroots.assessment.periods import period_parse
from grassroots.assessment.selectors import assessment_live, assessment_table
from grassroots.assessment.services import assessment_publish, assessment_rerun
from grassroots.assessment.tests.reference import reference_counts, township_key, unit_key
from grassroots.assessment.tests.scenario import AS_OF
from grassroots.audit.models import AuditEntry
from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.events import services as s

pytestmark = pytest.mark.django_db
TOWNSHIP = fig.Area("330421102", "西塘镇")
MARCH = period_parse("2026-03")


def close_e10(scenario):
    """A late closing of E10 (due 24 March): it changes March's completion rate."""
    w, at = scenario.world, scenario.clock.at
    e10 = scenario.e("E10")
    at("2026-04-16 09:00")
    s.event_sign(actor=scenario.eve, event=e10)
    at("2026-04-16 10:00")
    s.event_feed_back(actor=scenario.eve, event=scenario.e("E10"), feedback="已处置")
    at("2026-04-16 14:00")
    s.event_check(actor=scenario.world.oscar, event=scenario.e("E10"), passed=True)
    at("2026-04-17 09:00")
    s.event_close(actor=scenario.sam, event=scenario.e("E10"))
    assert w  # the world is unchanged otherwise


def township_row(table_rows, scenario):
    return next(r for r in table_rows if r.subject.key == str(scenario.world.township.pk))


def test_a_published_result_does_not_move_when_the_records_do(scenario):
    scheme = Scheme.objects.get(code="township")
    published = assessment_publish(actor=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP)
    frozen = township_row(
        assessment_table(viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP).rows, scenario
    )
    assert frozen.counts["closed_of_due"] == 7
    close_e10(scenario)
    live = township_row(
        assessment_live(
            viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP, as_of=scenario.clock.now
        ),
        scenario,
    )
    assert live.counts["closed_of_due"] == 8 and live.score != frozen.score
    again = township_row(
        assessment_table(viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP).rows, scenario
    )
    assert again.counts == frozen.counts and again.score == frozen.score
    assert published.version == 1


def test_re_running_is_an_explicit_audited_new_version(scenario):
    scheme = Scheme.objects.get(code="township")
    published = assessment_publish(actor=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP)
    close_e10(scenario)
    with pytest.raises(InvalidInput):
        assessment_rerun(actor=scenario.leo, assessment=published, reason=" ")
    rerun = assessment_rerun(actor=scenario.leo, assessment=published, reason="E10 补办结")
    assert rerun.version == 2
    row = township_row(
        assessment_table(viewer=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP).rows, scenario
    )
    assert row.counts["closed_of_due"] == 8
    assert AssessmentResult.objects.filter(assessment=rerun, version=1).exists()  # the old version is kept
    actions = list(
        AuditEntry.objects.filter(object_type="assessment.assessment")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["assessment.publish", "assessment.rerun"]
    entry = AuditEntry.objects.get(action="assessment.rerun")
    assert entry.detail["reason"] == "E10 补办结" and entry.detail["changed_subjects"] == [
        str(scenario.world.township.pk)
    ]


def test_publishing_is_refused_twice_for_an_open_period_and_for_operators(scenario):
    scheme = Scheme.objects.get(code="township")
    assessment_publish(actor=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP)
    with pytest.raises(Conflict):
        assessment_publish(actor=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP)
    with pytest.raises(Conflict):
        assessment_publish(actor=scenario.leo, scheme=scheme, period=period_parse("2026-04"), area=TOWNSHIP)
    with pytest.raises(Forbidden):
        assessment_publish(
            actor=scenario.world.oscar, scheme=scheme, period=period_parse("2026-02"), area=TOWNSHIP
        )


def test_the_published_figures_equal_a_recomputation_from_the_raw_events(scenario):
    """Stored counts, for every subject of two schemes, against tests/reference.py: plain Python over the rows."""
    for code, key in (("township", township_key), ("zhenhai-agency", unit_key)):
        scheme = Scheme.objects.get(code=code)
        assessment = assessment_publish(actor=scenario.leo, scheme=scheme, period=MARCH, area=TOWNSHIP)
        expected = reference_counts(
            region_prefix=TOWNSHIP.code, start=MARCH.start, end=MARCH.end, as_of=assessment.as_of, key=key
        )
        stored = AssessmentResult.objects.filter(assessment=assessment)
        assert stored.exists()
        for result in stored:
            counts: Counter[str] = expected.get(int(result.subject_key), Counter())
            for name, value in result.counts.items():
                if name in fig.COUNTS:
                    assert value == counts.get(name, 0), (code, result.subject_name, name)


def test_the_sql_figures_equal_the_reference_for_every_unit_and_township_in_every_month(scenario):
    for key in ("2026-02", "2026-03", "2026-04"):
        period = period_parse(key)
        for kind, keyfn in (("township", township_key), ("unit", unit_key)):
            expected = reference_counts(
                region_prefix=TOWNSHIP.code, start=period.start, end=period.end, as_of=AS_OF, key=keyfn
            )
            names = [n for n in fig.COUNTS if fig.key_expr(fig.COUNTS[n].relation, kind) is not None]
            rows = fig.figures_by_subject(
                viewer=scenario.leo, kind=kind, period=period, area=TOWNSHIP, as_of=AS_OF, extra=names
            )
            for row in rows:
                for name in names:
                    assert row.counts[name] == expected.get(int(row.key), Counter())[name], (
                        key,
                        kind,
                        row.subject.name,
                        name,
                    )


def test_the_results_page_publishes_and_shows_the_frozen_state(scenario):
    scheme = Scheme.objects.get(code="township")
    client = scenario.world.client_for(scenario.leo)
    url = f"/assessment/schemes/{scheme.pk}/"
    assert "发布并冻结本期结果" in client.get(url + "?period=2026-03").content.decode()
    response = client.post(url + "publish/", {"period": "2026-03", "area": TOWNSHIP.code})
    assert response.status_code == 302
    assert Assessment.objects.filter(scheme=scheme, period_key="2026-03").exists()
    page = client.get(response["Location"]).content.decode()
    assert "已发布（第 1 版）" in page
    response = client.post(url + "rerun/", {"period": "2026-03", "area": TOWNSHIP.code, "reason": ""})
    assert "请填写重新计算的理由" in client.get(response["Location"]).content.decode()
    operator = scenario.world.client_for(scenario.world.oscar)
    assert "发布并冻结本期结果" not in operator.get(url + "?period=2026-02").content.decode()
