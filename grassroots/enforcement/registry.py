"""What the enforcement platform registers when Django starts: how links show a case, the offers to open one from
an event of the 综合执法 platform or from an inspection that found problems (立案查处), what the timer does with
a case's clocks, and the audit log's names of its steps."""

from typing import Any


def url_or(name: str, args: list[Any], fallback: str) -> str:
    """The page's URL by its name; `fallback` while the page is not there yet (the pages come in a later step)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def case_url(case: Any) -> str:
    return url_or("enforcement:case", [case.pk], f"/enforcement/cases/{case.pk}/")


def new_case_url(source: str, pk: int) -> str:
    return f"{url_or('enforcement:case_new', [], '/enforcement/cases/new/')}?{source}={pk}"


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.events.choices import OPEN_STATUSES as EVENT_OPEN
    from grassroots.org.choices import PlatformKind
    from grassroots.workflow.links import register_link_offer, register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from .models import EnforcementCase
    from .permissions import cases_visible_to, may_open_cases
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
    # An open event of the 综合执法 platform, or an inspection that found problems, can be filed as a case.
    register_link_offer(
        "event",
        label=_("立案查处"),
        offered=lambda person, event: (
            event.platform == PlatformKind.ENFORCEMENT
            and event.status in EVENT_OPEN
            and may_open_cases(person)
        ),
        url=lambda event: new_case_url("event", event.pk),
    )
    register_link_offer(
        "inspection",
        label=_("立案查处"),
        offered=lambda person, inspection: inspection.conclusion == "problems" and may_open_cases(person),
        url=lambda inspection: new_case_url("inspection", inspection.pk),
    )
