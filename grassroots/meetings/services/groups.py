"""Coordinating groups configured per township: made from the township's platforms (their lead units, offices and
member units, DOMAIN.md §4) and then kept by hand (the admin, or the groups page)."""

from typing import Any

from django.db import transaction

from grassroots.audit.services import audit_record
from grassroots.core.errors import Forbidden
from grassroots.geo.models import Division
from grassroots.org.choices import UnitKind
from grassroots.org.models import Platform, Unit
from grassroots.people.choices import Role
from grassroots.people.models import Person

from ..choices import Forum, MemberRole
from ..models import CoordinatingGroup, GroupMember
from ..permissions import covers_township, may_convene

# Who sits for a unit when nobody is named: its leader, else its coordinator, else its first staff member.
HEAD_ROLES = (Role.LEADER, Role.PLATFORM_COORDINATOR, Role.SHIFT_LEAD, Role.DEPARTMENT_STAFF, Role.MEDIATOR)


def unit_head(unit: Unit) -> Person | None:
    staff = {p.role: p for p in Person.objects.filter(unit=unit, is_active=True).order_by("-pk")}
    return next((staff[r] for r in HEAD_ROLES if r in staff), None)


@transaction.atomic
def groups_from_platforms(*, actor: Any, township: Division, leader: Person | None = None) -> int:
    """One group per platform the township has and the command room's, where none exists yet; how many were made.

    The leader is the person given (seed 003: the township's deputy secretary), else a leader of the township's
    offices; member units are the platform's, each with its head."""
    if not may_convene(actor) or not (actor.is_superuser or covers_township(actor, township.code)):
        raise Forbidden("您无权配置该乡镇街道的协调组", code="not_permitted")
    leader = leader or (
        Person.objects.filter(role=Role.LEADER, is_active=True, unit__division=township)
        .order_by("pk")
        .first()
    )
    made = 0
    existing = set(CoordinatingGroup.objects.filter(township=township).values_list("forum", flat=True))
    platforms = {p.kind: p for p in Platform.objects.filter(township=township).prefetch_related("members")}
    room = Unit.objects.filter(division=township, kind=UnitKind.COMMAND_ROOM).first()
    for forum in Forum:
        if forum in existing:
            continue
        platform = platforms.get(forum.value)
        if forum != Forum.COMMAND and platform is None:
            continue
        label = "综合信息指挥室工作例会" if forum == Forum.COMMAND else f"{forum.label}平台协调组"
        group = CoordinatingGroup.objects.create(
            township=township,
            forum=forum,
            name=f"{township.name}{label}",
            leader=leader,
            leader_title="党委副书记" if leader else "",
            office=room if platform is None else (platform.office or platform.lead_unit),
            schedule="每周一上午" if forum in (Forum.GOVERNANCE, Forum.ENFORCEMENT) else "",
        )
        units = [room] if platform is None and room else list(platform.members.all()) if platform else []
        GroupMember.objects.bulk_create(
            GroupMember(
                group=group, unit=u, person=unit_head(u), title="负责人", role=MemberRole.MEMBER, position=n
            )
            for n, u in enumerate(units, start=1)
        )
        made += 1
    audit_record(
        actor=actor,
        action="meeting_group.generate",
        object_type="geo.division",
        object_id=township.code,
        object_repr=township.name,
        detail={"groups": made},
    )
    return made
