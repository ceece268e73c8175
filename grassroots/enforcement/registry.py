"""What the enforcement platform registers when Django starts: its rows in `manage.py seed_figures`, how links show a
case, what the timer does with a case's clocks, and the audit log's names of its steps. The offers to open a case
from an event or an inspection (立案查处) come with the case pages."""

from collections.abc import Callable
from typing import Any


def case_url(case: Any) -> str:
    return f"/enforcement/cases/{case.pk}/"


def register_seed_rows() -> None:
    from . import seed_rows

    seed_rows.register()


def register_cases() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from .models import EnforcementCase
    from .permissions import cases_visible_to
    from .rules import ACTION_LABELS, CASE
    from .services.timers import case_clock_overdue, case_clock_warn

    register_step_labels(CASE.name, "执法案件", ACTION_LABELS)
    register_link_workflow(
        CASE.name,
        label=_("执法案件"),
        model=EnforcementCase,
        visible=cases_visible_to,
        title=lambda case: f"{case} {case.party_name}",
        url=case_url,
    )
    register_clock_handlers(CASE.name, on_warn=case_clock_warn, on_overdue=case_clock_overdue)


REGISTRATIONS: list[Callable[[], None]] = [register_seed_rows, register_cases]


def register() -> None:
    for registration in REGISTRATIONS:
        registration()
