"""People through the API: the list and one person, ID numbers and phones masked."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.access import access_by_id
from chizheng.api.pagination import Page
from chizheng.api.types import Choice, Id, PageNo, PageSize

from .. import selectors
from ..models import KeyGroup, Person
from .common import CountyCode, Query, actor_of, operation_id, page_of

router = Router()


class PersonOut(Schema):
    id: int
    name: str
    id_number: str  # masked
    phone: str  # masked
    county: str
    key_group: str = ""
    employer: int | None = None
    post_occupation: str = ""
    former_occupation: str = ""
    school: int | None = None
    major_occupation: str = ""
    graduation_year: int | None = None


def _person(p: Person) -> dict[str, object]:
    return {
        "id": p.pk,
        "name": p.name,
        "id_number": p.id_masked,
        "phone": p.phone_masked,
        "county": p.county.code,
        "key_group": p.key_group,
        "employer": p.employer_id,
        "post_occupation": p.post_occupation.code if p.post_occupation else "",
        "former_occupation": p.former_occupation.code if p.former_occupation else "",
        "school": p.school_id,
        "major_occupation": p.major_occupation.code if p.major_occupation else "",
        "graduation_year": p.graduation_year,
    }


_PERSON_RELATED = ("county", "post_occupation", "former_occupation", "major_occupation")


@router.get(
    "/people",
    response=Page,
    summary="人员列表（身份证号码、手机号脱敏）",
    operation_id=operation_id("people"),
)
def people(
    request: HttpRequest,
    q: Query = "",
    county: CountyCode = "",
    key_group: Annotated[str, Choice(KeyGroup, "重点群体", blank=True)] = "",
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.person_search(actor=actor_of(request), q=q, county=county, key_group=key_group)
    return page_of(qs.select_related(*_PERSON_RELATED), page, page_size, _person)


@router.get(
    "/people/{person_id}",
    response=PersonOut,
    summary="人员详情（脱敏）",
    operation_id=operation_id("person"),
)
def person(request: HttpRequest, person_id: Id) -> dict[str, object]:
    actor = actor_of(request)
    qs = selectors.person_list(actor=actor).select_related(*_PERSON_RELATED)
    return _person(access_by_id(actor, qs, person_id))
