"""What the other areas ask of the registries: catalog on a day, evaluator scope, §20(1) counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from chizheng.accounts.models import Role, User
from chizheng.api.tests.clients import ApiClient
from chizheng.core import ids
from chizheng.core.errors import ValidationError
from chizheng.org.models import County
from chizheng.registry import selectors, services
from chizheng.registry.models import Institution, is_high_skilled

pytestmark = pytest.mark.django_db
D = dt.date


def test_catalog_counts_from_its_date(
    occupations: None, make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    welder = services.occupation_for_code("6-18-02-04")
    services.catalog_add(
        actor=office,
        institution_id=inst.pk,
        year=2022,
        occupation_code="6-18-02-04",
        valid_from=D(2022, 5, 16),
        source="change",
    )
    assert not selectors.catalog_allows(institution=inst, occupation=welder, on=D(2022, 5, 15))
    assert selectors.catalog_allows(institution=inst, occupation=welder, on=D(2022, 5, 16))
    assert not selectors.catalog_allows(
        institution=inst, occupation=welder, on=D(2023, 5, 16)
    )  # the year's list
    with pytest.raises(ValidationError):
        services.catalog_add(
            actor=office,
            institution_id=inst.pk,
            year=2022,
            occupation_code="6-18-02-04",
            valid_from=D(2022, 6, 1),
        )


def test_evaluator_scope_and_levels(
    occupations: None, make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution(kind=Institution.Kind.EVALUATOR)
    services.institution_update(actor=office, institution_id=inst.pk, evaluator_kind="social")
    services.institution_file(actor=office, institution_id=inst.pk, filed_on=D(2022, 2, 1))
    services.evaluation_scope_set(
        actor=office, institution_id=inst.pk, occupation_code="4-03-02-01", levels=[5, 4, 3]
    )
    cook = services.occupation_for_code("4-03-02-01")
    inst.refresh_from_db()
    assert selectors.may_assess(institution=inst, occupation=cook, level=3)
    assert not selectors.may_assess(institution=inst, occupation=cook, level=2)
    assert is_high_skilled(3) and not is_high_skilled(4)
    client = ApiClient()
    client.force_login(office)
    assert "可评价职业及等级" in client.get(f"/registry/institutions/{inst.pk}/").content.decode()


def test_teacher_and_workstation_counts(
    occupations: None, make_user: Callable[..., User], make_institution: Callable[..., Institution]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution()
    welder = services.occupation_for_code("6-18-02-04")
    for n, full_time in enumerate((True, True, False)):
        services.teacher_add(
            actor=office,
            institution_id=inst.pk,
            name=f"老师{n}",
            full_time=full_time,
            id_number=ids.make("410402", D(1980, 1, 1), n + 1),
            occupation_codes=["6-18-02-04"],
        )
    assert selectors.full_time_teachers(institution=inst, occupation=welder) == 2
    for name, count in (("一号车间", 20), ("二号车间", 15)):
        site = services.site_add(actor=office, institution_id=inst.pk, name=name)
        services.workstation_set(
            actor=office, site_id=site.pk, occupation_code="6-18-02-04", count=count
        )
    assert selectors.workstations(institution=inst, occupation=welder) == 35


def test_a_county_user_cannot_register_in_another_county(
    occupations: None,
    make_user: Callable[..., User],
    make_institution: Callable[..., Institution],
    county: Callable[..., County],
) -> None:
    from chizheng.core.errors import NotFound, PermissionDenied

    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(PermissionDenied):
        services.institution_create(
            actor=xinhua,
            name="外县机构",
            credit_code="91410400MA0000055Q",
            kind="private_school",
            county=county("410482"),
        )
    other = make_institution("410482")
    with pytest.raises(NotFound):
        services.site_add(actor=xinhua, institution_id=other.pk, name="场地")
