"""What the platform registers with the workflow core when Django starts: how links show an application, and what
the timer does with its clocks and with a rectification's, and the audit log's names of their steps."""


def register() -> None:
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from . import seed_rows, timers
    from .models import Application
    from .permissions import visible_to
    from .rules import ACTION_LABELS, RECTIFICATION_LABELS

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
    register_clock_handlers(
        "application", on_warn=timers.application_warn, on_overdue=timers.application_overdue
    )
    register_clock_handlers("rectification", on_overdue=timers.rectification_overdue)
    seed_rows.register()
