"""Admin pages for the inbox and the email outbox: read-only, with one action to resend mails that failed."""

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from grassroots.core.admin import AuditedModelAdmin
from grassroots.people.actors import person_of

from .models import Notification, OutboxEmail
from .services import outbox_retry


class ReadOnlyAdmin(AuditedModelAdmin):
    """Rows written by the services after a change commits; nobody edits them by hand."""

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "verb", "text", "event", "created_at", "read_at"]
    list_filter = ["verb", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__name", "recipient__username", "text"]
    list_select_related = ["recipient", "event"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ReadOnlyAdmin):
    list_display = ["to", "subject", "status", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["retry"]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outboxemail")

    @admin.action(description=_("重新发送所选邮件（已发送的除外）"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        count = outbox_retry(actor=person_of(request), ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(count)d 封邮件将在下一轮重新发送。", "%(count)d 封邮件将在下一轮重新发送。", count)
            % {"count": count},
            messages.SUCCESS,
        )
