from django.contrib import admin

from grassroots.core.admin import AuditedModelAdmin

from .models import Absence, BackupPost, Platform, TeamMembership, Unit


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "agency_class", "division", "parent"]
    list_filter = ["kind", "agency_class"]
    search_fields = ["code", "name"]
    list_select_related = ["division", "parent"]
    raw_id_fields = ["division", "parent"]


@admin.register(Platform)
class PlatformAdmin(AuditedModelAdmin):
    list_display = ["__str__", "township", "kind", "lead_unit", "office"]
    list_filter = ["kind"]
    list_select_related = ["township", "lead_unit", "office"]
    filter_horizontal = ["members"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(AuditedModelAdmin):
    list_display = ["grid", "role", "person", "start", "end"]
    list_filter = ["role"]
    search_fields = ["grid__code", "grid__name", "person__name"]
    list_select_related = ["grid", "person"]
    raw_id_fields = ["grid", "person"]


@admin.register(BackupPost)
class BackupPostAdmin(AuditedModelAdmin):
    list_display = ["name", "unit", "holder", "backup"]
    list_select_related = ["unit", "holder", "backup"]
    raw_id_fields = ["unit", "holder", "backup"]


@admin.register(Absence)
class AbsenceAdmin(AuditedModelAdmin):
    list_display = ["person", "start", "end", "reason"]
    raw_id_fields = ["person"]
