"""What the enforcement platform registers when Django starts: its rows in `manage.py seed_figures`, how links show a
case, what the timer does with a case's clocks, the audit log's names of its steps, and the offers to open a case
(立案查处) from an open event of the 综合执法 platform or an inspection that found problems; and the
执法统计 page's sections of joint operations and of plans (`figures/section_providers.py`)."""

from collections.abc import Callable
from typing import Any

from .operations_registry import register_operations


def case_url(case: Any) -> str:
    from django.urls import reverse

    return reverse("enforcement:case", args=[case.pk])


def new_case_url(source: str, pk: int) -> str:
    """The lead's page prefilled from an event or an inspection (`views.cases_new`)."""
    from django.urls import reverse

    return f"{reverse('enforcement:case_new')}?{source}={pk}"


def offered_on_event(person: Any, event: Any) -> bool:
    from grassroots.events.choices import OPEN_STATUSES
    from grassroots.org.choices import PlatformKind

    from .permissions import may_open_cases

    return (
        event.platform == PlatformKind.ENFORCEMENT
        and event.status in OPEN_STATUSES
        and may_open_cases(person)
    )


def offered_on_inspection(person: Any, inspection: Any) -> bool:
    """An inspection that found problems (`case_prefill` takes its findings as the facts)."""
    from .permissions import may_open_cases

    return inspection.conclusion == "problems" and may_open_cases(person)


def register_seed_rows() -> None:
    from . import seed_rows

    seed_rows.register()


def register_cases() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_offer, register_link_workflow
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
    register_link_offer(
        "event", label=_("立案查处"), offered=offered_on_event, url=lambda e: new_case_url("event", e.pk)
    )
    register_link_offer(
        "inspection",
        label=_("立案查处"),
        offered=offered_on_inspection,
        url=lambda i: new_case_url("inspection", i.pk),
    )


def register_operation_rows() -> None:
    from grassroots.core.seed_figures import register as register_rows

    from .operation_seed_rows import operation_seed_rows

    register_rows(operation_seed_rows)


def register_sections() -> None:
    """The 执法统计 page's sections of joint operations and of plans with daily reports."""
    from .figures import section_providers

    section_providers.register()


REGISTRATIONS: list[Callable[[], None]] = [
    register_seed_rows,
    register_cases,
    register_operations,
    register_operation_rows,
    register_sections,
]


def register() -> None:
    for registration in REGISTRATIONS:
        registration()
