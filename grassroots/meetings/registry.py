"""What the meetings register when Django starts: the audit log's names of their steps, how links show a meeting
(agenda items link the records they discuss), what the timer does with a decision's clock, and the decisions a
person owns and the notices they have not read as work items of their inbox; the notices' reminders on the
timer's tick."""

from typing import Any


def inbox_items(person: Any) -> list[Any]:
    """The person's open decisions, red when overdue, and unread notices, each linking to its page."""
    from django.urls import reverse

    from grassroots.inbox.items import WorkItem

    from .models import NoticeReceipt
    from .selectors import task_lights, tasks_owned

    tasks = list(tasks_owned(person)[:50])
    lights = task_lights(tasks)
    items = [
        WorkItem(
            kind="督办事项",
            text=f"{t.text[:60]}（{t.meeting.title}）",
            url=reverse("meetings:task", args=[t.pk]),
            light=lights[t.pk].light,
            due_at=t.due_at,
            note=lights[t.pk].label,
        )
        for t in tasks
    ]
    unread = NoticeReceipt.objects.filter(person=person.pk, read_at__isnull=True).select_related("notice")
    items += [
        WorkItem(
            kind="通知公告",
            text=r.notice.title,
            url=reverse("meetings:notice", args=[r.notice_id]),
            light="yellow" if r.reminded_at else "green",
            note="未读",
        )
        for r in unread.order_by("-notice__published_at")[:20]
    ]
    return items


def assessment_source() -> Any:
    """The assessment's 超期督办事项数 per unit (docs/assessment.md): counted and listed by `selectors.overdue_tasks`."""
    from django.urls import reverse
    from django.utils import timezone

    from grassroots.assessment.external import ExternalSource
    from grassroots.assessment.indicators import Relation

    from .selectors import overdue_tasks, overdue_tasks_by_unit

    def when(value: Any) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    return ExternalSource(
        relation=Relation.MEETING_TASK,
        counts=lambda w, code: overdue_tasks_by_unit(
            start=w.start, end=w.end, as_of=w.as_of, region_prefix=code
        ),
        rows=lambda w, code, key: overdue_tasks(
            start=w.start, end=w.end, as_of=w.as_of, region_prefix=code, unit_key=key
        ).select_related("meeting", "owner_unit", "owner_person"),
        columns=("督办编号", "决定事项", "会议", "责任单位", "责任人", "办结期限", "办结时间", "状态"),
        values=lambda t: [
            t.number or str(t.pk),
            t.text[:60],
            t.meeting.title,
            t.owner_unit.name if t.owner_unit else "",
            t.owner_person.name if t.owner_person else "",
            when(t.due_at),
            when(t.done_at),
            t.get_status_display(),
        ],
        url=lambda t: reverse("meetings:task", args=[t.pk]),
    )


def register() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from grassroots.assessment.external import register_external_source
    from grassroots.audit.labels import register_step_labels
    from grassroots.inbox.items import register_work_items
    from grassroots.workflow.links import register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers, register_tick_job

    from .models import Meeting, MeetingTask
    from .permissions import tasks_visible_to, visible_to
    from .rules import ACTION_LABELS, TASK_LABELS
    from .services.notices import notice_reminders_send
    from .services.tasks import task_overdue, task_warn

    register_step_labels("meeting", "会议", ACTION_LABELS | {"demo": "演示数据生成"})
    register_step_labels("meeting_task", "督办事项", TASK_LABELS)
    register_step_labels("meeting_group", "平台协调组", {"generate": "按平台生成"})
    register_step_labels("notice", "通知公告", {"publish": "发布"})
    register_link_workflow(
        "meeting",
        label=_("会议"),
        model=Meeting,
        visible=visible_to,
        title=lambda m: f"{m.number or ''} {m.title}".strip(),
        url=lambda m: reverse("meetings:meeting", args=[m.pk]),
    )
    register_link_workflow(
        "meeting_task",
        label=_("督办事项"),
        model=MeetingTask,
        visible=tasks_visible_to,
        title=lambda t: f"{t.number or ''} {t.text[:40]}".strip(),
        url=lambda t: reverse("meetings:task", args=[t.pk]),
    )
    register_clock_handlers("meeting_task", on_warn=task_warn, on_overdue=task_overdue)
    register_work_items("meeting_task", inbox_items)
    register_tick_job("通知未读提醒", lambda: notice_reminders_send())
    register_external_source(assessment_source())
