from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Division, Grid


@admin.register(Division)
class DivisionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Grid)
class GridAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "village", "kind", "households"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "village__name"]
    list_select_related = ["village"]
    raw_id_fields = ["village"]
    readonly_fields = ["min_lon", "min_lat", "max_lon", "max_lat", "label_lon", "label_lat"]
