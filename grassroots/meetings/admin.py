"""Coordinating groups are configured per township here (leader, office, member units and their heads). Meetings and
decisions are read-only: they change only through their steps."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from grassroots.core.admin import AuditedModelAdmin

from .models import CoordinatingGroup, GroupMember, Meeting, MeetingTask


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 1
    autocomplete_fields = ["unit", "person"]


@admin.register(CoordinatingGroup)
class CoordinatingGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "township", "forum", "leader", "leader_title", "office", "is_active"]
    list_filter = ["forum", "is_active"]
    search_fields = ["name", "township__name"]
    autocomplete_fields = ["township", "leader", "office"]
    inlines = [MemberInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ["number", "title", "kind", "forum", "township", "starts_at", "status"]
    list_filter = ["kind", "forum", "status"]
    search_fields = ["number", "title"]


@admin.register(MeetingTask)
class MeetingTaskAdmin(ReadOnly):
    list_display = ["number", "text", "owner_unit", "owner_person", "due_at", "status", "late"]
    list_filter = ["status", "late"]
    search_fields = ["number", "text"]
