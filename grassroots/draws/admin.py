"""Admin views of the item list and the inspector pool; plans, pools and draws are read-only records here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.admin import AuditedModelAdmin

from .models import DeclaredRelation, Draw, DrawPlan, InspectionItem, Inspector


@admin.register(InspectionItem)
class InspectionItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "unit", "target_kind", "published"]
    search_fields = ["code", "name"]


@admin.register(Inspector)
class InspectorAdmin(AuditedModelAdmin):
    list_display = ["person", "certificate_no", "certificate_valid_to", "unit", "active"]
    search_fields = ["certificate_no", "person__name"]
    raw_id_fields = ["person"]


@admin.register(DeclaredRelation)
class DeclaredRelationAdmin(AuditedModelAdmin):
    list_display = ["inspector", "target_kind", "target_id", "reason", "declared_at"]


@admin.register(DrawPlan)
class DrawPlanAdmin(AuditedModelAdmin):
    list_display = ["name", "status", "created_at"]
    readonly_fields = ["status", "version"]


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    list_display = ["plan", "sequence", "algorithm", "drawn_at", "superseded_at", "results_published_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
