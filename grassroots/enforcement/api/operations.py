"""Joint operations through the API (/api/v1/joint-operations): the list in the caller's scope, one operation with
its plan, tasks, results per unit and totals, and links; starting one; its results alone; and one endpoint per step
(`POST /{id}/<action>`, made by the workflow core from `STEPS`; `If-Match` checks the version)."""

from dataclasses import replace
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja import Status as Answer

from grassroots.core.cursors import page_after
from grassroots.core.errors import InvalidInput
from grassroots.events.schemas import ErrorOut
from grassroots.geo.models import Grid
from grassroots.market.models import MarketEntity
from grassroots.org.models import Unit
from grassroots.people.actors import person_of
from grassroots.people.models import Person
from grassroots.workflow.declaration import StepDecl as Step
from grassroots.workflow.endpoints import Resource, add_step_endpoints, check_version
from grassroots.workflow.links import links_of

from ..models.operations import JointOperation
from ..services.operation_access import access_operation, operation_actor_kinds, operations_visible_to
from ..services.operation_rules import OPERATION, WORKFLOW_NAME
from ..services.operation_selectors import month_bounds, overlapping
from ..services.operations import (
    Place,
    Results,
    operation_add_task,
    operation_cancel,
    operation_complete_task,
    operation_create,
    operation_edit,
    operation_finish,
    operation_link,
    operation_record_results,
    operation_remove_task,
    operation_start,
    totals_of,
)
from .operations_schemas import (
    CancelIn,
    EditIn,
    FinishIn,
    JointOperationCreateIn,
    JointOperationDetailOut,
    JointOperationLinkOut,
    JointOperationListItemOut,
    JointOperationListOut,
    JointOperationListQuery,
    JointOperationParticipantOut,
    JointOperationPlaceOut,
    JointOperationResultsOut,
    JointOperationTargetOut,
    JointOperationTaskOut,
    JointOperationTotalsOut,
    JointOperationUnitRefOut,
    LinkIn,
    ResultsIn,
    StartIn,
    TaskDoneIn,
    TaskIn,
    TaskRefIn,
)

router = Router(tags=["joint-operations"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# -- ids to records, each refusal with its code ------------------------------------------------------------------


def units_of(ids: list[int]) -> list[Unit]:
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids).select_related("division")}
    if len(found) != len(set(ids)):
        raise InvalidInput(
            "单位不存在", code="unit_unknown", details={"unit_ids": sorted(set(ids) - set(found))}
        )
    return [found[i] for i in dict.fromkeys(ids)]


def entities_of(ids: list[int]) -> list[MarketEntity]:
    found = list(MarketEntity.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise InvalidInput("市场主体不存在", code="entity_unknown", details={"entity_ids": ids})
    return found


def grids_of(ids: list[int]) -> list[Grid]:
    found = list(Grid.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise InvalidInput("网格不存在", code="grid_unknown", details={"grid_ids": ids})
    return found


def _unit(unit: Unit) -> JointOperationUnitRefOut:
    return JointOperationUnitRefOut(id=unit.pk, code=unit.code, name=unit.name)


def _list_fields(o: JointOperation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "kind": o.kind,
        "kind_label": o.get_kind_display(),
        "title": o.title,
        "status": o.status,
        "status_label": o.get_status_display(),
        "lead_unit": _unit(o.lead_unit),
        "starts_on": o.starts_on,
        "ends_on": o.ends_on,
        "created_at": o.created_at,
        "version": o.version,
    }


def results_of(operation: JointOperation) -> JointOperationResultsOut:
    rows = operation.participants.select_related("unit")
    return JointOperationResultsOut(
        units=[
            JointOperationParticipantOut(
                unit=_unit(r.unit),
                lead=r.lead,
                places_inspected=r.places_inspected,
                problems_found=r.problems_found,
                cases_opened=r.cases_opened,
                rectified=r.rectified,
                results_note=r.results_note,
                recorded_at=r.recorded_at,
            )
            for r in rows
        ],
        totals=JointOperationTotalsOut(**totals_of(operation)),
    )


def detail_of(person: Person, operation_id: int) -> JointOperationDetailOut:
    o = access_operation(person, operation_id)
    return JointOperationDetailOut(
        **_list_fields(o),
        plan=o.plan,
        summary=o.summary,
        cancel_reason=o.cancel_reason,
        started_at=o.started_at,
        finished_at=o.finished_at,
        entities=[JointOperationTargetOut(id=e.pk, code=e.uscc, name=e.name) for e in o.entities.all()],
        places=[JointOperationPlaceOut(**p) for p in o.places],
        grids=[JointOperationTargetOut(id=g.pk, code=g.code, name=g.name) for g in o.grids.all()],
        tasks=[
            JointOperationTaskOut(
                id=t.pk, unit=_unit(t.unit), text=t.text, done=t.done, notes=t.notes, done_at=t.done_at
            )
            for t in o.tasks.select_related("unit")
        ],
        results=results_of(o),
        links=[
            JointOperationLinkOut(
                wording=link.wording,
                workflow=link.workflow,
                object_id=link.object_id,
                title=link.title,
                note=link.note,
            )
            for link in links_of(viewer=person, workflow=WORKFLOW_NAME, object_id=o.pk)
        ],
        allowed_actions=OPERATION_FLOW.allowed(o.status, operation_actor_kinds(o, person)),
    )


# -- the steps -----------------------------------------------------------------------------------------------


def _one_unit(unit_id: int) -> Unit:
    return units_of([unit_id])[0]


STEPS = [
    Step(
        "edit",
        EditIn,
        "修改工作方案：名称、期间、参与单位（整表替换）、检查对象、重点区域、网格（牵头单位）",
        lambda actor, o, p, files: operation_edit(
            actor=actor,
            operation=o,
            title=p.title,
            starts_on=p.starts_on,
            ends_on=p.ends_on,
            plan=p.plan,
            units=units_of(p.unit_ids),
            entities=entities_of(p.entity_ids),
            places=[Place(**x.model_dump()) for x in p.places],
            grids=grids_of(p.grid_ids),
        ),
    ),
    Step(
        "add_task",
        TaskIn,
        "添加一个单位的任务（牵头单位）",
        lambda actor, o, p, files: operation_add_task(
            actor=actor, operation=o, unit=_one_unit(p.unit_id), text=p.text
        ),
    ),
    Step(
        "remove_task",
        TaskRefIn,
        "删除尚未完成的任务（牵头单位）",
        lambda actor, o, p, files: operation_remove_task(actor=actor, operation=o, task_id=p.task_id),
        folded=True,
    ),
    Step(
        "start",
        StartIn,
        "开始行动（牵头单位）",
        lambda actor, o, p, files: operation_start(actor=actor, operation=o),
    ),
    Step(
        "complete_task",
        TaskDoneIn,
        "登记任务完成情况（任务的责任单位，或牵头单位）",
        lambda actor, o, p, files: operation_complete_task(
            actor=actor, operation=o, task_id=p.task_id, done=p.done, notes=p.notes
        ),
    ),
    Step(
        "record_results",
        ResultsIn,
        "填报本单位的行动成果：检查场所、发现问题、立案查处、整改到位（参与单位各自填报，再次填报即更正）",
        lambda actor, o, p, files: operation_record_results(
            actor=actor,
            operation=o,
            unit=_one_unit(p.unit_id),
            results=Results(
                places_inspected=p.places_inspected,
                problems_found=p.problems_found,
                cases_opened=p.cases_opened,
                rectified=p.rectified,
            ),
            note=p.note,
        ),
    ),
    Step(
        "link",
        LinkIn,
        "关联行动中处置的事件、立案查处的案件或开展的检查（牵头单位、参与单位）",
        lambda actor, o, p, files: operation_link(
            actor=actor, operation=o, workflow=p.workflow, object_id=p.object_id, note=p.note
        ),
    ),
    Step(
        "finish",
        FinishIn,
        "结束行动：各参与单位均已填报成果后，成果合计记入行动记录（牵头单位）",
        lambda actor, o, p, files: operation_finish(actor=actor, operation=o, summary=p.summary),
    ),
    Step(
        "cancel",
        CancelIn,
        "取消行动，须说明理由（牵头单位）",
        lambda actor, o, p, files: operation_cancel(actor=actor, operation=o, reason=p.reason),
        folded=True,
    ),
]
OPERATION_FLOW = replace(OPERATION, steps=STEPS)


# -- the endpoints -------------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: JointOperationListOut, **ERRORS},
    summary="联合执法/专项整治行动列表（按范围，新发起的在前，游标分页）",
    operation_id="joint_operation_list",
)
def joint_operation_list(
    request: HttpRequest, query: Query[JointOperationListQuery]
) -> JointOperationListOut:
    person = person_of(request)
    rows = operations_visible_to(person).select_related("lead_unit")
    if query.status:
        rows = rows.filter(status=query.status)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.unit:
        rows = rows.filter(
            pk__in=JointOperation.objects.filter(participants__unit__code=query.unit).values("pk")
        )
    if query.month:
        rows = overlapping(rows, *month_bounds(query.month))
    ordered = rows.order_by("-created_at", "-id")
    page, after = page_after(ordered, field="created_at", cursor=query.cursor, limit=query.limit)
    return JointOperationListOut(
        items=[JointOperationListItemOut(**_list_fields(o)) for o in page], next=after
    )


@router.get(
    "/{int:operation_id}",
    response={200: JointOperationDetailOut, **ERRORS},
    summary="行动详情：工作方案、检查对象、任务分工、各单位成果与合计、关联记录和调用者可执行的步骤",
    operation_id="joint_operation_read",
)
def joint_operation_read(request: HttpRequest, operation_id: int) -> JointOperationDetailOut:
    return detail_of(person_of(request), operation_id)


@router.get(
    "/{int:operation_id}/results",
    response={200: JointOperationResultsOut, **ERRORS},
    summary="行动成果：各参与单位填报的数字及合计",
    operation_id="joint_operation_results",
)
def joint_operation_results(request: HttpRequest, operation_id: int) -> JointOperationResultsOut:
    return results_of(access_operation(person_of(request), operation_id))


@router.post(
    "",
    response={201: JointOperationDetailOut, **ERRORS},
    summary="发起联合执法或专项整治行动（牵头单位的工作人员或负责人）",
    operation_id="joint_operation_create",
)
def joint_operation_create(
    request: HttpRequest, payload: JointOperationCreateIn
) -> Answer[JointOperationDetailOut]:
    person = person_of(request)
    units = units_of([payload.lead_unit_id, *payload.unit_ids, *(t.unit_id for t in payload.tasks)])
    by_id = {u.pk: u for u in units}
    operation = operation_create(
        actor=person,
        kind=payload.kind,
        title=payload.title,
        lead_unit=by_id[payload.lead_unit_id],
        units=[by_id[i] for i in payload.unit_ids],
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        plan=payload.plan,
        entities=entities_of(payload.entity_ids),
        places=[Place(**p.model_dump()) for p in payload.places],
        grids=grids_of(payload.grid_ids),
        tasks=[(by_id[t.unit_id], t.text) for t in payload.tasks],
    )
    return Answer(201, detail_of(person, operation.pk))


def _load(request: HttpRequest, operation_id: int, if_match: str | None) -> JointOperation:
    operation = access_operation(person_of(request), operation_id)
    check_version(operation.version, if_match, code="stale_operation", what="行动")
    return operation


RESOURCE = Resource(
    id_name="operation_id",
    prefix="joint_operation",
    actor=person_of,
    load=_load,
    answer=lambda request, operation, action: detail_of(person_of(request), operation.pk),
    response={200: JointOperationDetailOut, **ERRORS},
    if_match="可选：客户端所见的行动版本（version）；与当前版本不符时返回 409 stale_operation",
    schema_prefix="JointOperation",
)
add_step_endpoints(router, RESOURCE, OPERATION_FLOW)
