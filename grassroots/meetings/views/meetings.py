"""The meeting pages: the list with a week's calendar (filter by kind and platform), arranging a meeting, and one
meeting with its attendance, agenda (each item linking the record it discusses), minutes, decisions with their
lights, the Word files, and the forms of the steps the viewer may take now."""

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.core.errors import DomainError
from grassroots.core.watermark import export_reason
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.people.actors import person_of
from grassroots.workcal.calendar import local_today
from grassroots.workflow.forms import StepForm, schema_error_text
from grassroots.workflow.links import links_of

from ..choices import Forum, MeetingKind, MeetingStatus
from ..forms import MeetingForm, meeting_form_for
from ..hard_disputes import hard_disputes
from ..models import Meeting
from ..permissions import access_meeting, may_convene, meeting_actor_kinds, visible_to
from ..rules import ACTION_LABELS, TASK_LABELS
from ..selectors import meetings_filtered, task_lights, week_days, week_of
from ..services.documents import minutes_download
from ..services.meetings import meeting_create
from ..steps import MEETING_FLOW


def _day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return local_today()


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """会议: the week's calendar (?week=a day of it) above the list, both filtered by kind, platform and state."""
    person = person_of(request)
    kind, forum, status = (request.GET.get(k, "") for k in ("kind", "forum", "status"))
    rows = meetings_filtered(
        visible_to(person),
        kind=kind if kind in MeetingKind.values else "",
        forum=forum if forum in Forum.values else "",
        status=status if status in MeetingStatus.values else "",
    ).select_related("township", "convenor")
    day = _day(request.GET.get("week"))
    start, _end = week_of(day)
    page = Paginator(rows.order_by("-starts_at", "-pk"), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "week": week_days(rows, day),
        "week_start": start.date(),
        "previous_week": start.date() - dt.timedelta(days=7),
        "next_week": start.date() + dt.timedelta(days=7),
        "kinds": MeetingKind.choices,
        "forums": Forum.choices,
        "statuses": MeetingStatus.choices,
        "kind": kind,
        "forum": forum,
        "status": status,
        "may_convene": may_convene(person),
        "today": local_today(),
    }
    return render(request, "meetings/list.html", context)


def _township_of(person: Any, requested: str | None) -> Division | None:
    code = requested or (person.region_code or "")[:9]
    if not code:
        return None
    return Division.objects.filter(code=code[:9], level=DivisionLevel.TOWNSHIP, valid_to__isnull=True).first()


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    if not may_convene(person):
        raise PermissionDenied("您的岗位不安排会议")
    township = _township_of(person, request.GET.get("township"))
    if township is None:
        raise Http404("请从所在乡镇安排会议")
    initial = {
        "kind": request.GET.get("kind", MeetingKind.MEDIATION),
        "forum": request.GET.get("forum", Forum.GOVERNANCE),
        "invite_group": True,
    }
    form = MeetingForm(request.POST or None, initial=initial, township_code=township.code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_create(
                actor=person,
                kind=data["kind"],
                forum=data["forum"],
                township=township,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                convenor=data["convenor"],
                invite_group=data["invite_group"],
                attendees=list(data["attendees"]),
                note=data["note"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已安排会议 %(number)s") % {"number": meeting.number})
            return redirect("meetings:meeting", meeting.pk)
    status = 422 if form.is_bound else 200
    return render(request, "meetings/new.html", {"form": form, "township": township}, status=status)


def _forms(meeting: Meeting, person: Any, bound: StepForm | None) -> list[StepForm]:
    actions = MEETING_FLOW.allowed(meeting.status, meeting_actor_kinds(meeting, person))
    return [
        bound if bound is not None and bound.action == a else meeting_form_for(a, meeting, person)
        for a in actions
    ]


def _label(action: str) -> str:
    if action.startswith("task."):
        return f"督办事项{TASK_LABELS.get(action[5:], action)}" if action != "task.create" else "登记督办事项"
    return ACTION_LABELS.get(action, action)


def page(
    request: HttpRequest, meeting: Meeting, person: Any, *, bound: StepForm | None = None, status: int = 200
) -> HttpResponse:
    record_links = links_of(viewer=person, workflow="meeting", object_id=meeting.pk)
    seen = {(s.workflow, s.object_id): s for s in record_links}
    tasks = list(meeting.tasks.select_related("owner_unit", "owner_person", "agenda_item").order_by("pk"))
    lights = task_lights(tasks, timezone.now())
    forms = _forms(meeting, person, bound)
    context = {
        "meeting": meeting,
        "attendances": list(meeting.attendances.select_related("person", "unit")),
        "agenda": [(item, seen.get((item.ref_workflow, item.ref_id or 0))) for item in meeting.agenda.all()],
        "tasks": [(t, lights[t.pk]) for t in tasks],
        "documents": list(meeting.documents.all()),
        "history": [(h, _label(h.action)) for h in meeting.history.select_related("actor", "task")],
        "forms": forms,
        "record_links": record_links,
        "hard_disputes": hard_disputes(meeting, person)
        if any(f.action == "add_agenda" for f in forms)
        else [],
    }
    return render(request, "meetings/meeting.html", context, status=status)


@login_required
def meeting_page(request: HttpRequest, meeting_id: int) -> HttpResponse:
    person = person_of(request)
    return page(request, access_meeting(person, meeting_id), person)


@login_required
@require_POST
def act(request: HttpRequest, meeting_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    record = access_meeting(person, meeting_id)
    if action not in {s.action for s in MEETING_FLOW.steps}:
        raise Http404("没有这个操作")
    form = meeting_form_for(action, record, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != record.version:
            form.add_error(None, _("会议已被他人处理或已变化，请核对后重试"))
        else:
            try:
                MEETING_FLOW.perform(action, person, record, form.payload(), [])
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": MEETING_FLOW.label(action)})
                return redirect("meetings:meeting", record.pk)
    return page(request, access_meeting(person, meeting_id), person, bound=form, status=422)


@login_required
def document(request: HttpRequest, meeting_id: int, document_id: int) -> HttpResponse | FileResponse:
    """The minutes as Word, once a reason is given: a watermarked copy, audited."""
    person = person_of(request)
    meeting = access_meeting(person, meeting_id)
    found = get_object_or_404(meeting.documents, pk=document_id)
    reason = export_reason(request, title=f"{meeting.number} 会议纪要")
    if isinstance(reason, HttpResponse):
        return reason
    return FileResponse(
        io.BytesIO(minutes_download(actor=person, document=found, reason=reason)),
        as_attachment=True,
        filename=f"{meeting.number}-会议纪要.docx",
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
