"""Admin for Open311: clients and their keys (shown once), and the extra questions of each service."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from grassroots.core.admin import AuditedModelAdmin
from grassroots.people.actors import person_of

from . import services
from .models import Open311Request, OpenClient, ServiceAttribute

KEY_TEMPLATE = "admin/open311/openclient/key_created.html"


@admin.register(OpenClient)
class OpenClientAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "prefix",
        "district",
        "rate_limit_per_minute",
        "is_active",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["is_active", "district"]
    search_fields = ["name", "prefix", "contact"]
    actions = ["revoke", "rotate_key"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "contact", "district", "rate_limit_per_minute"]
        return [
            "name",
            "contact",
            "district",
            "rate_limit_per_minute",
            "is_active",
            "prefix",
            "person",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return []
        return ["district", "prefix", "person", "created_at", "last_used_at", "revoked_at"]

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        assert isinstance(obj, OpenClient)
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = services.open_client_create(
            actor=person_of(request),
            name=obj.name,
            district=obj.district,
            rate_limit_per_minute=obj.rate_limit_per_minute,
            contact=obj.contact,
        )
        for name in ("id", "person_id", "key_hash", "prefix", "created_at", "is_active"):
            setattr(obj, name, getattr(client, name))
        obj._state.adding = False
        request._open311_key = key  # type: ignore[attr-defined]  # shown by response_add, never stored

    def response_add(
        self, request: HttpRequest, obj: OpenClient, post_url_continue: str | None = None
    ) -> HttpResponse:
        key = getattr(request, "_open311_key", None)
        if key is None:
            return super().response_add(request, obj, post_url_continue)
        return self._show_key(request, obj, key)

    def _show_key(self, request: HttpRequest, client: OpenClient, key: str) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "client": client,
            "key": key,
            "title": "API 密钥",
        }
        response = TemplateResponse(request, KEY_TEMPLATE, context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="吊销所选客户端的密钥")
    def revoke(self, request: HttpRequest, queryset: QuerySet[OpenClient]) -> None:
        for client in queryset:
            services.open_client_revoke(actor=person_of(request), client=client)
        messages.success(request, f"已吊销 {queryset.count()} 个客户端")

    @admin.action(description="重新生成密钥（一次选一个）")
    def rotate_key(self, request: HttpRequest, queryset: QuerySet[OpenClient]) -> HttpResponse | None:
        if queryset.count() != 1:
            messages.error(request, "重新生成密钥时请只选择一个客户端")
            return None
        client = queryset.get()
        key = services.open_client_rotate_key(actor=person_of(request), client=client)
        return self._show_key(request, client, key)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(AuditedModelAdmin):
    list_display = ["event_type", "order", "code", "description", "datatype", "required", "variable"]
    list_filter = ["datatype", "required", "variable"]
    search_fields = ["code", "description", "event_type__code", "event_type__name"]
    list_select_related = ["event_type"]
    ordering = ["event_type__code", "order"]
    fields = [
        "event_type",
        "order",
        "code",
        "description",
        "datatype",
        "required",
        "variable",
        "datatype_description",
        "values",
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "event_type":
            from grassroots.events.models import EventType

            kwargs["queryset"] = EventType.objects.filter(parent__isnull=False).order_by("code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    """Read-only: requests are written by the intake, and their events carry the loop."""

    list_display = ["event", "channel", "client", "created_at"]
    list_filter = ["channel", "client"]
    search_fields = ["event__number"]
    list_select_related = ["event", "client"]
    fields = ["event", "channel", "client", "address_id", "media_url", "attributes", "created_at"]
    readonly_fields = ["event", "channel", "client", "address_id", "media_url", "attributes", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
