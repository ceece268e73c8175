from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "grassroots.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from grassroots.workflow.timers import register_tick_job

        from .services import audit_verify_due

        register_tick_job("审计核验", audit_verify_due)
