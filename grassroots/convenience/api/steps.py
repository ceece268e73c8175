"""The steps of an application over HTTP, `POST /api/v1/applications/{application_id}/<action>`, and of the
rectification of a bad rating, `POST /api/v1/rectifications/{rectification_id}/<action>`: one endpoint per step
declared in `convenience/steps.py`, made by the workflow core. Each loads the record in the caller's scope, checks
`If-Match` against its version, and answers with the application's detail."""

from django.http import HttpRequest

from grassroots.workflow.endpoints import Resource, add_step_endpoints

from ..models import Application, Rectification
from ..permissions import access_rectification
from ..steps import APPLICATION_FLOW, RECTIFICATION_FLOW
from .applications import (
    ERRORS,
    answer_after_step,
    check_version,
    load_application,
    rectifications_router,
    router,
    viewer_of,
)
from .schemas import ApplicationDetailOut


def _answer_application(request: HttpRequest, application: Application, action: str) -> ApplicationDetailOut:
    return answer_after_step(viewer_of(request), application.pk, purpose=f"api.applications.{action}")


def _load_rectification(request: HttpRequest, rectification_id: int, if_match: str | None) -> Rectification:
    rectification = access_rectification(viewer_of(request), rectification_id)
    check_version(rectification.version, if_match, code="stale_rectification", what="整改记录")
    return rectification


def _answer_rectification(
    request: HttpRequest, rectification: Rectification, action: str
) -> ApplicationDetailOut:
    return answer_after_step(
        viewer_of(request), rectification.application_id, purpose=f"api.rectifications.{action}"
    )


APPLICATION_RESOURCE = Resource(
    id_name="application_id",
    prefix="application",
    actor=viewer_of,
    load=load_application,
    answer=_answer_application,
    response={200: ApplicationDetailOut, **ERRORS},
    if_match="可选：客户端所见的办件版本（version）；与当前版本不符时返回 409 stale_application",
    schema_prefix="Application",
)
RECTIFICATION_RESOURCE = Resource(
    id_name="rectification_id",
    prefix="rectification",
    actor=viewer_of,
    load=_load_rectification,
    answer=_answer_rectification,
    response={200: ApplicationDetailOut, **ERRORS},
    if_match="可选：客户端所见的整改记录版本（rectification.version）；不符时返回 409 stale_rectification",
    schema_prefix="Rectification",
)

add_step_endpoints(router, APPLICATION_RESOURCE, APPLICATION_FLOW)
add_step_endpoints(rectifications_router, RECTIFICATION_RESOURCE, RECTIFICATION_FLOW)
