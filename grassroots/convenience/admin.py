"""Admin pages for the service catalogue, the centres and their windows (every change audited).

Only a draft version of an item may be edited or deleted: a published one is what applications were received
under, so it changes by a new draft (the action below, or an Excel import) that is then published.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.core.admin import AuditedModelAdmin
from grassroots.core.errors import DomainError
from grassroots.people.actors import person_of
from grassroots.workflow.choices import CatalogueStatus
from grassroots.workflow.publishing import new_draft, publish

from .models import ServiceCentre, ServiceItem, ServiceMaterial, Window


def _is_draft(obj: Model | None) -> bool:
    return obj is None or getattr(obj, "status", None) == CatalogueStatus.DRAFT


class MaterialInline(admin.TabularInline):
    model = ServiceMaterial
    extra = 0
    fields = ["order", "name", "form", "count", "need", "note", "sample"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "department",
        "statutory_limit",
        "promised_limit",
        "at_most_once",
        "at_village",
        "version",
        "status",
        "valid_from",
        "valid_until",
    ]
    list_filter = [
        "status",
        "kind",
        "deciding_level",
        "in_central",
        "in_developing",
        "in_ecological",
        "at_village",
        "at_most_once",
        "zero_visit",
        "no_meeting",
    ]
    search_fields = ["code", "name", "keywords"]
    inlines = [MaterialInline]
    actions = ["publish_drafts", "draft_next_versions"]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "department", "deciding_level", "office_suffix"]}),
        (
            _("版本与时限（工作日）"),
            {
                "fields": [
                    "version",
                    "status",
                    "valid_from",
                    "valid_until",
                    "limit_unit",
                    "statutory_limit",
                    "promised_limit",
                ]
            },
        ),
        (_("办事指南"), {"fields": ["legal_basis", "conditions", "procedure", "fee", "channels", "windows"]}),
        (
            _("跑动次数与清单"),
            {
                "fields": [
                    "required_visits",
                    "at_most_once",
                    "zero_visit",
                    "no_meeting",
                    "in_central",
                    "in_developing",
                    "in_ecological",
                    "at_village",
                    "keywords",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        if not _is_draft(obj):
            return [f.name for f in ServiceItem._meta.fields]
        return ["version", "status", "valid_from", "valid_until"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A published or retired version may be what an application was received under.
        return obj is not None and _is_draft(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("发布所选草稿（立即生效）"))
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        self._each(request, queryset, lambda i: publish(i, actor=person_of(request)), _("已发布"))

    @admin.action(description=_("由所选版本新建草稿"))
    def draft_next_versions(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        self._each(request, queryset, lambda i: new_draft(i, actor=person_of(request)), _("已新建草稿"))

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[ServiceItem],
        service: Callable[[ServiceItem], ServiceItem],
        done: Any,
    ) -> None:
        for item in queryset.order_by("code", "version"):
            try:
                result = service(item)
            except DomainError as error:
                self.message_user(request, f"{item.version_label}：{error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{done} {result.version_label}")


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(ServiceCentre)
class ServiceCentreAdmin(AuditedModelAdmin):
    list_display = ["name", "township", "township_type", "unit", "phone"]
    list_filter = ["township_type"]
    search_fields = ["name", "township__name", "township__code"]
    list_select_related = ["township", "unit"]
    raw_id_fields = ["township", "unit"]
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["__str__", "centre", "number", "name", "comprehensive"]
    list_filter = ["comprehensive", "centre"]
    search_fields = ["name", "centre__name"]
    list_select_related = ["centre"]
