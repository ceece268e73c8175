"""Applications through the API (/api/v1/applications): the list in the caller's scope, one application with its
history, notices and visits, and taking one in (一窗受理 at a window, 代办 by a village agent).

Views only parse input, load through `permissions.access_application` (404 out of scope) and call one service. The
applicant is masked unless the caller may see them (`views.common.sees_applicant`), and every unmasked read is
audited, a list page in one write. The steps are `steps.py`.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.audit.services import audit_record_read
from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.core.masking import mask_id_number, mask_name, mask_phone
from grassroots.core.scope import code_prefix_q
from grassroots.events.schemas import ErrorOut, Ref
from grassroots.people.models import Person
from grassroots.workflow.endpoints import check_version

from .. import services
from ..choices import Status
from ..models import Application, Rating, Rectification
from ..permissions import access_application, applicant_of, sees_applicant, visible_to
from ..rules import action_label
from ..selectors import actor_kinds
from ..services.ratings import rectification_kinds
from ..steps import APPLICATION_FLOW, RECTIFICATION_FLOW
from .schemas import (
    ApplicantOut,
    ApplicationDetailOut,
    ApplicationListItemOut,
    ApplicationListOut,
    ApplicationListQuery,
    ApplyIn,
    ForwardIn,
    HistoryOut,
    ItemRef,
    MaterialStateOut,
    NoticeOut,
    RatingOut,
    RectificationOut,
    VisitOut,
)

router = Router(tags=["applications"])
rectifications_router = Router(tags=["rectifications"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
APPLICANT_FIELDS = ["applicant_name", "applicant_phone", "applicant_id_number"]
RELATED = ("item", "centre__township", "window", "handler", "first_clerk", "handling_unit", "agent")

# -- loading ------------------------------------------------------------------------------------------------


def viewer_of(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)  # both authenticators set a Person
    return user


def load_application(request: HttpRequest, application_id: int, if_match: str | None) -> Application:
    application = access_application(viewer_of(request), application_id)
    check_version(application.version, if_match, code="stale_application", what="办件")
    return application


# -- answers ------------------------------------------------------------------------------------------------


def _name(person: Any) -> str | None:
    return person.name if person is not None else None


def _applicant(application: Application, *, masked: bool) -> ApplicantOut:
    if masked:
        return ApplicantOut(
            kind=application.applicant_kind,
            name=mask_name(application.applicant_name),
            phone=mask_phone(application.applicant_phone),
            id_number=mask_id_number(application.applicant_id_number),
            masked=True,
        )
    return ApplicantOut(
        kind=application.applicant_kind,
        name=application.applicant_name,
        phone=application.applicant_phone,
        id_number=application.applicant_id_number,
        masked=False,
    )


def _list_fields(application: Application, applicant: ApplicantOut) -> dict[str, Any]:
    item = application.item
    return {
        "id": application.pk,
        "number": application.number,
        "status": application.status,
        "status_label": str(Status(application.status).label),
        "channel": application.channel,
        "item": ItemRef(code=item.code, version=item.version, name=item.name),
        "centre": Ref(id=application.centre_id, name=application.centre.name),
        "region_code": application.region_code,
        "applicant": applicant,
        "subject": application.subject,
        "handler": _name(application.handler),
        "created_at": application.created_at,
        "received_at": application.received_at,
        "accepted_at": application.accepted_at,
        "decided_at": application.decided_at,
        "delivered_at": application.delivered_at,
        "closed_at": application.closed_at,
        "due_at": application.due_at,
        "late": application.late,
        "visits": application.visits,
        "result": application.result,
        "updated_at": application.updated_at,
        "version": application.version,
    }


def _rectification(application: Application, person: Person) -> RectificationOut | None:
    found = Rectification.objects.select_related("owner").filter(application=application).first()
    if found is None:
        return None
    found.application = application  # its centre is loaded already
    return RectificationOut(
        id=found.pk,
        status=found.status,
        status_label=found.get_status_display(),
        version=found.version,
        owner=_name(found.owner),
        created_at=found.created_at,
        due_at=found.due_at,
        contacted_at=found.contacted_at,
        contact_note=found.contact_note,
        rectified_at=found.rectified_at,
        measures=found.measures,
        review=found.review,
        closed_at=found.closed_at,
        late=found.late,
        allowed_actions=RECTIFICATION_FLOW.allowed(found.status, rectification_kinds(found, person)),
    )


def application_detail_of(person: Person, application: Application, *, purpose: str) -> ApplicationDetailOut:
    """The whole application as `person` may see it (loaded with `RELATED`); an unmasked applicant is audited."""
    shown = applicant_of(person, application, purpose=purpose)
    applicant = ApplicantOut(kind=application.applicant_kind, **shown)
    received, pending = set(application.materials_received), set(application.materials_pending)
    rating = Rating.objects.filter(application=application).first()
    allowed = APPLICATION_FLOW.allowed(application.status, actor_kinds(application, person))
    if rating is not None:
        allowed = [a for a in allowed if a != "rate"]  # one rating per application (一次一评)
    return ApplicationDetailOut(
        **_list_fields(application, applicant),
        applicant_kind=application.applicant_kind,
        window=str(application.window) if application.window else None,
        first_clerk=_name(application.first_clerk),
        handling_unit=Ref(id=application.handling_unit.pk, name=application.handling_unit.name)
        if application.handling_unit
        else None,
        agent=_name(application.agent),
        entrustment=application.entrustment,
        materials=[
            MaterialStateOut(
                id=m.pk, name=m.name, need=m.need, received=m.pk in received, pending=m.pk in pending
            )
            for m in application.item.materials.all()
        ],
        decision_note=application.decision_note,
        refusal_reason=application.refusal_reason,
        appeal_route=application.appeal_route,
        delivery_method=application.delivery_method,
        tracking_number=application.tracking_number,
        history=[
            HistoryOut(
                at=h.at,
                action=h.action,
                action_label=action_label(h.action),
                from_status=h.from_status,
                to_status=h.to_status,
                actor=_name(h.actor),
                note=h.note,
                data=h.data,
            )
            for h in application.history.select_related("actor")
        ],
        notices=[
            NoticeOut(
                id=n.pk,
                number=n.number,
                items=n.items,
                note=n.note,
                supply_by=n.supply_by,
                issued_at=n.issued_at,
                issued_by=_name(n.issued_by),
                supplied_at=n.supplied_at,
            )
            for n in application.notices.select_related("issued_by")
        ],
        visit_log=[
            VisitOut(kind=v.kind, kind_label=v.get_kind_display(), at=v.at, recorded_by=_name(v.recorded_by))
            for v in application.visit_log.select_related("recorded_by")
        ],
        rating=RatingOut(
            grade=rating.grade,
            grade_label=rating.get_grade_display(),
            channel=rating.channel,
            comment=rating.comment,
            at=rating.at,
        )
        if rating
        else None,
        rectification=_rectification(application, person),
        allowed_actions=allowed,
    )


def answer_after_step(person: Person, application_id: int, *, purpose: str) -> ApplicationDetailOut:
    """The application after a step the caller took. A step may move it out of their scope (a unit transferring
    it elsewhere): they still see the state they left it in, read by id."""
    try:
        application = access_application(person, application_id)
    except Http404:
        application = Application.objects.select_related(*RELATED).get(pk=application_id)
    return application_detail_of(person, application, purpose=purpose)


# -- the list -----------------------------------------------------------------------------------------------


def _statuses(text: str) -> list[str]:
    statuses = [s for s in (part.strip() for part in text.split(",")) if s]
    unknown = [s for s in statuses if s not in Status.values]
    if unknown:
        raise InvalidInput("状态不正确", details={"status": f"未知状态 {', '.join(unknown)}"})
    return statuses


@router.get(
    "",
    response={200: ApplicationListOut, **ERRORS},
    summary="办件列表（按范围，新登记的在前，游标分页）",
    operation_id="application_list",
)
def application_list(request: HttpRequest, query: Query[ApplicationListQuery]) -> ApplicationListOut:
    person = viewer_of(request)
    rows = visible_to(person).select_related("item", "centre", "handler")
    statuses = _statuses(query.status)
    if statuses:
        rows = rows.filter(status__in=statuses)
    if query.item:
        rows = rows.filter(item__code=query.item)
    if query.region:
        rows = rows.filter(code_prefix_q("region_code", query.region))
    if query.late is not None:
        rows = rows.filter(late=query.late)
    if query.since is not None:
        since = query.since if timezone.is_aware(query.since) else timezone.make_aware(query.since)
        rows = rows.filter(updated_at__gte=since)
    ordered = rows.order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    unmasked = [a for a in page if sees_applicant(person, a)]
    if unmasked:  # one audit write for the page
        audit_record_read(
            actor=person, objects=unmasked, fields=APPLICANT_FIELDS, purpose="api.applications.list"
        )
    shown = {a.pk for a in unmasked}
    return ApplicationListOut(
        items=[
            ApplicationListItemOut(**_list_fields(a, _applicant(a, masked=a.pk not in shown))) for a in page
        ],
        next=after,
    )


# -- taking one in ------------------------------------------------------------------------------------------


@router.post(
    "",
    response={201: ApplicationDetailOut, **ERRORS},
    summary="一窗受理：登记办件并核验材料，缺件即一次性告知补正（窗口工作人员）",
    operation_id="application_apply",
)
def application_apply(request: HttpRequest, payload: ApplyIn) -> Answer[ApplicationDetailOut]:
    person = viewer_of(request)
    application = services.application_apply(
        actor=person,
        item_code=payload.item,
        applicant_kind=payload.applicant_kind,
        applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone.strip(),
        applicant_id_number=payload.applicant_id_number.strip(),
        subject=payload.subject,
        window_id=payload.window_id,
        channel=payload.channel,
        materials_received=payload.materials_received,
        materials_pending=payload.materials_pending,
        extra_missing=[{"material": None, "name": m.name, "reason": m.reason} for m in payload.other_missing],
        reject_reason=payload.reject_reason.strip(),
        note=payload.note,
    )
    return Answer(201, answer_after_step(person, application.pk, purpose="api.applications.apply"))


@router.post(
    "/forward",
    response={201: ApplicationDetailOut, **ERRORS},
    summary="代办：村（社区）代办员凭委托书登记并转交乡镇便民服务中心",
    operation_id="application_forward",
)
def application_forward(request: HttpRequest, payload: ForwardIn) -> Answer[ApplicationDetailOut]:
    person = viewer_of(request)
    application = services.application_forward(
        actor=person,
        item_code=payload.item,
        applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone.strip(),
        applicant_id_number=payload.applicant_id_number.strip(),
        subject=payload.subject,
        entrustment=payload.entrustment,
        materials_received=payload.materials_received,
    )
    return Answer(201, answer_after_step(person, application.pk, purpose="api.applications.forward"))


# -- one application ----------------------------------------------------------------------------------------


@router.get(
    "/{application_id}",
    response={200: ApplicationDetailOut, **ERRORS},
    summary="办件详情：材料、办理记录、一次性告知书、到现场记录、评价与整改",
    operation_id="application_detail",
)
def application_read(request: HttpRequest, application_id: int) -> ApplicationDetailOut:
    person = viewer_of(request)
    application = access_application(person, application_id)
    return application_detail_of(person, application, purpose="api.applications.detail")
