from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "grassroots.assessment"
    label = "assessment"
    verbose_name = "评价考核"
