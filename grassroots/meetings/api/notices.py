"""Notices through the API (/api/v1/notices): the list in the caller's sight (received, sent, and for organisers
their township's), one notice with its receipts for those who may see them, publishing one, and the read receipt.
Reading the detail does not mark it read (a client may prefetch); `POST /{id}/read` does."""

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.events.schemas import ErrorOut
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division, Grid
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person

from ..models import Notice, NoticeReceipt
from ..permissions import access_notice, notices_visible_to, sees_receipts
from ..services.notices import notice_publish, notice_read
from .notice_schemas import (
    MeetingNoticeCreateIn,
    MeetingNoticeDetailOut,
    MeetingNoticeItemOut,
    MeetingNoticeListOut,
    MeetingNoticeListQuery,
    MeetingNoticeReceiptOut,
)

router = Router(tags=["notices"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _counted(rows: Any, person: Person) -> Any:
    mine = NoticeReceipt.objects.filter(person=person.pk)
    return rows.select_related("township", "sender").annotate(
        n_recipients=Count("receipts", distinct=True),
        n_read=Count("receipts", filter=Q(receipts__read_at__isnull=False), distinct=True),
    ), {r.notice_id: r for r in mine}


def _item(n: Notice, receipt: NoticeReceipt | None) -> dict[str, Any]:
    return {
        "id": n.pk,
        "township": n.township.name,
        "forum": n.forum,
        "forum_label": n.get_forum_display(),
        "title": n.title,
        "sender": n.sender.name,
        "published_at": n.published_at,
        "remind_after_hours": n.remind_after_hours,
        "recipients": getattr(n, "n_recipients", 0),
        "read": getattr(n, "n_read", 0),
        "mine": receipt is not None,
        "read_at": receipt.read_at if receipt else None,
    }


@router.get(
    "",
    response={200: MeetingNoticeListOut, **ERRORS},
    summary="通知公告列表（按范围：收到的、发出的、本乡镇的；发布时间新的在前，游标分页）",
    operation_id="notice_list",
)
def notice_list(request: HttpRequest, query: Query[MeetingNoticeListQuery]) -> MeetingNoticeListOut:
    person = person_of(request)
    rows = notices_visible_to(person)
    if query.box == "received" or query.unread:
        received = NoticeReceipt.objects.filter(person=person.pk)
        if query.unread:
            received = received.filter(read_at__isnull=True)
        rows = rows.filter(pk__in=received.values("notice_id"))
    if query.box == "sent":
        rows = rows.filter(sender=person.pk)
    ordered = rows.order_by("-published_at", "-id")
    page, after = page_after(ordered, field="published_at", cursor=query.cursor, limit=query.limit)
    counted, mine = _counted(Notice.objects.filter(pk__in=[n.pk for n in page]), person)
    by_pk = {n.pk: n for n in counted}
    return MeetingNoticeListOut(
        items=[MeetingNoticeItemOut(**_item(by_pk[n.pk], mine.get(n.pk))) for n in page], next=after
    )


def detail_of(person: Person, notice_id: int) -> MeetingNoticeDetailOut:
    access_notice(person, notice_id)
    counted, _ = _counted(Notice.objects.filter(pk=notice_id), person)
    notice = counted.get()
    receipt = NoticeReceipt.objects.filter(notice=notice, person=person.pk).first()
    targets = notice.targets or {}
    names = {
        "units": list(Unit.objects.filter(pk__in=targets.get("units", [])).values_list("name", flat=True)),
        "villages": list(
            Division.objects.filter(code__in=targets.get("villages", [])).values_list("name", flat=True)
        ),
        "grids": list(Grid.objects.filter(code__in=targets.get("grids", [])).values_list("name", flat=True)),
    }
    receipts = None
    if sees_receipts(notice, person):
        receipts = [
            MeetingNoticeReceiptOut(
                person_id=r.person_id,
                name=r.person.name,
                via=r.via,
                read_at=r.read_at,
                reminded_at=r.reminded_at,
            )
            for r in notice.receipts.select_related("person").order_by("read_at", "pk")
        ]
    return MeetingNoticeDetailOut(
        **_item(notice, receipt), body=notice.body, targets=names, receipts=receipts
    )


@router.get(
    "/{int:notice_id}",
    response={200: MeetingNoticeDetailOut, **ERRORS},
    summary="通知详情：正文、发送范围，发布人和本乡镇组织人员另见阅读回执",
    operation_id="notice_read",
)
def notice_detail(request: HttpRequest, notice_id: int) -> MeetingNoticeDetailOut:
    return detail_of(person_of(request), notice_id)


def _all(model: Any, ids: list[int], code: str, **filters: Any) -> list[Any]:
    found = list(model.objects.filter(pk__in=ids, **filters))
    missing = sorted(set(ids) - {o.pk for o in found})
    if missing:
        raise InvalidInput("发送范围中有不存在的对象", code=code, details={"ids": missing})
    return found


@router.post(
    "",
    response={201: MeetingNoticeDetailOut, **ERRORS},
    summary="发布通知（指挥室、平台协调人员、领导）到本乡镇的单位、村社、网格",
    operation_id="notice_create",
)
def notice_create(request: HttpRequest, payload: MeetingNoticeCreateIn) -> Answer[MeetingNoticeDetailOut]:
    person = person_of(request)
    township = None
    if payload.township_id is not None:
        township = Division.objects.filter(pk=payload.township_id, level=DivisionLevel.TOWNSHIP).first()
    elif person.region_code:
        township = Division.objects.filter(code=person.region_code[:9], level=DivisionLevel.TOWNSHIP).first()
    if township is None:
        raise InvalidInput(
            "请指定乡镇街道", code="meeting_not_township", details={"township_id": payload.township_id}
        )
    notice = notice_publish(
        actor=person,
        township=township,
        forum=payload.forum,
        title=payload.title,
        body=payload.body,
        units=_all(Unit, payload.unit_ids, "notice_unit_unknown"),
        villages=_all(Division, payload.village_ids, "notice_village_unknown", level=DivisionLevel.VILLAGE),
        grids=_all(Grid, payload.grid_ids, "notice_grid_unknown"),
        remind_after_hours=payload.remind_after_hours,
    )
    return Answer(201, detail_of(person, notice.pk))


@router.post(
    "/{int:notice_id}/read",
    response={200: MeetingNoticeDetailOut, **ERRORS},
    summary="阅读回执：接收人标记已读（已读的不变）",
    operation_id="notice_mark_read",
)
def notice_mark_read(request: HttpRequest, notice_id: int) -> MeetingNoticeDetailOut:
    person = person_of(request)
    notice = access_notice(person, notice_id)
    if not NoticeReceipt.objects.filter(notice=notice, person=person.pk).exists():
        raise InvalidInput("您不是该通知的接收人", code="notice_not_recipient")
    notice_read(person=person, notice=notice)
    return detail_of(person, notice_id)
