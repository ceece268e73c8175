from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from grassroots.audit.services import audit_record_read
from grassroots.core.admin import AuditedModelAdmin
from grassroots.people.actors import person_of

from .models import Person


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ["username", "name", "role", "unit", "region_code", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "name", "region_code"]
    ordering = ["username"]
    list_select_related = ["unit"]
    raw_id_fields = ["unit", "division", "grid"]
    readonly_fields = ["region_code", "last_login", "date_joined", "failed_logins", "locked_until"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["name", "phone", "id_number", "email"]}),
        ("岗位与范围", {"fields": ["role", "unit", "division", "grid", "region_code"]}),
        ("权限", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("登录", {"fields": ["last_login", "date_joined", "failed_logins", "locked_until"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "name", "role", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is not None and request.method == "GET":
            audit_record_read(
                actor=person_of(request),
                objects=[person],
                fields=["name", "phone", "id_number"],
                purpose="admin",
            )
        return super().change_view(request, object_id, form_url, extra_context)
