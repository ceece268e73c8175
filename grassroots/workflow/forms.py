"""The page's form of a step, made from the step's declaration when the step needs nothing more than its schema:
a text box per text field, yes/no per flag, a number box per number, a choice per enumeration.

A step whose page needs more (choices per record, fields shown by state) declares its own form class; both kinds
hand `payload_data()` to the same schema and the same service call as the JSON endpoint.
"""

import enum
from decimal import Decimal
from typing import Any, ClassVar, get_args, get_origin

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from grassroots.core.errors import DomainError

from .declaration import StepDecl, Workflow

YES_NO = [("1", _("是")), ("0", _("否"))]
NOTE = _("说明")


def _choice(label: str, choices: list[Any], required: bool, errors: dict[str, Any]) -> forms.ChoiceField:
    """A choice; an optional one starts empty, so a browser does not submit its first choice unasked."""
    if not required:
        choices = [("", "—"), *choices]
    return forms.ChoiceField(label=label, choices=choices, required=required, error_messages=errors)


def _field(info: Any, label: str) -> forms.Field:
    annotation = info.annotation
    required = info.is_required()
    optional = type(None) in get_args(annotation)
    if optional:
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    errors = {"required": _("请填写{label}").format(label=label)}
    if annotation is bool:
        return forms.ChoiceField(
            label=label, choices=YES_NO, required=required, widget=forms.RadioSelect, error_messages=errors
        )
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        choices = getattr(annotation, "choices", [(m.value, m.name) for m in annotation])
        return _choice(label, choices, required, errors)
    if get_origin(annotation) is not None and str(get_origin(annotation)).endswith("Literal"):
        return _choice(label, [(v, v) for v in get_args(annotation)], required, errors)
    if annotation is int:
        return forms.IntegerField(label=label, required=required, error_messages=errors)
    if annotation is Decimal:
        return forms.DecimalField(label=label, required=required, error_messages=errors)
    max_length = next((m.max_length for m in info.metadata if getattr(m, "max_length", None)), 2000)
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=errors,
    )


def step_form(
    step: StepDecl, base: type[forms.Form], *, labels: dict[str, Any] | None = None
) -> type[forms.Form]:
    """A form class for `step` on top of the workflow's `base` (which carries the record and the version)."""
    labels = {"note": NOTE, **(labels or {}), **step.labels}
    fields = {
        name: _field(info, str(labels.get(name) or info.title or name))
        for name, info in step.schema.model_fields.items()
    }
    attrs: dict[str, Any] = {
        **fields,
        "action": step.action,
        "help_text": step.help,
        "folded": step.folded,
        "submit_label": step.button,
        "multipart": step.multipart,
        "__module__": base.__module__,
    }
    name = "".join(part.title() for part in step.action.split("_")) + "Form"
    return type(name, (base,), attrs)


def payload_data(form: forms.Form, names: dict[str, str], *, skip: frozenset[str]) -> dict[str, Any]:
    """The cleaned values under the schema's names: records as their ids, empty answers left out (the schema's
    defaults apply), `skip` (the version, the files) left out."""
    data: dict[str, Any] = {}
    for name, value in form.cleaned_data.items():
        if name in skip or value is None or value == "":
            continue
        if isinstance(value, Model):
            value = value.pk
        data[names.get(name, name)] = value
    return data


def schema_error_text(exc: Any) -> str:
    """A schema's refusal of what a form let through, in words a person can act on (rare: the forms check first)."""
    fields = "、".join(str(err["loc"][-1]) for err in exc.errors() if err.get("loc"))
    return str(_("填写内容不符合要求（{fields}），请检查后重试")).format(fields=fields or "-")


class StepForm(forms.Form):
    """The page's form of a step on one record; `version` is the record's version the person saw (a later change
    is a 409). A workflow's forms set `flow`; `payload()` gives the step's schema, as the JSON endpoint takes it."""

    action: ClassVar[str] = ""
    help_text: ClassVar[Any] = ""
    folded: ClassVar[bool] = False
    submit_label: ClassVar[Any] = ""
    multipart: ClassVar[bool] = False
    flow: ClassVar[Workflow]

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, record: Any, viewer: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        super().__init__(*args, **kwargs)
        self.record, self.viewer = record, viewer
        if not self.is_bound:
            self.initial["version"] = record.version

    @property
    def title(self) -> str:
        return self.flow.label(self.action)

    @property
    def button(self) -> str:
        return str(self.submit_label or self.title)

    @property
    def schema(self) -> Any:
        return self.flow.step(self.action).schema

    def payload(self) -> Any:
        """The cleaned values in the step's schema; a yes/no answer becomes the flag it stands for."""
        data = payload_data(self, {}, skip=frozenset({"version"}))
        flags = {
            n
            for n, info in self.schema.model_fields.items()
            if bool in (info.annotation, *get_args(info.annotation))
        }
        for name in flags & data.keys():
            data[name] = data[name] == "1"
        return self.schema(**data)

    def add_domain_error(self, exc: DomainError) -> None:
        field = None
        if isinstance(exc.details, dict):
            field = next((k for k in exc.details if k in self.fields), None)
        self.add_error(field, exc.message)
