"""我的督办事项: the decisions a person owns (named, or of their unit), each with its light; one decision's page with
the steps the viewer may take (办结, 撤销). The inbox links here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from grassroots.core.errors import DomainError
from grassroots.people.actors import person_of
from grassroots.workflow.forms import StepForm, schema_error_text

from ..forms import task_form_for
from ..models import MeetingTask
from ..permissions import access_task, task_actor_kinds
from ..selectors import task_lights, tasks_owned
from ..steps import TASK_FLOW


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    done = request.GET.get("done") == "1"
    rows = tasks_owned(person, open_only=not done)
    if done:
        rows = rows.exclude(status="open")
    tasks = list(rows[:200])
    lights = task_lights(tasks, timezone.now())
    context = {"tasks": [(t, lights[t.pk]) for t in tasks], "done": done}
    return render(request, "meetings/tasks.html", context)


def _page(
    request: HttpRequest, task: MeetingTask, person: Any, *, bound: StepForm | None = None, status: int = 200
) -> HttpResponse:
    actions = TASK_FLOW.allowed(task.status, task_actor_kinds(task, person))
    forms = [
        bound if bound is not None and bound.action == a else task_form_for(a, task, person) for a in actions
    ]
    context = {
        "task": task,
        "light": task_lights([task], timezone.now())[task.pk],
        "history": list(task.history.select_related("actor")),
        "forms": forms,
    }
    return render(request, "meetings/task.html", context, status=status)


@login_required
def task_page(request: HttpRequest, task_id: int) -> HttpResponse:
    person = person_of(request)
    return _page(request, access_task(person, task_id), person)


@login_required
@require_POST
def task_act(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    person = person_of(request)
    task = access_task(person, task_id)
    if action not in {s.action for s in TASK_FLOW.steps}:
        raise Http404("没有这个操作")
    form = task_form_for(action, task, person, data=request.POST)
    if form.is_valid():
        seen = form.cleaned_data.get("version")
        if seen is not None and seen != task.version:
            form.add_error(None, _("督办事项已被他人处理或已变化，请核对后重试"))
        else:
            try:
                TASK_FLOW.perform(action, person, task, form.payload(), [])
            except DomainError as exc:
                form.add_domain_error(exc)
            except ValidationError as exc:
                form.add_error(None, schema_error_text(exc))
            else:
                messages.success(request, _("已%(action)s") % {"action": TASK_FLOW.label(action)})
                return redirect("meetings:task", task.pk)
    return _page(request, access_task(person, task_id), person, bound=form, status=422)
