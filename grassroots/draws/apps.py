from django.apps import AppConfig


class DrawsConfig(AppConfig):
    name = "grassroots.draws"
    label = "draws"
    verbose_name = "双随机、一公开"

    def ready(self) -> None:
        from grassroots.audit.labels import register_step_labels

        from .rules import ACTION_LABELS, INSPECTOR_ACTION_LABELS, ITEM_ACTION_LABELS

        register_step_labels("drawplan", "抽查计划", ACTION_LABELS)
        register_step_labels("inspectionitem", "抽查事项", ITEM_ACTION_LABELS)
        register_step_labels("inspector", "执法人员", INSPECTOR_ACTION_LABELS)
