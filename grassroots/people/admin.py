from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from grassroots.audit.services import audit_record_read
from grassroots.core.admin import AuditedModelAdmin
from grassroots.core.masking import mask_id_number, mask_phone
from grassroots.people.actors import person_of

from .choices import Role
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
    # The separated administrators (grassroots/people/duties.py): the system administrator keeps accounts without
    # seeing personal data or assigning roles; the security administrator assigns roles and clears lockouts.
    system_admin_fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("个人信息", {"fields": ["name", "email", "phone_masked", "id_number_masked"]}),
        ("岗位与范围", {"fields": ["unit", "division", "grid", "region_code"]}),
        ("登录", {"fields": ["last_login", "date_joined"]}),
    ]
    system_admin_add_fieldsets = [(None, {"fields": ["username", "name", "password1", "password2"]})]
    security_admin_fieldsets = [
        (None, {"fields": ["username", "name"]}),
        ("岗位", {"fields": ["role", "is_active", "is_staff"]}),
        ("登录", {"fields": ["last_login", "failed_logins", "locked_until"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        role = getattr(request.user, "role", None)
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if role == Role.SECURITY_ADMIN:
            return self.security_admin_fieldsets
        return self.system_admin_fieldsets if obj is not None else self.system_admin_add_fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return self.readonly_fields
        if getattr(request.user, "role", None) == Role.SECURITY_ADMIN:
            return ["username", "name", "last_login"]
        return [*self.readonly_fields, "phone_masked", "id_number_masked"]

    @admin.display(description="手机号")
    def phone_masked(self, obj: Person) -> str:
        return mask_phone(obj.phone or "")

    @admin.display(description="身份证号")
    def id_number_masked(self, obj: Person) -> str:
        return mask_id_number(obj.id_number or "")

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        person = self.get_object(request, object_id)
        if person is not None and request.method == "GET" and request.user.is_superuser:
            audit_record_read(
                actor=person_of(request),
                objects=[person],
                fields=["name", "phone", "id_number"],
                purpose="admin",
            )
        return super().change_view(request, object_id, form_url, extra_context)
