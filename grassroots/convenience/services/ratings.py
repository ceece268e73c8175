"""好差评: one rating per application after delivery (一次一评), and for every bad one a rectification with a
callback and a fix under working-day limits (DOMAIN.md §7; both limits are configuration), tracked to done."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.core.errors import Conflict, InvalidInput
from grassroots.notifications.services import notify_after_commit
from grassroots.org.selectors import covered_holders
from grassroots.workcal.choices import LimitUnit
from grassroots.workflow.clocks import clock_start, clock_stop
from grassroots.workflow.commit import Moved, commit_move
from grassroots.workflow.models import Clock

from ..choices import BAD_GRADES, Grade, RatingChannel, ReviewGrade
from ..models import Application, Rating, Rectification
from ..rules import APPLICATION, RECTIFICATION, Actor, Owner
from .common import authorize, commit, history_row, setting

CALLBACK, FIX = "callback", "rectify"
STALE = ("stale_rectification", "整改记录已被他人处理或已变化，请刷新后重试")


def _clock(rectification: Rectification, name: str, days: int, now: dt.datetime) -> Clock:
    change = clock_start(
        workflow=RECTIFICATION.name,
        object_id=rectification.pk,
        name=name,
        unit=LimitUnit.WORKING_DAYS,
        statutory=days,
        limit_source=f"差评{'回访' if name == CALLBACK else '整改'}：{days} 工作日",
        now=now,
    )
    return change.clock


@transaction.atomic
def application_rate(
    *,
    actor: Any,
    application: Application,
    grade: int,
    channel: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """The applicant's one rating of this application: on the window's device, by the link they were sent, or by
    phone through a clerk. A bad one (不满意, 非常不满意) opens its rectification."""
    now = (now or timezone.now()).replace(microsecond=0)
    if grade not in Grade.values:
        raise InvalidInput("请选择评价等级", code="grade_invalid", details={"grade": "请选择评价等级"})
    if channel not in RatingChannel.values:
        raise InvalidInput("评价渠道不正确", code="channel_invalid", details={"channel": "评价渠道不正确"})
    if grade in BAD_GRADES and not comment.strip() and channel == RatingChannel.PHONE:
        raise InvalidInput(
            "电话录入差评须记录申请人的意见",
            code="comment_required",
            details={"comment": "请记录申请人的意见"},
        )
    if actor is None and channel == RatingChannel.LINK:  # the applicant, by the link they were sent
        APPLICATION.authorize("rate", application.status, {Actor.APPLICANT}, what="办件")
    else:
        authorize(application, actor, "rate")
    if Rating.objects.filter(application=application).exists():
        raise Conflict("该办件已评价（一次一评）", code="already_rated")
    _, _row = commit(
        application,
        actor=actor,
        action="rate",
        to=None,
        note=comment,
        now=now,
        data={"grade": grade, "channel": channel},
    )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                application=application,
                grade=grade,
                channel=channel,
                comment=comment.strip(),
                at=now,
                recorded_by=actor,
            )
    except IntegrityError:
        raise Conflict("该办件已评价（一次一评）", code="already_rated") from None
    if grade in BAD_GRADES:
        owner_id = application.first_clerk_id or application.handler_id
        rectification = Rectification.objects.create(
            rating=rating, application=application, owner_id=owner_id, created_at=now, updated_at=now
        )
        _clock(rectification, CALLBACK, setting("CALLBACK_WORKING_DAYS", 1), now)
        fix = _clock(rectification, FIX, setting("RECTIFY_WORKING_DAYS", 15), now)
        Rectification.objects.filter(pk=rectification.pk).update(due_at=fix.due_at)
        if owner_id:
            notify_after_commit(
                person_ids=[owner_id],
                verb="bad_rating",
                text=f"办件 {application.number}（{application.item.name}）收到差评，请于 1 个工作日内回访",
            )
    return rating


def rectification_kinds(rectification: Rectification, actor: Any) -> set[str]:
    if actor is None:
        return set()
    owner = rectification.owner_id
    if owner == actor.pk or (owner and owner in covered_holders(actor.pk)):
        return {Owner.RESPONSIBLE}
    if getattr(actor, "unit_id", None) and actor.unit_id == rectification.application.centre.unit_id:
        return {Owner.RESPONSIBLE}
    return set()


def _step(
    rectification: Rectification,
    *,
    actor: Any,
    action: str,
    note: str,
    now: dt.datetime | None,
    **fields: Any,
) -> Moved:
    now = (now or timezone.now()).replace(microsecond=0)
    RECTIFICATION.authorize(
        action, rectification.status, rectification_kinds(rectification, actor), what="整改"
    )
    (target,) = RECTIFICATION.targets(action, rectification.status)
    moved, _ = commit_move(
        rectification,
        workflow=RECTIFICATION.name,
        actor=actor,
        action=action,
        to=target,
        history=lambda record, m: history_row(record.application, f"rectification.{action}", actor, m, note),
        now=now,
        stale=STALE,
        object_repr=f"{rectification.application.number} 差评整改",
        **fields,
    )
    return moved


def _stop(rectification: Rectification, name: str, actor: Any, now: dt.datetime) -> bool:
    clock = (
        Clock.objects.filter(workflow=RECTIFICATION.name, object_id=rectification.pk, name=name)
        .exclude(state="stopped")
        .first()
    )
    if clock is None:
        return False
    return clock_stop(clock=clock, result="done", actor=actor, now=now).clock.overdue


@transaction.atomic
def rectification_contact(
    *, actor: Any, rectification: Rectification, note: str, now: dt.datetime | None = None
) -> Rectification:
    """回访: the applicant was called back and heard."""
    if not note.strip():
        raise InvalidInput("请记录回访情况", code="note_required", details={"note": "请记录回访情况"})
    moved = _step(
        rectification,
        actor=actor,
        action="contact",
        note=note,
        now=now,
        contacted_at=now or timezone.now(),
        contact_note=note.strip(),
    )
    late = _stop(rectification, CALLBACK, actor, moved.at)
    if late:
        Rectification.objects.filter(pk=rectification.pk).update(late=True)
    return rectification


@transaction.atomic
def rectification_rectify(
    *, actor: Any, rectification: Rectification, measures: str, now: dt.datetime | None = None
) -> Rectification:
    """整改: what was done about it."""
    if not measures.strip():
        raise InvalidInput("请填写整改措施", code="measures_required", details={"measures": "请填写整改措施"})
    moved = _step(
        rectification,
        actor=actor,
        action="rectify",
        note=measures,
        now=now,
        rectified_at=now or timezone.now(),
        measures=measures.strip(),
    )
    late = _stop(rectification, FIX, actor, moved.at) or rectification.late
    Rectification.objects.filter(pk=rectification.pk).update(late=late)
    rectification.late = late
    return rectification


@transaction.atomic
def rectification_review(
    *, actor: Any, rectification: Rectification, review: str, note: str = "", now: dt.datetime | None = None
) -> Rectification:
    """整改复评: the applicant's word on the fix closes it."""
    if review not in ReviewGrade.values:
        raise InvalidInput(
            "请选择申请人对整改的评价", code="review_invalid", details={"review": "请选择评价"}
        )
    _step(
        rectification,
        actor=actor,
        action="review",
        note=note,
        now=now,
        review=review,
        closed_at=now or timezone.now(),
    )
    return rectification
