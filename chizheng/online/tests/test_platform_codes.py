"""Platform codes: registered by the city office, for platforms only, one platform each;
a platform's user uploads with his own API token for his platform's code only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chizheng.accounts.models import Role
from chizheng.accounts.tokens import token_issue
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.online.models import PlatformCode
from chizheng.online.platforms import platform_code_register, uploading_platform
from chizheng.registry.models import Institution

pytestmark = pytest.mark.django_db


def test_the_office_registers_a_platforms_code(
    make_institution: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    inst = make_institution(kind=Institution.Kind.PLATFORM)
    row = platform_code_register(actor=office, institution=inst, code="P9")
    assert (row.code, row.registered_by) == ("P9", office)
    platform_code_register(actor=office, institution=inst, code="P10")  # a change of code
    assert list(PlatformCode.objects.values_list("code", flat=True)) == ["P10"]


def test_only_platforms_only_the_office_and_one_platform_per_code(
    make_institution: Callable[..., Any], make_user: Callable[..., Any], county: Any
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    with pytest.raises(ValidationError):
        platform_code_register(actor=office, institution=make_institution(), code="P1")
    platform = make_institution(kind=Institution.Kind.PLATFORM)
    for role, scope in ((Role.FINANCE, {}), (Role.COUNTY_HR, {"county": county("410402")})):
        with pytest.raises(PermissionDenied):
            platform_code_register(actor=make_user(role, **scope), institution=platform, code="P1")
    platform_code_register(actor=office, institution=platform, code="P1")
    other = make_institution(kind=Institution.Kind.PLATFORM)
    with pytest.raises(ValidationError) as e:
        platform_code_register(actor=office, institution=other, code="P1")
    assert e.value.code == "online_code_taken"
    with pytest.raises(ValidationError):
        platform_code_register(actor=office, institution=other, code="bad code!")


def test_a_user_uploads_for_his_own_platform_only(
    make_institution: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    office = make_user(Role.PROGRAMME_OFFICE)
    p1, p2 = (make_institution(kind=Institution.Kind.PLATFORM) for _ in range(2))
    platform_code_register(actor=office, institution=p1, code="P1")
    platform_code_register(actor=office, institution=p2, code="P2")
    uploader = make_user(Role.PLATFORM, institution=p1)
    assert uploading_platform(user=uploader, code="P1").institution == p1
    for code in ("P2", "NOPE"):
        with pytest.raises(NotFound):
            uploading_platform(user=uploader, code=code)
    school_user = make_user(Role.INSTITUTION, institution=make_institution())
    token_issue(actor=school_user, name="培训系统", days=30)  # a token, but not a platform's
    with pytest.raises(NotFound):
        uploading_platform(user=school_user, code="P1")


def test_the_dashboard_registers_codes_for_the_office_only(
    make_institution: Callable[..., Any], make_user: Callable[..., Any], county: Any
) -> None:
    from chizheng.api.tests.clients import ApiClient

    platform = make_institution(kind=Institution.Kind.PLATFORM, name="某在线平台")
    office = ApiClient()
    office.force_login(make_user(Role.PROGRAMME_OFFICE))
    assert "某在线平台" in office.get("/online/").content.decode()
    office.post(f"/online/platforms/{platform.pk}/code/", {"code": "PX1"})
    assert PlatformCode.objects.get().code == "PX1"
    county_user = ApiClient()
    county_user.force_login(make_user(Role.COUNTY_HR, county=county("410402")))
    page = county_user.get("/online/").content.decode()
    assert 'data-testid="platform-codes"' not in page
    county_user.post(f"/online/platforms/{platform.pk}/code/", {"code": "HIJACK"})
    assert PlatformCode.objects.get().code == "PX1"
    school = make_institution()
    office.post(f"/online/platforms/{school.pk}/code/", {"code": "PX2"})  # not a platform
    assert PlatformCode.objects.count() == 1
