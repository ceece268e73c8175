from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "grassroots.workcal"
    label = "workcal"
