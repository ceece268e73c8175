"""Clocks and links in the admin: to look at, never to edit. Only the clock services set a budget, a pause or a due
time; only the link services make or remove a link (with its audit row)."""

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import Clock, ClockExtension, ClockPause, Link


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ClockPauseInline(_ReadOnlyInline):
    model = ClockPause


class ClockExtensionInline(_ReadOnlyInline):
    model = ClockExtension


@admin.register(Clock)
class ClockAdmin(admin.ModelAdmin):
    list_display = ["workflow", "object_id", "name", "unit", "state", "due_at", "warned", "overdue", "result"]
    list_filter = ["workflow", "state", "unit", "warned", "overdue"]
    search_fields = ["workflow", "name", "limit_source"]
    date_hierarchy = "started_at"
    inlines = [ClockPauseInline, ClockExtensionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = [
        "source_workflow",
        "source_id",
        "kind",
        "target_workflow",
        "target_id",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "source_workflow", "target_workflow"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
