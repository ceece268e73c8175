"""Draw plans through the API (/api/v1/inspection-draws): the plans the caller may see, one plan with its frozen
pools' digests and commitments and its draws, and creating a plan. The steps are `steps.py`.

Views only parse input, load through `permissions.access_plan` (404 out of scope) and call one service."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.core.cursors import page_after
from grassroots.core.errors import Forbidden, InvalidInput
from grassroots.events.schemas import ErrorOut, Ref
from grassroots.org.models import Unit
from grassroots.people.actors import person_of as viewer_of
from grassroots.people.models import Person

from ..choices import PlanStatus
from ..models import Draw, DrawPlan, InspectionItem, PoolSnapshot
from ..permissions import MANAGER_ROLES, access_plan, can_manage, visible_to
from ..pools import assignment_results
from ..rules import PLAN_MOVES
from ..services import plan_create
from .schemas import (
    DrawPlanCreateIn,
    DrawPlanDetailOut,
    DrawPlanItemOut,
    DrawPlanListItemOut,
    DrawPlanListOut,
    DrawPlanListQuery,
    DrawPlanSnapshotOut,
    InspectionDrawInspectorOut,
    InspectionDrawOut,
)

router = Router(tags=["inspection-draws"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _name(person: Any) -> str | None:
    return person.name if person is not None else None


# -- answers ------------------------------------------------------------------------------------------------


def _list_fields(plan: DrawPlan) -> dict[str, Any]:
    """The plan's own fields; its units prefetched."""
    return {
        "id": plan.pk,
        "name": plan.name,
        "status": plan.status,
        "status_label": str(PlanStatus(plan.status).label),
        "target_filter": plan.target_filter,
        "rates": {risk: str(rate) for risk, rate in sorted(plan.rates.items())},
        "inspectors_per_target": plan.inspectors_per_target,
        "joint_key": plan.joint_key,
        "units": [Ref(id=u.pk, name=u.name) for u in plan.units.all()],
        "created_by": _name(plan.created_by),
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "version": plan.version,
    }


def _snapshot(snapshot: PoolSnapshot, *, drawn: bool) -> DrawPlanSnapshotOut:
    return DrawPlanSnapshotOut(
        id=snapshot.pk,
        sequence=snapshot.sequence,
        targets=len(snapshot.targets),
        inspectors=len(snapshot.inspectors),
        targets_digest=snapshot.targets_digest,
        inspectors_digest=snapshot.inspectors_digest,
        seed_hash=snapshot.seed_hash,
        seed=snapshot.seed if drawn else None,  # secret until the draw reveals it
        frozen_at=snapshot.frozen_at,
        frozen_by=_name(snapshot.frozen_by),
        redraw_reason=snapshot.redraw_reason,
        redraw_approved_by=_name(snapshot.redraw_approved_by),
        drawn=drawn,
    )


def _draw(draw: Draw, snapshot: PoolSnapshot) -> InspectionDrawOut:
    people = {row["id"]: row for row in snapshot.inspectors}
    named = sorted({i for row in draw.assigned for i in row["inspectors"]})
    return InspectionDrawOut(
        id=draw.pk,
        sequence=draw.sequence,
        current=draw.current,
        algorithm=draw.algorithm,
        seed=draw.seed,
        seed_hash=draw.seed_hash,
        targets_digest=draw.targets_digest,
        inspectors_digest=draw.inspectors_digest,
        inputs=draw.inputs,
        result=draw.result,
        inspectors=[
            InspectionDrawInspectorOut(
                id=i,
                name=people[i]["name"],
                certificate_no=people[i]["certificate_no"],
                unit=people[i]["unit"],
            )
            for i in named
            if i in people
        ],
        data_url=reverse("public_draws:draw_data", args=[draw.pk]),
        drawn_at=draw.drawn_at,
        drawn_by=_name(draw.drawn_by),
        reason=draw.reason,
        approved_by=_name(draw.approved_by),
        superseded_at=draw.superseded_at,
        results_due_at=draw.results_due_at,
        target_results=assignment_results(draw),
        results_summary=draw.results_summary,
        results_published_at=draw.results_published_at,
        results_published_by=_name(draw.results_published_by),
    )


def plan_detail_of(person: Person, plan: DrawPlan) -> DrawPlanDetailOut:
    snapshots = list(plan.snapshots.select_related("frozen_by", "redraw_approved_by").order_by("sequence"))
    by_pk = {s.pk: s for s in snapshots}
    draws = list(
        plan.draws.select_related("drawn_by", "approved_by", "results_published_by").order_by("sequence")
    )
    drawn = {d.snapshot_id for d in draws}
    manages = can_manage(person, plan)
    return DrawPlanDetailOut(
        **_list_fields(plan),
        items=[
            DrawPlanItemOut(
                id=i.pk,
                code=i.code,
                name=i.name,
                target_kind=i.target_kind,
                unit=Ref(id=i.unit.pk, name=i.unit.name),
            )
            for i in plan.items.select_related("unit")
        ],
        snapshots=[_snapshot(s, drawn=s.pk in drawn) for s in snapshots],
        draws=[_draw(d, by_pk[d.snapshot_id]) for d in draws],
        manages=manages,
        allowed_actions=[a for a, (sources, _) in PLAN_MOVES.items() if plan.status in sources]
        if manages
        else [],
    )


def answer_for(person: Person, plan_id: int) -> DrawPlanDetailOut:
    return plan_detail_of(person, access_plan(person, plan_id))


# -- the list -----------------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: DrawPlanListOut, **ERRORS},
    summary="抽查计划列表（按范围，新建的在前，游标分页）",
    operation_id="draw_plan_list",
)
def draw_plan_list(request: HttpRequest, query: Query[DrawPlanListQuery]) -> DrawPlanListOut:
    person = viewer_of(request)
    rows = visible_to(person).select_related("created_by").prefetch_related("units")
    if query.status:
        rows = rows.filter(status=query.status)
    ordered = rows.order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    return DrawPlanListOut(items=[DrawPlanListItemOut(**_list_fields(p)) for p in page], next=after)


# -- creating one -------------------------------------------------------------------------------------------


def _rows_by_id(model: Any, ids: list[int], *, code: str, what: str) -> list[Any]:
    wanted = sorted(set(ids))
    found = list(model.objects.filter(pk__in=wanted).order_by("pk"))
    missing = sorted(set(wanted) - {row.pk for row in found})
    if missing:
        raise InvalidInput(
            f"{what}不存在：{'、'.join(map(str, missing))}", code=code, details={"ids": missing}
        )
    return found


@router.post(
    "",
    response={201: DrawPlanDetailOut, **ERRORS},
    summary="新建抽查计划（草稿；平台协调员、领导、参与单位工作人员）",
    operation_id="draw_plan_create",
)
def draw_plan_create(request: HttpRequest, payload: DrawPlanCreateIn) -> Answer[DrawPlanDetailOut]:
    person = viewer_of(request)
    if not person.is_superuser and person.role not in MANAGER_ROLES:
        raise Forbidden("只有平台协调员、领导和部门工作人员可以新建抽查计划", code="not_permitted")
    units = _rows_by_id(Unit, payload.unit_ids, code="draw_unknown_unit", what="参与单位")
    items = _rows_by_id(InspectionItem, payload.item_ids, code="draw_unknown_item", what="抽查事项")
    rates: dict[str, str] | None = None
    if payload.rates is not None:
        rates = {risk: format(rate, "f") for risk, rate in payload.rates.items()}
    plan = plan_create(
        actor=person,
        name=payload.name,
        units=units,
        items=items,
        target_filter=payload.target_filter.strip(),
        rates=rates,
        inspectors_per_target=payload.inspectors_per_target,
        joint_key=payload.joint_key.strip(),
    )
    return Answer(201, answer_for(person, plan.pk))


# -- one plan -----------------------------------------------------------------------------------------------


@router.get(
    "/{plan_id}",
    response={200: DrawPlanDetailOut, **ERRORS},
    summary="抽查计划详情：冻结名录摘要与种子承诺值、各次抽取的参数与结果、结果公示",
    operation_id="draw_plan_detail",
)
def draw_plan_detail(request: HttpRequest, plan_id: int) -> DrawPlanDetailOut:
    return answer_for(viewer_of(request), plan_id)
