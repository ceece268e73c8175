from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .labels import CHANNEL_LABELS, action_label, object_type_label
from .models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    """The codes found in the log, by their Chinese names (the stored code is what the filter matches)."""

    title = _("动作")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted(((code, action_label(code)) for code in codes), key=lambda choice: choice[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(action=self.value()) if self.value() else queryset


class ChannelFilter(admin.SimpleListFilter):
    title = _("渠道")
    parameter_name = "channel"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(CHANNEL_LABELS.items())

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(channel=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only."""

    list_display = ["at", "actor_label", "action_name", "object_type_name", "object_repr", "result", "ip"]
    list_filter = ["result", ChannelFilter, ActionFilter]
    search_fields = ["actor_label", "object_repr", "object_id", "request_id", "action"]
    date_hierarchy = "at"
    # The detail page: the action's name first, the stored code (what searches and exports use) beside it.
    fields = [
        "at",
        "actor",
        "actor_label",
        "action_name",
        "action",
        "object_type_name",
        "object_type",
        "object_id",
        "object_repr",
        "result",
        "ip",
        "request_id",
        "channel_name",
        "detail",
        "signature",
        "chain",
    ]
    readonly_fields = ["action_name", "object_type_name", "channel_name"]

    @admin.display(description=_("动作"), ordering="action")
    def action_name(self, obj: AuditEntry) -> str:
        return action_label(obj.action)

    @admin.display(description=_("对象类型"), ordering="object_type")
    def object_type_name(self, obj: AuditEntry) -> str:
        return object_type_label(obj.object_type)

    @admin.display(description=_("渠道"), ordering="channel")
    def channel_name(self, obj: AuditEntry) -> str:
        return CHANNEL_LABELS.get(obj.channel, obj.channel)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
