"""The intake desk of the command room (来电来信登记): one screen to register a call, letter or visit, with the
caller's earlier reports and nearby open events of the same type shown while typing (`intake_candidates`, JSON),
places found by name (`intake_places`, JSON), and a repeat joined to the event it repeats."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from grassroots.core.errors import DomainError
from grassroots.core.scope import scope_of
from grassroots.geo.models import Grid
from grassroots.people.models import Person

from ..choices import Mode, Source, Urgency
from ..models import Event
from ..permissions import access_event
from ..selectors import event_type_by_code, event_types_tree
from ..services.intake_candidates import (
    Candidate,
    candidates_by_caller,
    candidates_nearby,
    duplicate_days,
    duplicate_radius_m,
    places_named,
)
from ..services.intake_desk import DESK_CHANNELS, intake_register
from .common import ACTING_ROLES, for_roles, viewer_of

FILE_ACCEPT = "application/pdf,image/*,audio/*"


def _required(text: str) -> dict[str, str]:
    return {"required": text}


class IntakeForm(forms.Form):
    """What the desk types; the rules across fields (phone for a call, letter date, visitors) are the service's."""

    channel = forms.ChoiceField(
        label=_("来源渠道"),
        choices=[(c.value, c.label) for c in DESK_CHANNELS],
        error_messages={**_required("请选择来源渠道"), "invalid_choice": "请选择来源渠道"},
    )
    caller_name = forms.CharField(label=_("反映人"), required=False, max_length=50)
    caller_phone = forms.CharField(
        label=_("联系电话"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    caller_id_number = forms.CharField(
        label=_("身份证号（可选）"),
        required=False,
        max_length=18,
        error_messages={"max_length": "身份证号为 18 位"},
    )
    callback_wanted = forms.BooleanField(label=_("需要回电"), required=False)
    letter_date = forms.DateField(
        label=_("来信日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写有效日期，如 2026-05-01"},
    )
    letter_reference = forms.CharField(label=_("来信编号"), required=False, max_length=50)
    visitors = forms.IntegerField(
        label=_("来访人数"),
        required=False,
        min_value=1,
        max_value=999,
        error_messages={
            "invalid": "来访人数应为整数",
            "min_value": "来访人数至少 1 人",
            "max_value": "来访人数不能超过 999 人",
        },
    )
    event_type = forms.CharField(
        label=_("事件分类"), max_length=16, error_messages=_required("请选择事件分类")
    )
    title = forms.CharField(label=_("标题（可选，默认为分类名称）"), required=False, max_length=200)
    description = forms.CharField(
        label=_("反映内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        error_messages={**_required("请填写反映内容"), "max_length": "反映内容不能超过 4000 字"},
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL, required=False
    )
    mode = forms.ChoiceField(
        label=_("办理方式"),
        required=False,
        choices=[("", _("立案时再定")), *Mode.choices],
        help_text=_("直办：当场答复或办理并回访；交办：派一个单位办理；督办：领导督办，时限从严"),
    )
    address = forms.CharField(label=_("地址"), required=False, max_length=300)
    grid = forms.ChoiceField(label=_("网格"), required=False)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    join = forms.IntegerField(required=False, widget=forms.HiddenInput)
    idempotency_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args: Any, viewer: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        scope = scope_of(viewer)
        grids = Grid.objects.filter(scope.q(region_field="code")).select_related("village").order_by("code")
        self.grids = {g.code: g for g in grids}
        field = self.fields["grid"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—")] + [(g.code, f"{g.village.name} {g.name}") for g in self.grids.values()]
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("id", f"intake-{name}")

    def clean_event_type(self) -> Any:
        code = self.cleaned_data["event_type"].strip()
        event_type = event_type_by_code(code)
        if event_type is None or not event_type.is_active or event_type.parent_id is None:
            raise forms.ValidationError("请从分类目录中选择一个小类")
        return event_type

    def clean_join(self) -> Event | None:
        pk = self.cleaned_data.get("join")
        if not pk:
            return None
        try:
            return access_event(self.viewer, pk)
        except Http404 as exc:  # out of scope looks the same as absent
            raise forms.ValidationError("要并入的事件不存在或不在您的管辖范围内") from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lon, lat = data.get("lon"), data.get("lat")
        grid = self.grids.get(data.get("grid") or "")
        # A grid without a point places the report at the grid's label point (inside it by construction).
        if lon is None and lat is None and grid is not None and (grid.label_lon or grid.label_lat):
            data["lon"], data["lat"] = grid.label_lon, grid.label_lat
        if data.get("lon") is None and not (data.get("address") or "").strip():
            self.add_error("address", "请搜索地址、在地图上点选位置或选择网格")
        return data


FIELD_OF = {"location": "address", "event_type": "event_type", "title": "title", "description": "description"}


def _add_domain_error(form: IntakeForm, exc: DomainError) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    placed = False
    for key, text in details.items():
        name = FIELD_OF.get(key, key)
        if name in form.fields:
            form.add_error(name, str(text) if key not in {"files"} else exc.message)
            placed = True
        elif key == "files":
            form.add_error(None, exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _type_groups() -> list[dict[str, Any]]:
    return [{"major": major, "types": minors} for major, minors in event_types_tree() if minors]


def _context(form: IntakeForm, viewer: Person) -> dict[str, Any]:
    grids = [
        {
            "code": g.code,
            "name": f"{g.village.name} {g.name}",
            "boundary": g.boundary,
            "label": [g.label_lat, g.label_lon],
        }
        for g in form.grids.values()
    ]
    join = getattr(form, "cleaned_data", {}).get("join")
    return {
        "form": form,
        "join_event": join if isinstance(join, Event) else None,
        "groups": _type_groups(),
        "map_data": {"grids": grids},
        "radius_m": duplicate_radius_m(),
        "days": duplicate_days(),
        "file_accept": FILE_ACCEPT,
        "channel_labels": dict(Source.choices),
    }


@for_roles(ACTING_ROLES)
def intake(request: HttpRequest) -> HttpResponse:
    """The page (GET), and the registration (POST): to the new event, or to the event the call joined."""
    viewer = viewer_of(request)
    if request.method != "POST":
        form = IntakeForm(initial={"idempotency_key": uuid.uuid4().hex}, viewer=viewer)
        return render(request, "events/intake.html", _context(form, viewer))
    form = IntakeForm(request.POST, viewer=viewer)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = intake_register(
                actor=viewer,
                channel=data["channel"],
                event_type=data["event_type"],
                title=data["title"],
                description=data["description"],
                lon=data.get("lon"),
                lat=data.get("lat"),
                address=data["address"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                caller_id_number=data["caller_id_number"],
                callback_wanted=data["callback_wanted"],
                letter_date=data["letter_date"],
                letter_reference=data["letter_reference"],
                visitors=data["visitors"],
                urgency=data["urgency"] or Urgency.NORMAL,
                mode=data["mode"],
                files=request.FILES.getlist("files"),
                join=data["join"],
                idempotency_key=data["idempotency_key"] or None,
            )
        except DomainError as exc:
            _add_domain_error(form, exc)
        else:
            if result.joined is not None:
                messages.success(
                    request, f"已登记为重复反映（{result.event.number}），并入事件 {result.joined.number}"
                )
                return redirect("events:detail", event_id=result.joined.pk)
            messages.success(request, f"已登记：{result.event.number}")
            return redirect("events:detail", event_id=result.event.pk)
    return render(request, "events/intake.html", _context(form, viewer), status=422)


def _candidate_json(c: Candidate, *, with_caller: bool) -> dict[str, Any]:
    """One candidate; the caller's name only in the phone matches (the operator typed that number, and the read
    was audited by `candidates_by_caller`)."""
    e = c.event
    target = c.join_target
    return {
        "id": e.pk,
        "number": e.number,
        "title": e.title,
        "type": e.event_type.name,
        "status": e.get_status_display(),
        "source": e.get_source_display(),
        "reported_at": timezone.localtime(e.reported_at).strftime("%Y-%m-%d %H:%M"),
        "address": e.address,
        "caller": e.reporter_name if with_caller else None,
        "distance_m": round(c.distance_m) if c.distance_m is not None else None,
        "url": reverse("events:detail", args=[e.pk]),
        "join": {"id": target.pk, "number": target.number} if target is not None else None,
    }


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


@for_roles(ACTING_ROLES)
@require_GET
def intake_candidates(request: HttpRequest) -> JsonResponse:
    """While typing: `phone` → the caller's earlier reports; `type`, `lon`, `lat` → open events nearby."""
    viewer = viewer_of(request)
    phone = request.GET.get("phone", "")
    type_code = request.GET.get("type", "").strip()
    lon, lat = _float(request.GET.get("lon")), _float(request.GET.get("lat"))
    by_caller = candidates_by_caller(viewer=viewer, phone=phone) if phone else []
    nearby = (
        candidates_nearby(viewer=viewer, type_code=type_code, lon=lon, lat=lat)
        if type_code and lon is not None and lat is not None
        else []
    )
    return JsonResponse(
        {
            "by_caller": [_candidate_json(c, with_caller=True) for c in by_caller],
            "nearby": [_candidate_json(c, with_caller=False) for c in nearby],
            "radius_m": duplicate_radius_m(),
            "days": duplicate_days(),
        }
    )


@for_roles(ACTING_ROLES)
@require_GET
def intake_places(request: HttpRequest) -> JsonResponse:
    """Places by name for the address search: grids and the base map's named roads, waters and villages."""
    places = places_named(viewer=viewer_of(request), q=request.GET.get("q", "")[:50])
    return JsonResponse(
        {
            "places": [
                {"name": p.name, "kind": p.kind, "lon": p.lon, "lat": p.lat, "grid": p.grid_code}
                for p in places
            ]
        }
    )
