"""Schemes are configuration: maintained here, with parts, indicators and adjustments inline."""

from typing import Any

from django.contrib import admin

from .models import (
    Assessment,
    ManualRating,
    ReportJob,
    Scheme,
    SchemeAdjustment,
    SchemeItem,
    SchemePart,
)


class SchemePartInline(admin.TabularInline):
    model = SchemePart
    extra = 0
    show_change_link = True


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "subject_kind", "unit_kind", "agency_class", "is_active"]
    list_filter = ["subject_kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [SchemePartInline]


class SchemeItemInline(admin.TabularInline):
    model = SchemeItem
    extra = 0


class SchemeAdjustmentInline(admin.TabularInline):
    model = SchemeAdjustment
    extra = 0


@admin.register(SchemePart)
class SchemePartAdmin(admin.ModelAdmin):
    list_display = ["scheme", "name", "weight", "method", "rater"]
    list_filter = ["method", "scheme"]
    inlines = [SchemeItemInline, SchemeAdjustmentInline]


@admin.register(ManualRating)
class ManualRatingAdmin(admin.ModelAdmin):
    """Read-only here: ratings are entered on the raters' page, where every change is audited."""

    list_display = ["part", "period_key", "subject_key", "rater", "score", "updated_at"]
    list_filter = ["part__scheme", "period_key"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Published results are frozen: re-run them from the results page (audited), never edit them here."""

    list_display = ["scheme", "period_key", "area_name", "version", "published_at", "published_by"]
    list_filter = ["scheme"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "period_key", "area_name", "requested_by", "status", "progress", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False
