"""A plan's steps over HTTP, `POST /api/v1/inspection-draws/{plan_id}/<action>`: freeze, draw, redraw, publish, one
endpoint each over the services of `services/plans.py`, the target pool taken from the registered providers as the
plan page does (`pools.target_pool`). Each loads the plan in the caller's scope (404), refuses someone who may not
manage it (403 `not_permitted`) and a body whose `version` is not the plan's (409 `stale_draw_plan`), and answers
with the plan's detail. A step in the wrong state is the services' 409 `draw_plan_bad_state`. Bodies are JSON or
form fields (`workflow.endpoints.Payload`); an absent body is an empty one, so missing fields are a 422 naming them."""

from django.http import HttpRequest

from grassroots.core.errors import Conflict, Forbidden, InvalidInput
from grassroots.people.models import Person
from grassroots.workflow.endpoints import Payload

from ..models import DrawPlan
from ..permissions import access_plan, can_manage
from ..pools import target_pool
from ..services import draw_publish, plan_draw, plan_freeze, plan_redraw
from .plans import ERRORS, answer_for, router, viewer_of
from .schemas import DrawPlanDetailOut, DrawPlanPublishIn, DrawPlanRedrawIn, DrawPlanStepIn

OPTIONAL_BODY = {"requestBody": {"required": False}}


def load_managed(request: HttpRequest, plan_id: int, version: int | None) -> tuple[Person, DrawPlan]:
    person = viewer_of(request)
    plan = access_plan(person, plan_id)
    if not can_manage(person, plan):
        raise Forbidden("您无权管理该抽查计划", code="not_permitted")
    if version is not None and version != plan.version:
        raise Conflict(
            "计划已被他人处理或已变化，请刷新后重试",
            code="stale_draw_plan",
            details={"version": plan.version, "given": version},
        )
    return person, plan


@router.post(
    "/{plan_id}/freeze",
    response={200: DrawPlanDetailOut, **ERRORS},
    summary="冻结检查对象名录与执法人员名录，公布种子承诺值（草稿 → 已冻结）",
    operation_id="draw_plan_freeze",
    url_name="draw_plan_freeze",
    openapi_extra=OPTIONAL_BODY,
)
def draw_plan_freeze(
    request: HttpRequest, plan_id: int, payload: Payload[DrawPlanStepIn]
) -> DrawPlanDetailOut:
    person, plan = load_managed(request, plan_id, payload.version)
    plan_freeze(actor=person, plan=plan, targets=target_pool(plan))
    return answer_for(person, plan_id)


@router.post(
    "/{plan_id}/draw",
    response={200: DrawPlanDetailOut, **ERRORS},
    summary="抽取：公开种子并按 draw-v1 算法抽取检查对象和执法人员（已冻结 → 已抽取）",
    operation_id="draw_plan_draw",
    url_name="draw_plan_draw",
    openapi_extra=OPTIONAL_BODY,
)
def draw_plan_draw(request: HttpRequest, plan_id: int, payload: Payload[DrawPlanStepIn]) -> DrawPlanDetailOut:
    person, plan = load_managed(request, plan_id, payload.version)
    plan_draw(actor=person, plan=plan)
    return answer_for(person, plan_id)


@router.post(
    "/{plan_id}/redraw",
    response={200: DrawPlanDetailOut, **ERRORS},
    summary="重新抽取：须说明理由并由他人批准，重新冻结名录（已抽取 → 已冻结，原结果留档）",
    operation_id="draw_plan_redraw",
    url_name="draw_plan_redraw",
)
def draw_plan_redraw(
    request: HttpRequest, plan_id: int, payload: Payload[DrawPlanRedrawIn]
) -> DrawPlanDetailOut:
    person, plan = load_managed(request, plan_id, payload.version)
    approver = Person.objects.filter(pk=payload.approver_id, is_active=True).first()
    if approver is None or not can_manage(approver, plan):
        raise InvalidInput(
            "批准人须为可管理该计划的人员",
            code="redraw_bad_approver",
            details={"approver_id": payload.approver_id},
        )
    plan_redraw(
        actor=person, plan=plan, reason=payload.reason, approved_by=approver, targets=target_pool(plan)
    )
    return answer_for(person, plan_id)


@router.post(
    "/{plan_id}/publish",
    response={200: DrawPlanDetailOut, **ERRORS},
    summary="公示检查结果（已抽取 → 已公示；抽取后 20 个工作日内）",
    operation_id="draw_plan_publish",
    url_name="draw_plan_publish",
)
def draw_plan_publish(
    request: HttpRequest, plan_id: int, payload: Payload[DrawPlanPublishIn]
) -> DrawPlanDetailOut:
    person, plan = load_managed(request, plan_id, payload.version)
    draw_publish(actor=person, plan=plan, summary=payload.summary)
    return answer_for(person, plan_id)
