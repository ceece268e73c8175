"""What every step form shares: the version it was shown at, the words from the declaration, a service's refusal
shown next to the field it names, the schema's names for the payload; and the pickers several steps use."""

from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile

from grassroots.core.errors import DomainError
from grassroots.core.scope import code_prefix_q
from grassroots.geo.codes import village_of
from grassroots.people import permissions as people_permissions
from grassroots.people.choices import Role
from grassroots.workflow.forms import payload_data

from ..forms import Text
from ..models import Event

# -- one form per step of the loop --------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or audio notes in one input (`photos`); their type and size are checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,audio/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial


# Where a service's `details` key points on the page's forms.
DETAIL_FIELDS = {
    "verifier": "verifier",
    "valid": "valid",
    "reason": "reason",
    "note": "note",
    "feedback": "feedback",
    "days": "days",
    "satisfaction": "satisfaction",
    "checker": "checker",
    "verifier_id": "verifier",
    "checker_id": "checker",
    "request_id": "request",
    "suspension_id": "suspension",
    "lead_unit_id": "lead_unit",
    "units": "lead_unit",
    "assist_unit_ids": "assist_units",
    "mode": "mode",
    "route": "route",
    "leader_id": "leader",
    "into_id": "into",
    "direction": "direction",
    "kind": "kind",
    "files": "photos",
}
# A page field whose name differs from the schema's field (the page names the thing, the API its id).
PAYLOAD_NAMES = {page: schema for schema, page in DETAIL_FIELDS.items() if schema.endswith(("_id", "_ids"))}
FILE_ERRORS = {"unsupported_file_type", "file_too_large", "empty_file"}


class ActionForm(forms.Form):
    """A step of the loop on one event. `version` is the event's version the person saw: if someone else moved
    the event meanwhile, the step is refused instead of acting on a state they never saw."""

    action: ClassVar[str] = ""
    submit_label: ClassVar[Text] = ""
    help_text: ClassVar[Text] = ""
    multipart: ClassVar[bool] = False
    # Steps shown folded on the event page (less common, or a way out of the normal path).
    folded: ClassVar[bool] = False

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, event: Event, viewer: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.action}-%s")
        super().__init__(*args, **kwargs)
        self.event = event
        self.viewer = viewer
        if not self.is_bound:
            self.initial["version"] = event.version

    @property
    def offers_nothing(self) -> bool:
        """True when the step has nothing left to choose on this event (the page then leaves it out)."""
        return False

    @property
    def title(self) -> str:
        from ..rules import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)

    @property
    def button(self) -> str:
        return str(self.submit_label or self.title)

    def payload_data(self) -> dict[str, Any]:
        """The cleaned values under the names of the step's schema (the JSON endpoint's), for its one service call."""
        return payload_data(self, PAYLOAD_NAMES, skip=frozenset({"version", "photos"}))

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal next to the field it concerns, or above the form."""
        field = None
        if isinstance(exc.details, dict):
            field = next((DETAIL_FIELDS[k] for k in exc.details if DETAIL_FIELDS.get(k) in self.fields), None)
        if field is None and exc.code in FILE_ERRORS and "photos" in self.fields:
            field = "photos"
        self.add_error(field, exc.message)


def _grid_people(event: Event, viewer: Any) -> Any:
    """Grid workers who can go on site for `event`: its grid's team, or its village's when it has no grid.

    Not sliced: a ModelChoiceField validates the submitted choice with `queryset.get(pk=…)`, which a sliced queryset
    refuses, so every choice would be rejected. A grid team or a village's grid workers are tens of people."""
    people = people_permissions.visible_to(viewer).filter(
        role__in=[Role.GRID_WORKER, Role.GRID_HEAD], is_active=True
    )
    if event.grid_id is not None:
        people = people.filter(grid_id=event.grid_id)
    else:
        people = people.filter(
            code_prefix_q("region_code", village_of(event.region_code) or event.region_code)
        )
    return people.order_by("role", "name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.get_role_display()}）"
