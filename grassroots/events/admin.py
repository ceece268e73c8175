"""Admin pages for the event catalogue (editable) and for events and their records (read-mostly).

The loop's state lives in `services/`: here nobody sets a status, a level, a deadline or a version, adds or
deletes a history row, or decides an extension. Only the text of an event may be corrected, and that is audited.
"""

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.audit.services import audit_record
from grassroots.core.admin import AuditedModelAdmin
from grassroots.core.errors import DomainError
from grassroots.people.actors import person_of
from grassroots.workflow.publishing import new_draft, publish

from .models import Assignment, Event, EventType, ExtensionRequest, SupervisionOrder, TimeLimit, Transition


class ReadOnlyInline(admin.TabularInline):
    """Records written by the loop's services, shown alongside their event."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyAdmin(AuditedModelAdmin):
    """A list and detail view of records that only the loop's services write."""

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class TimeLimitInline(admin.TabularInline):
    model = TimeLimit
    extra = 0
    verbose_name = _("处置时限")
    verbose_name_plural = _("各层级处置时限（未设置的层级按默认 1/3/5/7 个工作日）")


@admin.register(EventType)
class EventTypeAdmin(AuditedModelAdmin):
    list_display = [
        "code",
        "name",
        "parent",
        "platform",
        "grid_class",
        "default_level",
        "self_fixable",
        "escalate_on_timeout",
        "is_active",
        "version",
        "status",
        "valid_from",
        "valid_until",
    ]
    list_filter = [
        "status",
        "platform",
        "grid_class",
        "default_level",
        "self_fixable",
        "escalate_on_timeout",
        "is_active",
    ]
    search_fields = ["code", "name", "keywords"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [TimeLimitInline]
    readonly_fields = ["version", "status", "valid_from", "valid_until"]
    actions = ["publish_drafts", "draft_next_versions"]
    fieldsets = [
        (None, {"fields": ["code", "name", "parent", "platform", "grid_class", "is_active", "is_public"]}),
        (
            _("版本与时限"),
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
        (
            _("处置"),
            {
                "fields": [
                    "default_level",
                    "default_unit_suffix",
                    "self_fixable",
                    "verify_hours",
                    "check_hours",
                ]
            },
        ),
        (
            _("立案与结案"),
            {"fields": ["registration_conditions", "closing_conditions", "description", "keywords"]},
        ),
        (
            _("升级与疑似重复"),
            {
                "fields": [
                    "escalate_on_timeout",
                    "escalate_after_reworks",
                    "duplicate_radius_m",
                    "duplicate_window_hours",
                ]
            },
        ),
    ]

    @admin.action(description=_("发布所选草稿（立即生效）"))
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[EventType]) -> None:
        self._each(request, queryset, lambda t: publish(t, actor=person_of(request)), _("已发布"))

    @admin.action(description=_("由所选版本新建草稿"))
    def draft_next_versions(self, request: HttpRequest, queryset: QuerySet[EventType]) -> None:
        self._each(request, queryset, lambda t: new_draft(t, actor=person_of(request)), _("已新建草稿"))

    def _each(self, request: HttpRequest, queryset: QuerySet[EventType], service: Any, done: Any) -> None:
        for event_type in queryset.order_by("code", "version"):
            try:
                result = service(event_type)
            except DomainError as error:
                self.message_user(request, f"{event_type.version_label}：{error.message}", messages.ERROR)
            else:
                self.message_user(request, f"{done} {result.version_label}")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Events keep their type for ever: a type that is no longer wanted is switched off (启用), not deleted.
        return False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            # The limits belong to the type: record them as a change of it.
            audit_record(
                actor=request.user,
                action="eventtype.limits_update",
                obj=form.instance,
                detail={"limits": [f"L{x.level} {x.amount} {x.unit}" for x in form.instance.limits.all()]},
            )


class TransitionInline(ReadOnlyInline):
    model = Transition
    fields = [
        "seq",
        "at",
        "action",
        "from_status",
        "to_status",
        "level",
        "unit",
        "actor",
        "note",
        "elapsed_seconds",
    ]
    ordering = ["seq"]
    verbose_name_plural = _("流转记录（只读）")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Transition]:
        return super().get_queryset(request).select_related("unit", "actor")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = [
        "round",
        "role",
        "unit",
        "status",
        "level",
        "mode",
        "dispatched_at",
        "deadline",
        "signed_at",
        "fed_back_at",
    ]
    verbose_name_plural = _("派遣任务（只读）")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Assignment]:
        return super().get_queryset(request).select_related("unit")


# Corrections of what was written, which no step of the loop depends on.
EVENT_EDITABLE = ["title", "description", "address"]


@admin.register(Event)
class EventAdmin(AuditedModelAdmin):
    """Events, read-mostly: every change of state goes through the loop's services and leaves a history row."""

    list_display = [
        "number",
        "title",
        "event_type",
        "status",
        "level",
        "holder_unit",
        "deadline",
        "overdue",
        "reported_at",
    ]
    list_filter = ["status", "level", "platform", "source", "overdue", "extended", "joint", "leader_flagged"]
    search_fields = ["number", "title", "address"]
    list_select_related = ["event_type", "holder_unit"]
    date_hierarchy = "reported_at"
    show_full_result_count = False  # a district's million events: no COUNT(*) on every page
    inlines = [AssignmentInline, TransitionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Event._meta.fields if field.name not in EVENT_EDITABLE]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # events are reported (event_report), not created here

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # the record is kept; a mistaken report is voided or merged


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "reason", "unit", "issued_by", "issued_at", "deadline", "resolved_at"]
    list_filter = ["kind", "reason"]
    search_fields = ["event__number", "event__title"]
    list_select_related = ["event", "unit", "issued_by"]
    date_hierarchy = "issued_at"


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "event",
        "assignment",
        "days",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["event__number", "event__title"]
    list_select_related = ["event", "assignment__unit", "requested_by", "decided_by"]
    date_hierarchy = "requested_at"
