from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from grassroots.core.admin import AuditedModelAdmin
from grassroots.people.models import Person

from . import services
from .choices import AgencyClass, PlatformKind, UnitKind
from .models import Absence, BackupPost, Platform, TeamMembership, Unit


def _actor(request: HttpRequest) -> Person:
    assert isinstance(request.user, Person)  # the admin site lets only signed-in staff in
    return request.user


def _adopt(obj: Model, created: Model) -> None:
    """Point the admin's unsaved instance at the row a service created, so the admin carries on with it."""
    obj.pk = created.pk
    obj._state.adding = False


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "agency_class", "division", "parent"]
    list_filter = ["kind", "agency_class"]
    search_fields = ["code", "name"]
    list_select_related = ["division", "parent"]
    raw_id_fields = ["division", "parent"]

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        assert isinstance(obj, Unit)
        if change:
            super().save_model(request, obj, form, change)
            return
        unit = services.unit_create(
            actor=_actor(request),
            code=obj.code,
            name=obj.name,
            kind=UnitKind(obj.kind),
            division=obj.division,
            agency_class=AgencyClass(obj.agency_class),
            parent=obj.parent,
            is_active=obj.is_active,
        )
        _adopt(obj, unit)


@admin.register(Platform)
class PlatformAdmin(AuditedModelAdmin):
    list_display = ["__str__", "township", "kind", "lead_unit", "office"]
    list_filter = ["kind"]
    list_select_related = ["township", "lead_unit", "office"]
    filter_horizontal = ["members"]

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        assert isinstance(obj, Platform)
        if change:
            super().save_model(request, obj, form, change)
            return
        platform = services.platform_create(
            actor=_actor(request),
            township=obj.township,
            kind=PlatformKind(obj.kind),
            lead_unit=obj.lead_unit,
            office=obj.office,
            members=form.cleaned_data.get("members") or (),
        )
        _adopt(obj, platform)


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
