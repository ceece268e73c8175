"""Indicators and assessment results through the API (/api/v1/indicators, /api/v1/assessment-results).

The same figures as the pages, from the same code: `selectors.indicator_table` (the 考核指标 page) and
`selectors.assessment_table` (a scheme's results, published or live), for the same viewers (`permissions.may_view`,
others 404) over an area inside their scope (`areas.area_resolve`, 404 outside). Persons as subjects are named as
the people API names them: masked by role, and an unmasked name is an audited read.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from grassroots.audit.services import audit_entry_build, audit_record_many
from grassroots.core.errors import InvalidInput
from grassroots.events.schemas import ErrorOut
from grassroots.people.selectors import personal_data, sees_personal_data

from .areas import Area, area_resolve
from .choices import PeriodKind, SubjectKind
from .figures import Subject
from .indicators import indicators_for, rate_of
from .periods import Period, period_current, period_parse
from .permissions import require_viewer
from .schemas import (
    AssessmentAreaOut,
    AssessmentIndicatorDefOut,
    AssessmentIndicatorQuery,
    AssessmentIndicatorRowOut,
    AssessmentIndicatorTableOut,
    AssessmentPartScoreOut,
    AssessmentPeriodOut,
    AssessmentRateOut,
    AssessmentResultQuery,
    AssessmentResultRowOut,
    AssessmentResultTableOut,
    AssessmentSchemeOut,
    AssessmentSubjectOut,
)
from .scoring import PartScore
from .selectors import assessment_table, indicator_table, schemes_active
from .views.figures import default_kind, kinds_for

indicators_router = Router(tags=["indicators"])
results_router = Router(tags=["assessment-results"])
ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _period(key: str) -> Period:
    return period_parse(key) if key.strip() else period_current(PeriodKind.MONTH)


def _period_out(p: Period) -> AssessmentPeriodOut:
    return AssessmentPeriodOut(key=p.key, kind=p.kind, label=p.label, start=p.start, end=p.end)


def _area_out(area: Area) -> AssessmentAreaOut:
    return AssessmentAreaOut(code=area.code, name=area.name)


def _subjects_out(
    viewer: Any, kind: str, subjects: list[Subject], purpose: str
) -> list[AssessmentSubjectOut]:
    """Subjects as the viewer may see them: a person's name masked by role, each unmasked one an audited read."""
    if kind != SubjectKind.PERSON:
        return [AssessmentSubjectOut(key=s.key, name=s.name, code=s.code, parent=s.parent) for s in subjects]
    out, unmasked = [], []
    for s in subjects:
        pk = int(s.key) if s.key.isdigit() else None
        name = personal_data(viewer=viewer, name=s.name, subject_id=pk)["name"]
        if sees_personal_data(viewer, pk) and pk != viewer.pk:
            unmasked.append(s)
        out.append(AssessmentSubjectOut(key=s.key, name=name, code=s.code, parent=s.parent))
    audit_record_many(
        audit_entry_build(
            actor=viewer,
            action="personal_data.read",
            object_type="people.person",
            object_id=s.key,
            object_repr=s.name,
            detail={"fields": ["name"], "purpose": purpose},
        )
        for s in unmasked
    )
    return out


def _rate_out(code: str, counts: dict[str, int]) -> AssessmentRateOut:
    rate = rate_of(code, counts)
    return AssessmentRateOut(numerator=rate.numerator, denominator=rate.denominator, percent=rate.percent)


@indicators_router.get(
    "",
    response={200: AssessmentIndicatorTableOut, **ERRORS},
    summary="考核指标：某类对象在某周期、某区域的计数与比率（与考核指标页相同），按指标排名",
    operation_id="indicator_table",
)
def indicator_list(
    request: HttpRequest, query: Query[AssessmentIndicatorQuery]
) -> AssessmentIndicatorTableOut:
    viewer = request.user
    require_viewer(viewer)
    area = area_resolve(viewer, query.area)
    period = _period(query.period)
    kind = query.subject or default_kind(area)
    if kind not in {k for k, _ in kinds_for(viewer)}:
        raise InvalidInput("考核对象不正确", code="unknown_subject", details={"subject": kind})
    indicators = indicators_for(kind)
    codes = [i.code for i in indicators]
    sort = query.sort or ("on_time_completion" if "on_time_completion" in codes else codes[0])
    if sort not in codes:
        raise InvalidInput("排名指标不适用于该考核对象", code="unknown_indicator", details={"sort": sort})
    as_of = timezone.now()
    rows = indicator_table(viewer=viewer, kind=kind, period=period, area=area, sort=sort, as_of=as_of)
    if query.key:
        rows = [r for r in rows if r.figures.key == query.key]
        if not rows:
            raise Http404("考核对象不存在或不在所选区域内")
    subjects = _subjects_out(viewer, kind, [r.figures.subject for r in rows], "api.indicators")
    return AssessmentIndicatorTableOut(
        period=_period_out(period),
        area=_area_out(area),
        subject_kind=kind,
        sort=sort,
        as_of=as_of,
        indicators=[
            AssessmentIndicatorDefOut(
                code=i.code,
                label=i.label,
                numerator=i.numerator,
                denominator=i.denominator,
                higher_is_better=i.higher_is_better,
                definition=i.definition,
            )
            for i in indicators
        ],
        items=[
            AssessmentIndicatorRowOut(
                subject=subject,
                rank=r.rank,
                previous_rank=r.previous_rank,
                counts={n: v for n, v in r.figures.counts.items() if not n.startswith("prev_")},
                rates={code: _rate_out(code, r.figures.counts) for code in codes},
            )
            for r, subject in zip(rows, subjects, strict=True)
        ],
    )


def _scheme_out(s: Any) -> AssessmentSchemeOut:
    return AssessmentSchemeOut(
        code=s.code,
        name=s.name,
        subject_kind=s.subject_kind,
        unit_kind=s.unit_kind,
        agency_class=s.agency_class,
        description=s.description,
    )


@results_router.get(
    "/schemes",
    response={200: list[AssessmentSchemeOut], **ERRORS},
    summary="启用的考核方案",
    operation_id="assessment_scheme_list",
)
def scheme_list(request: HttpRequest) -> list[AssessmentSchemeOut]:
    require_viewer(request.user)
    return [_scheme_out(s) for s in schemes_active().order_by("subject_kind", "code")]


def _part_out(p: PartScore) -> AssessmentPartScoreOut:
    return AssessmentPartScoreOut(**p.as_json())


@results_router.get(
    "",
    response={200: AssessmentResultTableOut, **ERRORS},
    summary="考核结果：某方案在某周期、某区域的得分、等次和名次（已发布的为冻结结果，否则实时计算）",
    operation_id="assessment_result_table",
)
def result_table(request: HttpRequest, query: Query[AssessmentResultQuery]) -> AssessmentResultTableOut:
    viewer = request.user
    require_viewer(viewer)
    scheme = schemes_active().filter(code=query.scheme).first()
    if scheme is None:
        raise Http404("考核方案不存在")
    area = area_resolve(viewer, query.area)
    period = _period(query.period)
    table = assessment_table(viewer=viewer, scheme=scheme, period=period, area=area)
    subjects = _subjects_out(
        viewer, scheme.subject_kind, [r.subject for r in table.rows], "api.assessment_results"
    )
    published = table.published
    return AssessmentResultTableOut(
        scheme=_scheme_out(scheme),
        period=_period_out(period),
        area=_area_out(area),
        as_of=table.as_of,
        published=published is not None,
        version=published.version if published is not None else None,
        items=[
            AssessmentResultRowOut(
                subject=subject,
                score=r.score,
                grade=r.grade,
                rank=r.rank,
                previous_rank=r.previous_rank,
                previous_score=r.previous_score,
                parts=[_part_out(p) for p in r.parts],
                counts=r.counts,
            )
            for r, subject in zip(table.rows, subjects, strict=True)
        ],
    )
