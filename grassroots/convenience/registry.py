"""What the platform registers with the workflow core when Django starts: how links show an application, and what
the timer does with its clocks and with a rectification's, and the audit log's names of their steps."""

from typing import Any


def register() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.events.choices import OPEN_STATUSES as EVENT_OPEN
    from grassroots.org.choices import PlatformKind
    from grassroots.people.choices import Role
    from grassroots.workflow.links import register_link_offer, register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from . import seed_rows, timers
    from .models import Application
    from .permissions import visible_to
    from .rules import ACTION_LABELS, RECTIFICATION_LABELS
    from .selectors import AGENT_ROLES

    register_step_labels("application", "办件", ACTION_LABELS)
    register_step_labels("rectification", "差评整改", RECTIFICATION_LABELS)

    register_link_workflow(
        "application",
        label=_("办件"),
        model=Application,
        visible=visible_to,
        title=lambda a: f"{a.number} {a.item.name}",
        url=lambda a: reverse("convenience:application", args=[a.pk]),
    )

    # A 便民服务 event still open (a resident asks for help) can be filed as an application for them: by a clerk at
    # the window, or by the village agent (代办); the new application is linked to the event.
    def open_service_event(event: Any) -> bool:
        return event.platform == PlatformKind.SERVICE and event.status in EVENT_OPEN

    register_link_offer(
        "event",
        label=_("代为申办（转办件）"),
        offered=lambda person, event: person.role == Role.WINDOW_CLERK and open_service_event(event),
        url=lambda event: f"{reverse('convenience:apply')}?event={event.pk}",
    )
    register_link_offer(
        "event",
        label=_("代办登记（转办件）"),
        offered=lambda person, event: person.role in AGENT_ROLES and open_service_event(event),
        url=lambda event: f"{reverse('convenience:forward')}?event={event.pk}",
    )
    register_clock_handlers(
        "application", on_warn=timers.application_warn, on_overdue=timers.application_overdue
    )
    register_clock_handlers("rectification", on_overdue=timers.rectification_overdue)
    seed_rows.register()
