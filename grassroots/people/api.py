from django.http import HttpRequest
from ninja import Router

from .models import Person
from .permissions import access_person, visible_to
from .schemas import PersonOut
from .selectors import people_personal_data

router = Router()


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


@router.get("", response=list[PersonOut], summary="可见人员（按范围，最多 200 条）")
def person_list(request: HttpRequest, q: str = "", limit: int = 50) -> list[PersonOut]:
    people = visible_to(request.user).select_related("unit").order_by("username")
    if q:
        people = people.filter(name__contains=q) | people.filter(username__contains=q)
    page = list(people[: max(1, min(limit, 200))])
    shown = people_personal_data(viewer=request.user, people=page, purpose="api.people.list")
    return [_out(p, shown[p.pk]) for p in page]


@router.get("/{person_id}", response=PersonOut, summary="人员详情（范围外返回 404）")
def person_detail(request: HttpRequest, person_id: int) -> PersonOut:
    person = access_person(request.user, person_id)
    shown = people_personal_data(viewer=request.user, people=[person], purpose="api.people.detail")
    return _out(person, shown[person.pk])
