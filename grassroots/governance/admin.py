"""Disputes are read-only here: they change only through their steps. The parties (personal data) are not shown:
their unmasked reads go through `permissions.parties_of`, which audits them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Dispute


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "kind", "status", "committee", "village", "risk_level", "created_at"]
    list_filter = ["status", "kind", "source", "risk_level"]
    search_fields = ["title"]
    exclude = ["mediators"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
