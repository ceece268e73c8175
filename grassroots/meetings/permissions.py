"""Who sees which meeting and decision, and what they are to it. Township staff see their township's meetings (the
one scope predicate on the meeting's township); anyone asked to a meeting, or owning one of its decisions, sees
that meeting; out of scope answers 404."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.core.scope import scope_of
from grassroots.people.choices import Role

from .models import Meeting, MeetingTask, Notice
from .rules import Actor, TaskActor

# Who arranges and runs meetings in their scope: the command room and the platforms' coordinators.
ORGANISER_ROLES = frozenset(
    {Role.LEADER, Role.SHIFT_LEAD, Role.DISPATCHER, Role.OPERATOR, Role.PLATFORM_COORDINATOR}
)
# Who signs minutes off for a township besides the convenor.
APPROVER_ROLES = frozenset({Role.LEADER})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def visible_to(user: Any) -> QuerySet[Meeting]:
    if not _signed_in(user):
        return Meeting.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Meeting.objects.all()
    q = scope.q(region_field="township__code")
    q |= Q(attendances__person=user.pk) | Q(convenor=user.pk) | Q(tasks__owner_person=user.pk)
    if user.unit_id:
        q |= (
            Q(attendances__unit=user.unit_id)
            | Q(tasks__owner_unit=user.unit_id)
            | Q(group__office=user.unit_id)
        )
    return Meeting.objects.filter(pk__in=Meeting.objects.filter(q).values("pk"))


def access_meeting(user: Any, meeting_id: int) -> Meeting:
    meeting = (
        visible_to(user)
        .select_related("township", "group", "convenor", "minutes_approved_by", "created_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("会议不存在或不在您的管辖范围内")
    return meeting


def covers_township(user: Any, township_code: str) -> bool:
    return scope_of(user).covers(region_code=township_code)


def may_convene(user: Any) -> bool:
    return _signed_in(user) and (user.is_superuser or user.role in ORGANISER_ROLES)


def meeting_actor_kinds(meeting: Meeting, actor: Any) -> set[str]:
    """What `actor` is with respect to `meeting` (the `rules.Actor` kinds of the table)."""
    if actor is None:
        return {Actor.SYSTEM}
    if not _signed_in(actor):
        return set()
    if actor.is_superuser:
        return {Actor.ORGANISER, Actor.CONVENOR}
    kinds: set[str] = set()
    if actor.pk == meeting.convenor_id:
        kinds |= {Actor.ORGANISER, Actor.CONVENOR}
    if actor.pk == meeting.created_by_id:
        kinds.add(Actor.ORGANISER)
    in_township = covers_township(actor, meeting.township.code)
    if actor.role in ORGANISER_ROLES and in_township:
        kinds.add(Actor.ORGANISER)
    if actor.role in APPROVER_ROLES and in_township:
        kinds.add(Actor.CONVENOR)
    if actor.unit_id and meeting.group_id and meeting.group and actor.unit_id == meeting.group.office_id:
        kinds.add(Actor.ORGANISER)
    return kinds


# -- decisions -------------------------------------------------------------------------------------------------


def tasks_visible_to(user: Any) -> QuerySet[MeetingTask]:
    return MeetingTask.objects.filter(meeting__in=visible_to(user))


def access_task(user: Any, task_id: int) -> MeetingTask:
    task = (
        tasks_visible_to(user)
        .select_related("meeting", "meeting__township", "meeting__group", "owner_unit", "owner_person")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise Http404("督办事项不存在或不在您的管辖范围内")
    return task


def owns_task(task: MeetingTask, person: Any) -> bool:
    """The person named, or, when only a unit is named, its staff."""
    if not _signed_in(person):
        return False
    if task.owner_person_id:
        return bool(task.owner_person_id == person.pk)
    return bool(person.unit_id) and task.owner_unit_id == person.unit_id


def owned_by(person: Any) -> Q:
    """The decisions `person` owns, as a filter (`owns_task` for many)."""
    q = Q(owner_person=person.pk)
    if person.unit_id:
        q |= Q(owner_person__isnull=True, owner_unit=person.unit_id)
    return q


def task_actor_kinds(task: MeetingTask, actor: Any) -> set[str]:
    if actor is None:
        return {TaskActor.SYSTEM}
    kinds: set[str] = set()
    if owns_task(task, actor):
        kinds.add(TaskActor.OWNER)
    if Actor.ORGANISER in meeting_actor_kinds(task.meeting, actor):
        kinds.add(TaskActor.ORGANISER)
    return kinds


# -- notices -----------------------------------------------------------------------------------------------------


def notices_visible_to(user: Any) -> QuerySet[Notice]:
    """Its recipients, its sender, and the organisers of its township."""
    if not _signed_in(user):
        return Notice.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return Notice.objects.all()
    q = Q(receipts__person=user.pk) | Q(sender=user.pk)
    if user.role in ORGANISER_ROLES:
        q |= scope.q(region_field="township__code")
    return Notice.objects.filter(pk__in=Notice.objects.filter(q).values("pk"))


def access_notice(user: Any, notice_id: int) -> Notice:
    notice = notices_visible_to(user).select_related("sender", "township").filter(pk=notice_id).first()
    if notice is None:
        raise Http404("通知不存在或不在您的管辖范围内")
    return notice


def sees_receipts(notice: Notice, user: Any) -> bool:
    return bool(
        user.is_superuser
        or notice.sender_id == user.pk
        or (user.role in ORGANISER_ROLES and covers_township(user, notice.township.code))
    )
