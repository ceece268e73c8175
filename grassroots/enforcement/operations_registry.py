"""What joint operations register when Django starts (wired into `registry.REGISTRATIONS`): the audit log's names of
their steps, and how links show an operation, so events, cases and (later) a meeting's agenda can link to one."""


def operation_url(operation: object) -> str:
    return f"/enforcement/operations/{getattr(operation, 'pk', '')}/"


def register_operations() -> None:
    from django.utils.translation import gettext_lazy as _

    from grassroots.audit.labels import register_step_labels
    from grassroots.workflow.links import register_link_workflow

    from .models import JointOperation
    from .services.operation_access import operations_visible_to
    from .services.operation_rules import ACTION_LABELS, WORKFLOW_NAME

    register_step_labels(WORKFLOW_NAME, "联合执法行动", ACTION_LABELS)
    register_link_workflow(
        WORKFLOW_NAME,
        label=_("联合执法行动"),
        model=JointOperation,
        visible=operations_visible_to,
        title=lambda operation: f"{operation.get_kind_display()}：{operation.title}",
        url=operation_url,
    )
