"""Every write of the assessment app: publish or re-run a period's results, enter a manual rating, export, and
build reports in the background. Keyword-only, typed, atomic, audited in the same transaction."""

import datetime as dt
import logging
import threading
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from grassroots.people.actors import Actor
from grassroots.people.models import Person

from . import figures as fig
from .analysis import report_data
from .choices import JobStatus, PartMethod, ReportKind, SubjectKind
from .models import Assessment, AssessmentResult, ManualRating, ReportJob, Scheme, SchemePart
from .periods import Period, period_parse
from .permissions import may_publish, may_rate
from .selectors import assessment_live, assessment_published, assessment_stored

log = logging.getLogger("grassroots.assessment")

# -- publishing -------------------------------------------------------------------------------------------------


def _store_results(assessment: Assessment, rows: list[Any]) -> None:
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                assessment=assessment,
                version=assessment.version,
                subject_key=row.subject.key,
                subject_name=row.subject.name[:100],
                subject_code=row.subject.code[:40],
                subject_parent=row.subject.parent[:100],
                counts=row.counts,
                parts=[p.as_json() for p in row.parts],
                score=row.score,
                grade=row.grade,
                rank=row.rank,
            )
            for row in rows
        ],
        batch_size=500,
    )


def _summary(rows: list[Any]) -> dict[str, Any]:
    scored = [r.score for r in rows if r.score is not None]
    return {
        "subjects": len(rows),
        "scored": len(scored),
        "mean": str(sum(scored, Decimal(0)) / len(scored)) if scored else None,
    }


@transaction.atomic
def assessment_publish(
    *,
    actor: Person,
    scheme: Scheme,
    period: Period,
    area: fig.Area,
    note: str = "",
    as_of: dt.datetime | None = None,
) -> Assessment:
    """Freeze a period's results: compute now and store the figures and scores of every subject."""
    if not may_publish(actor):
        raise Forbidden("只有领导、值班长或区指挥中心可以发布考核结果", code="not_permitted")
    if period.end > timezone.now() and as_of is None:
        raise Conflict("统计周期尚未结束，不能发布", code="period_open")
    if assessment_published(scheme, period, area) is not None:
        raise Conflict("该期考核结果已发布；如需更正请使用“重新计算”", code="already_published")
    now = timezone.now()
    as_of = as_of or now
    rows = assessment_live(viewer=actor, scheme=scheme, period=period, area=area, as_of=as_of)
    assessment = Assessment.objects.create(
        scheme=scheme,
        period_key=period.key,
        area_code=area.code,
        area_name=area.name,
        as_of=as_of,
        version=1,
        published_at=now,
        published_by=actor,
        note=note,
    )
    _store_results(assessment, rows)
    audit_record(
        actor=actor,
        action="assessment.publish",
        obj=assessment,
        detail={"scheme": scheme.code, "period": period.key, "area": area.code, **_summary(rows)},
    )
    return assessment


@transaction.atomic
def assessment_rerun(*, actor: Actor, assessment: Assessment, reason: str) -> Assessment:
    """Recompute a published assessment from the records as they are now: a new version, the old one kept."""
    if not may_publish(actor):
        raise Forbidden("只有领导、值班长或区指挥中心可以重新计算考核结果", code="not_permitted")
    if not reason.strip():
        raise InvalidInput("请填写重新计算的理由", details={"reason": "必填"})
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.version != assessment.version:
        raise Conflict("考核结果已被他人重新计算，请刷新后重试", code="stale_assessment")
    before = assessment_stored(locked)
    area = fig.Area(locked.area_code, locked.area_name)
    period = period_parse(locked.period_key)
    now = timezone.now()
    rows = assessment_live(viewer=actor, scheme=locked.scheme, period=period, area=area, as_of=now)
    Assessment.objects.filter(pk=locked.pk).update(version=F("version") + 1, as_of=now)
    locked.refresh_from_db()
    _store_results(locked, rows)
    old = {r.subject.key: r.score for r in before}
    changed = [r.subject.key for r in rows if old.get(r.subject.key) != r.score]
    audit_record(
        actor=actor,
        action="assessment.rerun",
        obj=locked,
        detail={
            "reason": reason,
            "from_version": locked.version - 1,
            "to_version": locked.version,
            "changed_subjects": changed[:200],
            "before": _summary(before),
            "after": _summary(rows),
        },
    )
    return locked


# -- manual ratings ------------------------------------------------------------------------------------------------


def rating_subject(part: SchemePart, subject_key: str) -> Any:
    """The object a manual rating is about (a unit, division, grid or person), or NotFound."""
    from grassroots.geo.models import Division, Grid
    from grassroots.org.models import Unit
    from grassroots.people.models import Person

    kind = part.scheme.subject_kind
    model: Any = {
        SubjectKind.UNIT: Unit,
        SubjectKind.GRID: Grid,
        SubjectKind.PERSON: Person,
        SubjectKind.TOWNSHIP: Division,
        SubjectKind.VILLAGE: Division,
    }.get(SubjectKind(kind))
    if model is None or not subject_key.isdigit():
        raise NotFound("考核对象不存在", code="no_subject")
    query = model.objects.filter(pk=int(subject_key))
    if model is Unit:
        query = query.select_related("division")
    subject = query.first()
    if subject is None:
        raise NotFound("考核对象不存在", code="no_subject")
    return subject


def _score(value: Any) -> Decimal:
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput("得分应为数字", details={"score": "请填写 0–100 之间的数字"}) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise InvalidInput("得分应在 0 到 100 之间", details={"score": "超出范围"})
    if score != score.quantize(Decimal("0.01")):
        raise InvalidInput("得分最多保留两位小数", details={"score": "小数位过多"})
    return score


@transaction.atomic
def manual_rating_record(
    *, actor: Person, part: SchemePart, subject_key: str, period: Period, score: Any, note: str = ""
) -> ManualRating:
    """Enter or change one rater's score of a subject in a manual part; every change is audited."""
    if part.method != PartMethod.MANUAL:
        raise Conflict("该考核组成按指标计算，不接受人工评分", code="not_manual")
    subject = rating_subject(part, subject_key)
    if not may_rate(actor, part.rater, part.scheme.subject_kind, subject):
        raise Forbidden("您不是该项的评分人", code="not_rater")
    value = _score(score)
    now = timezone.now()
    existing = (
        ManualRating.objects.select_for_update()
        .filter(part=part, subject_key=subject_key, period_key=period.key, rater=actor)
        .first()
    )
    old = None if existing is None else str(existing.score)
    if existing is None:
        rating = ManualRating.objects.create(
            part=part,
            subject_key=subject_key,
            period_key=period.key,
            rater=actor,
            score=value,
            note=note.strip(),
            created_at=now,
            updated_at=now,
        )
    else:
        existing.score, existing.note, existing.updated_at = value, note.strip(), now
        existing.save(update_fields=["score", "note", "updated_at"])
        rating = existing
    audit_record(
        actor=actor,
        action="assessment.rate",
        obj=rating,
        object_repr=f"{part.scheme.name}·{part.name} {period.key} {subject}"[:200],
        detail={"part": part.pk, "subject": subject_key, "period": period.key, "old": old, "new": str(value)},
    )
    return rating


# -- exports --------------------------------------------------------------------------------------------------------


def export_record(*, actor: Actor, what: str, reason: str, params: dict[str, Any], rows: int) -> None:
    """Every export is audited (DOMAIN.md §10): what table, why (事由), with which filters, how many rows."""
    audit_record(
        actor=actor,
        action="export",
        object_type="assessment.export",
        object_id=what[:64],
        object_repr=what[:200],
        detail={"reason": reason, "params": params, "rows": rows},
    )


# -- report jobs ----------------------------------------------------------------------------------------------------

KIND_OF_PERIOD = {
    "week": ReportKind.WEEKLY,
    "month": ReportKind.MONTHLY,
    "quarter": ReportKind.QUARTERLY,
    "year": ReportKind.YEARLY,
}
# A job whose worker has not reported for this long is taken to be dead and may be claimed again.
STALE_AFTER = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3


def runner() -> str:
    """How report jobs run: "thread" (default: a thread started after the request commits, no broker needed),
    "worker" (only `manage.py run_reports` runs them) or "sync" (inline; tests)."""
    return str(getattr(settings, "ASSESSMENT_REPORT_RUNNER", "thread"))


@transaction.atomic
def report_job_create(*, actor: Person, period: Period, area: fig.Area) -> ReportJob:
    job = ReportJob.objects.create(
        kind=KIND_OF_PERIOD.get(period.kind, ReportKind.CUSTOM),
        period_key=period.key,
        area_code=area.code,
        area_name=area.name,
        requested_by=actor,
        created_at=timezone.now(),
        message="排队中",
    )
    audit_record(
        actor=actor, action="assessment.report", obj=job, detail={"period": period.key, "area": area.code}
    )
    mode = runner()
    if mode == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    elif mode == "sync":
        transaction.on_commit(lambda: report_job_run(job_id=job.pk))
    return job


def _start_thread(job_id: int) -> None:
    def run() -> None:
        try:
            report_job_run(job_id=job_id)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"report-job-{job_id}", daemon=True).start()


def report_job_claim(*, job_id: int | None = None) -> ReportJob | None:
    """Take a queued job (or a stale running one) by compare-and-set, so two runners never build the same one."""
    now = timezone.now()
    candidates = ReportJob.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER),
        attempts__lt=MAX_ATTEMPTS,
    )
    if job_id is not None:
        candidates = candidates.filter(pk=job_id)
    for job in candidates.order_by("created_at")[:5]:
        claimed = ReportJob.objects.filter(pk=job.pk, status=job.status, attempts=job.attempts).update(
            status=JobStatus.RUNNING,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=1,
            message="开始生成",
        )
        if claimed:
            job.refresh_from_db()
            return job
    return None


def _progress(job_id: int) -> Any:
    def tell(percent: int, message: str) -> None:
        ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            progress=percent, message=message[:100], heartbeat_at=timezone.now()
        )

    return tell


def report_job_run(*, job_id: int) -> ReportJob | None:
    """Claim and build one report; None if another runner has it."""
    job = report_job_claim(job_id=job_id)
    return None if job is None else _build(job)


def _build(job: ReportJob) -> ReportJob:
    """The figures (as the requester may see them), then the workbook. A failure is recorded on the job, not
    raised, so a runner goes on with the next one."""
    from .excel import report_workbook

    tell = _progress(job.pk)
    try:
        period = period_parse(job.period_key)
        area = fig.Area(job.area_code, job.area_name)
        data = report_data(viewer=job.requested_by, period=period, area=area, progress=tell)
        tell(92, "生成 Excel 工作簿")
        content = report_workbook(data)
        name = f"analysis-{job.period_key}-{job.area_code or 'all'}-{job.pk}.xlsx".replace("~", "_")
        job.file.save(name, ContentFile(content), save=False)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE,
            progress=100,
            message="已完成",
            data=data,
            file=job.file.name,
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            message="生成失败",
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def report_jobs_run_pending(*, limit: int = 10) -> int:
    """Run what is queued (or abandoned by a dead runner); the `run_reports` worker calls this in a loop."""
    done = 0
    for _ in range(limit):
        if not connection.in_atomic_block:
            close_old_connections()  # as a request would: honour CONN_MAX_AGE, drop a broken connection
        job = report_job_claim()
        if job is None:
            break
        _build(job)
        done += 1
    return done
