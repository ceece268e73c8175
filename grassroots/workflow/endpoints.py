"""Step endpoints from a declaration: `POST /<resource>/{id}/<action>` for each step of a workflow, with its
OpenAPI entry, instead of one hand-written view per step.

A workflow's API module hands its declaration (`declaration.Workflow`, each step with its input schema, a summary
for readers of the OpenAPI document, and its service call) to `add_step_endpoints`, with how to load a record in
the caller's scope and how to answer. Who may take a step stays the business of the workflow's table and
services (403/409 from there); this module only wires HTTP to them.
"""

import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args, get_origin

from django.http import HttpRequest
from ninja import P, Router
from ninja.params import HeaderEx, ParamShortcut
from ninja.params.models import Body, BodyModel
from pydantic import BaseModel

from grassroots.core.errors import Conflict, InvalidInput

from .declaration import StepDecl, Workflow

# -- the client's version of the record (If-Match) --------------------------------------------------------------


def check_version(version: int, if_match: str | None, *, code: str, what: str) -> None:
    """Refuse a step when the client's `If-Match` names a version the record no longer has."""
    if if_match is None:
        return
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput(f"If-Match 应为{what}版本号", details={"If-Match": if_match})
    if int(text) != version:
        raise Conflict(
            f"{what}已被他人处理或已变化，请刷新后重试",
            code=code,
            details={"version": version, "if_match": int(text)},
        )


# -- a body read as JSON or as form fields ------------------------------------------------------------------


class _JsonOrFormModel(BodyModel):
    """The body as JSON, or the same fields as multipart/form-data (with files) or urlencoded."""

    @classmethod
    def get_request_data(cls, request: HttpRequest, api: Any, path_params: Any) -> dict[str, Any] | None:
        name = getattr(cls, "__read_from_single_attr__", None)
        if request.content_type in {"multipart/form-data", "application/x-www-form-urlencoded"}:
            schema = cls.model_fields[name].annotation if name else None
            lists = _list_fields_of(schema)
            objects = _object_list_fields_of(schema)
            # An empty form field means "not given", so optional numbers and booleans keep their defaults.
            data: dict[str, Any] = {
                key: (_json_items(request.POST.getlist(key)) if key in objects else request.POST.getlist(key))
                if key in lists
                else value
                for key, value in request.POST.items()
                if value != ""
            }
        elif request.body:
            return super().get_request_data(request, api, path_params)
        else:
            data = {}  # no body: the fields' defaults apply, and missing required fields are reported
        return {name: data} if name else data


def _list_fields_of(schema: Any) -> set[str]:
    fields = getattr(schema, "model_fields", {})
    return {name for name, info in fields.items() if get_origin(info.annotation) is list}


def _object_list_fields_of(schema: Any) -> set[str]:
    """The list fields whose items are objects: in a form, each value is one JSON object or a JSON array of them."""
    fields = getattr(schema, "model_fields", {})
    return {
        name
        for name, info in fields.items()
        if get_origin(info.annotation) is list
        and any(isinstance(a, type) and issubclass(a, BaseModel) for a in get_args(info.annotation))
    }


def _json_items(values: list[str]) -> list[Any]:
    items: list[Any] = []
    for value in values:
        try:
            parsed = json.loads(value)
        except ValueError:
            items.append(value)  # the schema reports it, by its place in the list
            continue
        items.extend(parsed if isinstance(parsed, list) else [parsed])
    return items


class JsonOrForm(Body):  # type: ignore[misc]
    _model = _JsonOrFormModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"  # documented as JSON; the multipart form is added by `multipart_doc`


if TYPE_CHECKING:
    T = TypeVar("T")
    Payload = Annotated[T, "body as JSON or form"]
else:

    def _json_or_form(default: Any = ..., **extra: Any) -> Any:
        return JsonOrForm(default, **extra)

    Payload = ParamShortcut(_json_or_form)  # `payload: Payload[SomeIn]`, like ninja's own `Body[SomeIn]`


def multipart_doc(schema: str, *, files_required: bool = False) -> dict[str, Any]:
    """OpenAPI for the multipart variant of a JSON body: the same fields plus `files`."""
    files = {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "description": "照片或录音（JPEG/PNG/WebP/HEIC，MP3/M4A/WAV/AMR/OGG/WebM），按内容识别格式",
    }
    form = {"allOf": [{"$ref": f"#/components/schemas/{schema}"}], "properties": {"files": files}}
    if files_required:
        form["required"] = ["files"]
    return {"requestBody": {"content": {"multipart/form-data": {"schema": form}}}}


# -- the endpoints ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """How a workflow's endpoints find and answer: the path parameter, the operation ids' prefix, the actor of a
    request, loading a record in the caller's scope (checking `If-Match`), and the answer after a step."""

    id_name: str  # "event_id"
    prefix: str  # "event": operation ids event_<action>
    actor: Callable[[HttpRequest], Any]
    load: Callable[[HttpRequest, int, str | None], Any]
    answer: Callable[[HttpRequest, Any, str], Any]
    response: dict[int, Any]  # status → schema, the 200 answer and the errors
    if_match: str = (
        "可选：客户端所见的记录版本（version）；与当前版本不符时返回 409"  # the header's description
    )
    # Put before the step bodies' names in the OpenAPI document ("Application" → ApplicationNoteIn). The document
    # keys schemas by class name, so two workflows' `NoteIn` would otherwise silently become one.
    schema_prefix: str = ""


_named: dict[tuple[str, type], type] = {}


def body_schema(resource: Resource, step: StepDecl) -> Any:
    """The step's input schema under the resource's prefix: one subclass per (prefix, schema), shared by the steps
    that take the same body."""
    if not resource.schema_prefix:
        return step.schema
    key = (resource.schema_prefix, step.schema)
    if key not in _named:
        name = f"{resource.schema_prefix}{step.schema.__name__}"
        _named[key] = type(name, (step.schema,), {"__module__": step.schema.__module__})
    return _named[key]


def add_step_endpoints(router: Router, resource: Resource, workflow: Workflow) -> None:
    """Register `POST /{id}/<action>` on `router` for each step of `workflow`, in the order declared (the OpenAPI
    document's)."""
    for step in workflow.steps:
        router.post(f"/{{{resource.id_name}}}/{step.action}", **_doc(resource, step))(
            _view(resource, workflow, step)
        )


def _doc(resource: Resource, step: StepDecl) -> dict[str, Any]:
    """The decorator arguments of one step's endpoint; its body is optional when every field has a default."""
    body_required = any(field.is_required() for field in step.schema.model_fields.values())
    extra: dict[str, Any] = {"requestBody": {"required": body_required}}
    if step.multipart:
        extra = multipart_doc(body_schema(resource, step).__name__, files_required=step.files_required)
        extra["requestBody"]["required"] = body_required or step.files_required
    return {
        "response": resource.response,
        "summary": step.summary,
        "operation_id": f"{resource.prefix}_{step.action}",
        "url_name": f"{resource.prefix}_{step.action}",
        "openapi_extra": extra,
    }


def _view(resource: Resource, workflow: Workflow, step: StepDecl) -> Callable[..., Any]:
    def view(request: HttpRequest, **params: Any) -> Any:
        record = resource.load(request, params[resource.id_name], params.get("if_match"))
        files = request.FILES.getlist("files") if step.multipart else []
        workflow.perform(step.action, resource.actor(request), record, params["payload"], files)
        return resource.answer(request, record, step.action)

    if_match = HeaderEx[str | None, P(alias="If-Match", description=resource.if_match)]
    body: Any = Payload  # a ParamShortcut at run time
    # django-ninja reads the parameters from the signature: the path id, the body in the step's schema, If-Match.
    keyword = inspect.Parameter.KEYWORD_ONLY
    view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            inspect.Parameter(resource.id_name, keyword, annotation=int),
            inspect.Parameter("payload", keyword, annotation=body[body_schema(resource, step)]),
            inspect.Parameter("if_match", keyword, annotation=if_match, default=None),
        ]
    )
    view.__name__ = view.__qualname__ = f"{resource.prefix}_{step.action}"
    return view
