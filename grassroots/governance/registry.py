"""What the governance platform registers when Django starts: the audit log's names of a dispute's steps, how
links show a dispute (an event converted into one, a meeting's agenda item), the offer 转为矛盾纠纷 on an open
event, what the timer does with its clocks, and the rows in `manage.py seed_figures`."""


def dispute_url(dispute: object) -> str:
    from django.urls import reverse

    return reverse("governance:dispute", args=[dispute.pk])  # type: ignore[attr-defined]


def offered_on_event(person: object, event: object) -> bool:
    """转为矛盾纠纷: an open event of the 综治工作 platform, to those who may use the dispute pages."""
    from grassroots.events.choices import OPEN_STATUSES
    from grassroots.org.choices import PlatformKind

    from .views.dispute_access import may_use

    platform = getattr(event, "platform", None)
    return (
        platform == PlatformKind.GOVERNANCE
        and may_use(person)
        and getattr(event, "status", None) in OPEN_STATUSES
    )


def new_dispute_url(event: object) -> str:
    from django.urls import reverse

    return f"{reverse('governance:dispute_new')}?event={event.pk}"  # type: ignore[attr-defined]


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_offer, register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from . import dispute_seed_rows
    from .models import Dispute
    from .permissions import disputes_visible_to
    from .rules import ACTION_LABELS, DISPUTE
    from .services.dispute_timers import dispute_clock_overdue, dispute_clock_warn

    register_step_labels(DISPUTE.name, "矛盾纠纷", ACTION_LABELS)
    register_link_workflow(
        DISPUTE.name,
        label=_("矛盾纠纷"),
        model=Dispute,
        visible=disputes_visible_to,
        title=lambda d: f"纠纷 {d.pk} {d.title}",
        url=dispute_url,
    )
    register_clock_handlers(DISPUTE.name, on_warn=dispute_clock_warn, on_overdue=dispute_clock_overdue)
    register_link_offer("event", label=_("转为矛盾纠纷"), offered=offered_on_event, url=new_dispute_url)
    dispute_seed_rows.register()
    register_petitions()
    from . import petition_seed_rows

    petition_seed_rows.register()


def petition_url(petition: object) -> str:
    from django.urls import reverse

    return reverse("governance:petition", args=[petition.pk])  # type: ignore[attr-defined]


def register_petitions() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_workflow
    from grassroots.workflow.timers import register_clock_handlers

    from .models import Petition
    from .petition_permissions import petitions_visible_to
    from .petition_rules import ACTION_LABELS, PETITION
    from .services.petition_timers import petition_clock_overdue, petition_clock_warn

    register_step_labels(PETITION.name, "信访件", ACTION_LABELS)
    register_link_workflow(
        PETITION.name,
        label=_("信访件"),
        model=Petition,
        visible=petitions_visible_to,
        title=lambda p: f"信访件 {p.pk} {p.title}",
        url=petition_url,
    )
    register_clock_handlers(PETITION.name, on_warn=petition_clock_warn, on_overdue=petition_clock_overdue)
