from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "grassroots.workflow"
    label = "workflow"
    verbose_name = "工作流程"
