"""People through the API (/api/v1/people): scoped by `permissions.visible_to` (404 outside), personal data masked
by role, and every unmasked read audited (one write per page)."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router

from grassroots.core.cursors import page_after
from grassroots.core.scope import code_prefix_q

from .models import Person
from .permissions import access_person, visible_to
from .schemas import PeopleListOut, PeopleListQuery, PersonOut
from .selectors import people_personal_data

router = Router(tags=["people"])


def _out(person: Person, shown: dict[str, str]) -> PersonOut:
    return PersonOut(
        id=person.pk,
        username=person.username,
        role=person.role,
        role_label=str(person.get_role_display()),
        unit=person.unit.name if person.unit else None,
        region_code=person.region_code,
        **shown,
    )


@router.get("/me", response=PersonOut, summary="当前登录人员")
def me(request: HttpRequest) -> PersonOut:
    person = access_person(request.user, int(request.user.pk or 0))
    shown = people_personal_data(viewer=request.user, people=[person], purpose="api.people.me")
    return _out(person, shown[person.pk])


@router.get(
    "", response=PeopleListOut, summary="可见人员（按范围，新建的在前，游标分页；个人信息按角色脱敏）"
)
def person_list(request: HttpRequest, query: Query[PeopleListQuery]) -> PeopleListOut:
    people = visible_to(request.user).select_related("unit")
    if query.q.strip():
        q = query.q.strip()
        people = people.filter(Q(name__contains=q) | Q(username__contains=q))
    if query.role:
        people = people.filter(role=query.role)
    if query.unit is not None:
        people = people.filter(unit_id=query.unit)
    if query.region:
        people = people.filter(code_prefix_q("region_code", query.region))
    page, after = page_after(
        people.order_by("-date_joined", "-id"), field="date_joined", cursor=query.cursor, limit=query.limit
    )
    shown = people_personal_data(viewer=request.user, people=page, purpose="api.people.list")
    return PeopleListOut(items=[_out(p, shown[p.pk]) for p in page], next=after)


@router.get("/{person_id}", response=PersonOut, summary="人员详情（范围外返回 404）")
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    person = access_person(request.user, person_id)
    shown = people_personal_data(viewer=request.user, people=[person], purpose="api.people.detail")
    return _out(person, shown[person.pk])
