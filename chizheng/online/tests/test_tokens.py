"""Platform tokens: issued by the office, hashed at rest, one per platform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.online.models import PlatformToken
from chizheng.online.tokens import digest, issue_platform_token, platform_for_token
from chizheng.registry.models import Institution

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed(platform_token: Callable[[str], str]) -> None:
    token = platform_token("P1")
    row = PlatformToken.objects.get(code="P1")
    assert row.token_hash == digest(token) and token not in row.token_hash
    assert platform_for_token(token) == row


def test_reissue_replaces_the_old_token(
    make_institution: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    office = make_user(Role.CITY_OFFICE)
    inst = make_institution(kind=Institution.Kind.PLATFORM)
    old = issue_platform_token(actor=office, institution=inst, code="P9")
    new = issue_platform_token(actor=office, institution=inst, code="P9")
    assert platform_for_token(old) is None and platform_for_token(new) is not None
    assert PlatformToken.objects.count() == 1


def test_only_platforms_and_only_the_office(
    make_institution: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    office = make_user(Role.CITY_OFFICE)
    school = make_institution()
    with pytest.raises(ValidationError):
        issue_platform_token(actor=office, institution=school, code="P1")
    platform = make_institution(kind=Institution.Kind.PLATFORM)
    with pytest.raises(PermissionDenied):
        issue_platform_token(actor=make_user(Role.FINANCE), institution=platform, code="P1")


def test_a_county_cannot_take_over_another_countys_platform(
    make_institution: Callable[..., Any],
    make_user: Callable[..., Any],
    county: Callable[[str], Any],
) -> None:
    from chizheng.core.errors import NotFound

    ruzhou_platform = make_institution("410482", kind=Institution.Kind.PLATFORM)
    xinhua = make_user(Role.COUNTY_HR, county=county("410402"))
    with pytest.raises(NotFound):
        issue_platform_token(actor=xinhua, institution=ruzhou_platform, code="P7")
    assert not PlatformToken.objects.exists()
