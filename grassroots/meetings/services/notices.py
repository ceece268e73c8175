"""Publishing a notice to units, villages and grids (each resolved to the people with a login there), its read
receipts, and the reminders the timer sends to whoever has not read it after the notice's working hours (default:
setting `NOTICE_REMIND_WORKING_HOURS`)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.geo.models import Division, Grid
from grassroots.notifications.services import notify_after_commit
from grassroots.org.models import Unit
from grassroots.people.models import Person
from grassroots.workcal.calendar import get_calendar

from ..choices import Forum
from ..models import Notice, NoticeReceipt
from ..permissions import covers_township, may_convene


def default_remind_hours() -> int:
    return max(1, int(getattr(settings, "NOTICE_REMIND_WORKING_HOURS", 8)))


def _people() -> Any:
    return Person.objects.filter(is_active=True).exclude(password__startswith="!")


def recipients_of(
    *, units: Iterable[Unit] = (), villages: Iterable[Division] = (), grids: Iterable[Grid] = ()
) -> dict[int, str]:
    """Person id → what reached them: the unit's staff, a village's staff and committee, a grid's team."""
    found: dict[int, str] = {}
    for unit in units:
        for pk in _people().filter(unit=unit).values_list("pk", flat=True):
            found.setdefault(pk, unit.name)
    for village in villages:
        in_village = Q(division=village) | Q(unit__division=village)
        for pk in _people().filter(in_village).values_list("pk", flat=True):
            found.setdefault(pk, village.name)
    for grid in grids:
        team = Q(grid=grid) | Q(memberships__grid=grid)
        for pk in _people().filter(team).values_list("pk", flat=True).distinct():
            found.setdefault(pk, grid.name)
    return found


@transaction.atomic
def notice_publish(
    *,
    actor: Person,
    township: Division,
    forum: str,
    title: str,
    body: str,
    units: Iterable[Unit] = (),
    villages: Iterable[Division] = (),
    grids: Iterable[Grid] = (),
    remind_after_hours: int | None = None,
    now: dt.datetime | None = None,
) -> Notice:
    if not may_convene(actor) or not (actor.is_superuser or covers_township(actor, township.code)):
        raise Forbidden("您无权向该乡镇街道发布通知", code="not_permitted")
    if forum not in Forum.values:
        raise InvalidInput("没有这个平台", code="meeting_bad_forum")
    if not title.strip() or not body.strip():
        raise InvalidInput("请填写通知标题和正文", code="notice_text_required")
    units, villages, grids = list(units), list(villages), list(grids)
    outside = [u.name for u in units if not (u.division and u.division.code.startswith(township.code))]
    outside += [d.name for d in villages if not d.code.startswith(township.code)]
    outside += [g.name for g in grids if not g.code.startswith(township.code)]
    if outside:
        raise InvalidInput(
            "发送范围超出本乡镇街道", code="notice_target_outside", details={"targets": outside}
        )
    found = recipients_of(units=units, villages=villages, grids=grids)
    if not found:
        raise InvalidInput("发送范围内没有可接收通知的人员", code="notice_no_recipients")
    now = now or timezone.now()
    notice = Notice.objects.create(
        township=township,
        forum=forum,
        title=title.strip()[:100],
        body=body.strip(),
        sender=actor,
        targets={
            "units": [u.pk for u in units],
            "villages": [v.code for v in villages],
            "grids": [g.code for g in grids],
        },
        published_at=now,
        remind_after_hours=max(1, remind_after_hours or default_remind_hours()),
    )
    NoticeReceipt.objects.bulk_create(
        NoticeReceipt(notice=notice, person_id=pk, via=via[:100]) for pk, via in sorted(found.items())
    )
    audit_record(actor=actor, action="notice.publish", obj=notice, detail={"recipients": len(found)})
    notify_after_commit(
        person_ids=sorted(found), verb="notice", text=f"通知公告：{notice.title}", email=False
    )
    return notice


def notice_read(*, person: Any, notice: Notice, now: dt.datetime | None = None) -> bool:
    """The read receipt, set once when the recipient opens it; whether this was the first reading."""
    return bool(
        NoticeReceipt.objects.filter(notice=notice, person=person.pk, read_at__isnull=True).update(
            read_at=now or timezone.now()
        )
    )


def notice_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind, once, every recipient who has not read a notice within its working hours (a tick job of the timer
    worker, or `manage.py send_notice_reminders`: the compare-and-set on `reminded_at` keeps two workers from
    reminding twice)."""
    now = now or timezone.now()
    calendar = get_calendar()
    due = NoticeReceipt.objects.filter(
        read_at__isnull=True, reminded_at__isnull=True, notice__published_at__lte=now
    ).select_related("notice")
    sent = 0
    ripe: dict[int, bool] = {}
    for receipt in due.order_by("pk")[:500]:
        notice = receipt.notice
        if notice.pk not in ripe:
            used = calendar.working_seconds_between(notice.published_at, now)
            ripe[notice.pk] = used >= notice.remind_after_hours * 3600
        if not ripe[notice.pk]:
            continue
        with transaction.atomic():
            claimed = NoticeReceipt.objects.filter(pk=receipt.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if claimed:
                notify_after_commit(
                    person_ids=[receipt.person_id],
                    verb="notice_reminder",
                    text=f"提醒：通知“{notice.title}”尚未阅读",
                    email=False,
                )
                sent += 1
    return sent


def unread_count(notice: Notice) -> int:
    return notice.receipts.filter(read_at__isnull=True).count()
