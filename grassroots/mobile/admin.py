from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from grassroots.core.admin import AuditedModelAdmin

from .models import Visit


@admin.register(Visit)
class VisitAdmin(AuditedModelAdmin):
    list_display = ["visited_at", "kind", "grid", "worker", "follow_up", "event"]
    list_filter = ["kind", "follow_up"]
    search_fields = ["region_code", "worker__name"]
    date_hierarchy = "visited_at"
    list_select_related = ["grid", "worker", "event"]
    raw_id_fields = ["worker", "grid", "event"]
    readonly_fields = ["region_code", "created_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        obj.region_code = obj.grid.code  # the scope anchor follows the grid
        super().save_model(request, obj, form, change)
