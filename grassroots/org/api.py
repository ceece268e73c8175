"""Units, platforms and grid teams through the API (/api/v1/units, /api/v1/platforms, /api/v1/teams).

Scoped like the pages: the units and platforms of the viewer's township (the command room's filters widen a
village or grid scope to its township), unit staff their own unit and its platforms; teams of the grids the viewer
sees. Out of scope answers 404. Team members' personal data is masked by role, and every unmasked read is audited
(one write per page). Each page costs a fixed number of queries.
"""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router

from grassroots.core.scope import code_prefix_q, scope_of
from grassroots.events.schemas import ErrorOut
from grassroots.geo.api import grids_visible_to, page_by_id
from grassroots.geo.models import Grid
from grassroots.people.selectors import people_personal_data
from grassroots.workcal.calendar import local_today

from .models import Platform, TeamMembership, Unit
from .schemas import (
    OrgPlatformListOut,
    OrgPlatformOut,
    OrgPlatformQuery,
    OrgTeamListOut,
    OrgTeamMemberOut,
    OrgTeamOut,
    OrgTeamQuery,
    OrgUnitListOut,
    OrgUnitOut,
    OrgUnitPlatformOut,
    OrgUnitQuery,
    OrgUnitRefOut,
)

units_router = Router(tags=["units"])
platforms_router = Router(tags=["platforms"])
teams_router = Router(tags=["teams"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
TOWNSHIP_DIGITS = 9


def units_visible_to(user: Any) -> QuerySet[Unit]:
    scope = scope_of(user).widened_to(TOWNSHIP_DIGITS)
    return Unit.objects.filter(scope.q(region_field="division__code", unit_field="id"))


def platforms_visible_to(user: Any) -> QuerySet[Platform]:
    scope = scope_of(user).widened_to(TOWNSHIP_DIGITS)
    ids = Platform.objects.filter(scope.q(region_field="township__code", unit_field="members"))
    return Platform.objects.filter(pk__in=ids.values("pk"))  # a member join would repeat rows


def _ref(unit: Unit | None) -> OrgUnitRefOut | None:
    return OrgUnitRefOut(id=unit.pk, code=unit.code, name=unit.name) if unit is not None else None


# -- units --------------------------------------------------------------------------------------------------


def _units_loaded(rows: QuerySet[Unit]) -> QuerySet[Unit]:
    return rows.select_related("division", "parent").prefetch_related(
        Prefetch("platforms", queryset=Platform.objects.select_related("township").order_by("kind"))
    )


def _unit_out(u: Unit) -> OrgUnitOut:
    return OrgUnitOut(
        id=u.pk,
        code=u.code,
        name=u.name,
        kind=u.kind,
        kind_label=u.get_kind_display(),
        agency_class=u.agency_class,
        division_code=u.division.code,
        division_name=u.division.name,
        parent=_ref(u.parent),
        is_active=u.is_active,
        platforms=[
            OrgUnitPlatformOut(id=p.pk, kind=p.kind, township_code=p.township.code) for p in u.platforms.all()
        ],
    )


@units_router.get(
    "",
    response={200: OrgUnitListOut, **ERRORS},
    summary="单位（按范围，游标分页）",
    operation_id="unit_list",
)
def unit_list(request: HttpRequest, query: Query[OrgUnitQuery]) -> OrgUnitListOut:
    rows = units_visible_to(request.user)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.division:
        rows = rows.filter(code_prefix_q("division__code", query.division))
    if query.q.strip():
        rows = rows.filter(Q(name__contains=query.q.strip()) | Q(code__startswith=query.q.strip()))
    if query.active is not None:
        rows = rows.filter(is_active=query.active)
    page, after = page_by_id(_units_loaded(rows), cursor=query.cursor, limit=query.limit)
    return OrgUnitListOut(items=[_unit_out(u) for u in page], next=after)


@units_router.get(
    "/{unit_id}",
    response={200: OrgUnitOut, **ERRORS},
    summary="一个单位（范围外返回 404）",
    operation_id="unit_detail",
)
def unit_detail(request: HttpRequest, unit_id: int) -> OrgUnitOut:
    unit = _units_loaded(units_visible_to(request.user)).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("单位不存在或不在您的管辖范围内")
    return _unit_out(unit)


# -- platforms ----------------------------------------------------------------------------------------------


def _platforms_loaded(rows: QuerySet[Platform]) -> QuerySet[Platform]:
    return rows.select_related("township", "lead_unit", "office").prefetch_related(
        Prefetch("members", queryset=Unit.objects.order_by("code"))
    )


def _platform_out(p: Platform) -> OrgPlatformOut:
    return OrgPlatformOut(
        id=p.pk,
        kind=p.kind,
        kind_label=p.get_kind_display(),
        township_code=p.township.code,
        township_name=p.township.name,
        lead_unit=_ref(p.lead_unit),
        office=_ref(p.office),
        members=[OrgUnitRefOut(id=u.pk, code=u.code, name=u.name) for u in p.members.all()],
    )


@platforms_router.get(
    "",
    response={200: OrgPlatformListOut, **ERRORS},
    summary="四个平台及其牵头单位、成员单位（按范围，游标分页）",
    operation_id="platform_list",
)
def platform_list(request: HttpRequest, query: Query[OrgPlatformQuery]) -> OrgPlatformListOut:
    rows = platforms_visible_to(request.user)
    if query.township:
        rows = rows.filter(township__code=query.township)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    page, after = page_by_id(_platforms_loaded(rows), cursor=query.cursor, limit=query.limit)
    return OrgPlatformListOut(items=[_platform_out(p) for p in page], next=after)


@platforms_router.get(
    "/{platform_id}",
    response={200: OrgPlatformOut, **ERRORS},
    summary="一个平台（范围外返回 404）",
    operation_id="platform_detail",
)
def platform_detail(request: HttpRequest, platform_id: int) -> OrgPlatformOut:
    platform = _platforms_loaded(platforms_visible_to(request.user)).filter(pk=platform_id).first()
    if platform is None:
        raise Http404("平台不存在或不在您的管辖范围内")
    return _platform_out(platform)


# -- grid teams ---------------------------------------------------------------------------------------------


def _teams(request: HttpRequest, grids: list[Grid], purpose: str) -> list[OrgTeamOut]:
    """Each grid's members today, personal data as the viewer may see it (unmasked reads audited at once)."""
    people = {m.person.pk: m.person for g in grids for m in g.team.all()}
    shown = people_personal_data(viewer=request.user, people=people.values(), purpose=purpose)
    return [
        OrgTeamOut(
            grid_id=g.pk,
            grid_code=g.code,
            grid_name=g.name,
            village_code=g.village.code,
            members=[
                OrgTeamMemberOut(
                    person_id=m.person_id,
                    name=shown[m.person_id]["name"],
                    phone=shown[m.person_id]["phone"],
                    role=m.role,
                    role_label=m.get_role_display(),
                    start=m.start,
                    end=m.end,
                )
                for m in g.team.all()
            ],
        )
        for g in grids
    ]


def _grids_with_teams(rows: QuerySet[Grid]) -> QuerySet[Grid]:
    today = local_today()
    current = (
        TeamMembership.objects.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
        .select_related("person")
        .order_by("role", "start", "id")
    )
    return rows.select_related("village").prefetch_related(Prefetch("team", queryset=current))


@teams_router.get(
    "",
    response={200: OrgTeamListOut, **ERRORS},
    summary="网格团队（1+1+1+X，按范围，游标分页；个人信息按角色脱敏）",
    operation_id="team_list",
)
def team_list(request: HttpRequest, query: Query[OrgTeamQuery]) -> OrgTeamListOut:
    rows = grids_visible_to(request.user)
    if query.village:
        rows = rows.filter(village__code=query.village)
    if query.grid:
        rows = rows.filter(code=query.grid)
    page, after = page_by_id(_grids_with_teams(rows), cursor=query.cursor, limit=query.limit)
    return OrgTeamListOut(items=_teams(request, page, "api.teams.list"), next=after)


@teams_router.get(
    "/{grid_code}",
    response={200: OrgTeamOut, **ERRORS},
    summary="一个网格的团队（范围外返回 404）",
    operation_id="team_detail",
)
def team_detail(request: HttpRequest, grid_code: str) -> OrgTeamOut:
    grid = _grids_with_teams(grids_visible_to(request.user)).filter(code=grid_code).first()
    if grid is None:
        raise Http404("网格不存在或不在您的管辖范围内")
    return _teams(request, [grid], "api.teams.detail")[0]
