"""A phone number typed with full-width digits, blanks or hyphens is the same number: one
normal form before validation, the blind index and storage (as for ID numbers, finding 7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from chizheng.accounts.models import Role, User
from chizheng.core import ids
from chizheng.core.errors import ValidationError
from chizheng.registry import selectors
from chizheng.registry.models import Person

pytestmark = pytest.mark.django_db


def test_the_normal_form() -> None:
    assert ids.normalise_phone("１３９ １２３４-５６７８") == "13912345678"
    assert ids.is_mobile("13912345678")
    assert not ids.is_mobile(ids.normalise_phone("١٣٩١٢٣٤٥٦٧٨"))  # Arabic-Indic digits stay so
    assert not ids.is_mobile("1391234567")


def test_a_full_width_phone_is_found_by_its_ascii_form(
    make_person: Callable[..., Person], make_user: Callable[..., User]
) -> None:
    person = make_person(phone="１３９００００１１１１")
    assert person.phone == "13900001111"
    office = make_user(Role.PROGRAMME_OFFICE)
    assert list(selectors.person_search(actor=office, q="13900001111")) == [person]
    assert list(selectors.person_search(actor=office, q="139-0000-1111")) == [person]


def test_a_bad_phone_is_refused_at_registration(
    make_person: Callable[..., Person],
) -> None:
    with pytest.raises(ValidationError, match="手机号码"):
        make_person(phone="٠١٣٩٠٠٠٠١١١١")
