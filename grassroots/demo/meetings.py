"""A year of joint meetings in the demo township 西塘镇: every week the governance platform's 矛盾联调 (Monday
09:00, the hard disputes of the week before on its agenda, linked to their events) and the enforcement platform's
每周会商 (Tuesday 14:30), each held with attendance, minutes signed off by the deputy secretary, and one to three
decisions as tasks for the member units; most are done on time, some late, and a few recent ones are still open
past their deadline (red in the owners' inboxes).

Through the real services (`grassroots.meetings.services`) under the simulated clock, like the market's year; runs
after the event history (`manage.py demo`), where the disputes come from."""

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.scope import code_prefix_q
from grassroots.events.models import Event
from grassroots.geo.models import Division
from grassroots.meetings.choices import Forum, MeetingKind, Presence, TaskStatus
from grassroots.meetings.models import CoordinatingGroup, Meeting, MeetingTask
from grassroots.meetings.services import meetings as steps
from grassroots.meetings.services.groups import groups_from_platforms
from grassroots.meetings.services.tasks import meeting_decide, task_complete
from grassroots.org.choices import PlatformKind
from grassroots.people.choices import Role
from grassroots.people.models import Person
from grassroots.workcal.calendar import SHANGHAI, get_calendar
from grassroots.workflow.models import Clock, Link

from .names import DISTRICT_CODE
from .simclock import SimulatedClock, simulated_time

XITANG = "330421102"
WEEKS = 52
ON_TIME, LATE = 0.78, 0.14  # the rest stay open; past their deadline they are overdue


@dataclass(frozen=True)
class Series:
    forum: Forum
    kind: MeetingKind
    weekday: int  # Monday 0
    time: dt.time
    title: str
    place: str
    decisions: tuple[str, ...]


SERIES = (
    Series(
        Forum.GOVERNANCE,
        MeetingKind.MEDIATION,
        0,
        dt.time(9),
        "第{week}周矛盾纠纷联调会",
        "镇社会治理中心二楼会议室",
        (
            "{unit}牵头组织双方当事人再次调解，形成书面协议",
            "{unit}上门回访当事人，稳控情绪，防止矛盾激化",
            "{unit}核实相关事实，提出处理意见报协调组",
            "{unit}做好诉调对接，引导当事人通过司法途径解决",
        ),
    ),
    Series(
        Forum.ENFORCEMENT,
        MeetingKind.CONSULTATION,
        1,
        dt.time(14, 30),
        "第{week}周综合执法会商",
        "综合行政执法中队会议室",
        (
            "{unit}对反映的问题开展联合检查，五个工作日内反馈结果",
            "{unit}落实整改跟踪，逾期未改的依法立案",
            "{unit}制定下周专项整治方案并报综合执法办",
        ),
    ),
)


def demo_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(code_prefix_q("township__code", DISTRICT_CODE))


def delete_demo_meetings() -> None:
    """Meetings, their decisions' clocks and links, and the groups of the demo district."""
    task_ids = list(MeetingTask.objects.filter(meeting__in=demo_meetings()).values_list("pk", flat=True))
    meeting_ids = list(demo_meetings().values_list("pk", flat=True))
    Clock.objects.filter(workflow="meeting_task", object_id__in=task_ids).delete()
    Link.objects.filter(source_workflow="meeting", source_id__in=meeting_ids).delete()
    Link.objects.filter(target_workflow="meeting", target_id__in=meeting_ids).delete()
    demo_meetings().delete()
    CoordinatingGroup.objects.filter(code_prefix_q("township__code", DISTRICT_CODE)).delete()


def _moment(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=SHANGHAI)


def _workday_from(day: dt.date) -> dt.date:
    calendar = get_calendar()
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _organiser(forum: Forum) -> Person | None:
    office = {"governance": "ZZB", "enforcement": "ZFB"}[forum.value]
    return (
        Person.objects.filter(role=Role.PLATFORM_COORDINATOR, unit__code=f"{XITANG}-{office}", is_active=True)
        .order_by("pk")
        .first()
    )


def _disputes(since: dt.datetime, until: dt.datetime) -> list[Event]:
    return list(
        Event.objects.filter(
            township__code=XITANG,
            platform=PlatformKind.GOVERNANCE,
            reported_at__gte=since,
            reported_at__lt=until,
            merged_into__isnull=True,
        ).order_by("reported_at", "pk")[:40]
    )


class Year:
    def __init__(
        self, *, rng: random.Random, clock: SimulatedClock, now: dt.datetime, leader: Person
    ) -> None:
        self.rng, self.clock, self.now, self.leader = rng, clock, now, leader
        self.meetings = 0
        self.tasks: list[MeetingTask] = []

    def at(self, moment: dt.datetime) -> dt.datetime:
        self.clock.set(moment)
        return moment

    def sit(
        self, series: Series, group: CoordinatingGroup, organiser: Person, week: int, day: dt.date
    ) -> None:
        rng = self.rng
        starts = _moment(day, series.time)
        self.at(starts - dt.timedelta(days=3))
        meeting = steps.meeting_create(
            actor=organiser,
            kind=series.kind,
            forum=series.forum,
            township=group.township,
            title=series.title.format(week=week),
            starts_at=starts,
            place=series.place,
        )
        if series.forum == Forum.GOVERNANCE:
            events = _disputes(starts - dt.timedelta(days=7), starts - dt.timedelta(days=3))
            for event in rng.sample(events, min(len(events), rng.randint(1, 3))):
                steps.meeting_add_agenda(
                    actor=organiser,
                    meeting=meeting,
                    title=f"{event.title}（疑难纠纷）"[:200],
                    workflow="event",
                    record_id=event.pk,
                )
        else:
            steps.meeting_add_agenda(actor=organiser, meeting=meeting, title="本周执法巡查和联合执法情况")
        meeting.refresh_from_db()
        self.at(starts)
        rows = []
        for attendance in meeting.attendances.all():
            draw = rng.random()
            presence = Presence.PRESENT if draw < 0.88 else Presence.LEAVE if draw < 0.97 else Presence.ABSENT
            rows.append({"id": attendance.pk, "presence": presence})
        steps.meeting_hold(actor=organiser, meeting=meeting, attendance=rows)
        minutes = "会议通报了上周决定事项的落实情况，逐项研究了本周议题。"
        steps.meeting_record_minutes(actor=organiser, meeting=meeting, minutes=minutes)
        units = [m.unit for m in group.members.select_related("unit")] or [u for u in [organiser.unit] if u]
        agenda = list(meeting.agenda.all())
        decided = self.at(starts + dt.timedelta(hours=1, minutes=30))
        for text in rng.sample(series.decisions, rng.randint(1, min(3, len(series.decisions)))):
            unit = rng.choice(units)
            task = meeting_decide(
                actor=organiser,
                meeting=meeting,
                text=text.format(unit=unit.name),
                limit_days=rng.choice((3, 5, 5, 7, 10)),
                owner_unit=unit,
                agenda_item_id=rng.choice(agenda).pk if agenda else None,
                now=decided,
            )
            self.tasks.append(task)
        self.at(starts + dt.timedelta(days=1))
        steps.meeting_approve_minutes(actor=self.leader, meeting=meeting)
        self.meetings += 1

    def follow_up(self) -> int:
        """Close the decisions in the order they fall: on time, late, or not at all (yet)."""
        done = 0
        for task in sorted(self.tasks, key=lambda t: t.due_at or self.now):
            assert task.due_at is not None
            draw = self.rng.random()
            if draw < ON_TIME:
                when = task.due_at - dt.timedelta(hours=self.rng.randint(2, 40))
            elif draw < ON_TIME + LATE:
                when = task.due_at + dt.timedelta(hours=self.rng.randint(16, 90))
            else:
                continue
            when = max(when, task.created_at + dt.timedelta(hours=1))
            if when >= self.now:
                continue
            self.at(when)
            owner = _owner(task)
            if owner is None:
                continue
            task.refresh_from_db()
            task_complete(
                actor=owner, task=task, done_note="已按会议要求落实，并向协调组办公室反馈。", now=when
            )
            done += 1
        return done


def _owner(task: MeetingTask) -> Person | None:
    return (
        Person.objects.filter(unit=task.owner_unit_id, is_active=True)
        .exclude(password__startswith="!")
        .order_by("pk")
        .first()
    )


def build_demo_meetings(*, seed: int, now: dt.datetime | None = None) -> dict[str, int]:
    """A year of the two weekly meetings of 西塘镇; nothing if they are there already or the township is not."""
    township = Division.objects.filter(code=XITANG, valid_to__isnull=True).first()
    leader = Person.objects.filter(username="leader", is_active=True).first()
    if township is None or leader is None or demo_meetings().exists():
        return {}
    now = (now or timezone.now()).replace(microsecond=0)
    rng = random.Random(f"{seed}:meetings")
    with transaction.atomic():
        clock = SimulatedClock(now - dt.timedelta(weeks=WEEKS + 1))
        with simulated_time(clock):
            groups_from_platforms(actor=leader, township=township, leader=leader)
            year = Year(rng=rng, clock=clock, now=now, leader=leader)
            first = (now - dt.timedelta(weeks=WEEKS)).astimezone(SHANGHAI).date()
            monday = first - dt.timedelta(days=first.weekday())
            for series in SERIES:
                group = CoordinatingGroup.objects.get(township=township, forum=series.forum)
                organiser = _organiser(series.forum) or leader
                for n in range(WEEKS):
                    day = _workday_from(monday + dt.timedelta(weeks=n, days=series.weekday))
                    if _moment(day, series.time) + dt.timedelta(days=1) >= now:
                        break
                    week = day.isocalendar().week
                    year.sit(series, group, organiser, week, day)
            done = year.follow_up()
        tasks = MeetingTask.objects.filter(meeting__in=demo_meetings())
        counts = {
            "meetings": year.meetings,
            "tasks": len(year.tasks),
            "done": done,
            "late": tasks.filter(status=TaskStatus.DONE, late=True).count(),
            "open_overdue": tasks.filter(status=TaskStatus.OPEN, due_at__lt=now).count(),
        }
        audit_record(
            actor=None,
            action="meeting.demo",
            object_type="geo.division",
            object_id=XITANG,
            object_repr="西塘镇联席会议演示数据",
            detail={"seed": seed, **counts},
        )
    return counts


def meetings_line(counts: dict[str, Any]) -> str:
    return (
        f"  联席会议 {counts['meetings']} 次（矛盾联调、执法会商），决定事项 {counts['tasks']} 项："
        f"办结 {counts['done']} 项（超期办结 {counts['late']} 项），超期未办结 {counts['open_overdue']} 项"
    )
