"""The office's pure-online list (§20(3)): its page and its endpoints, who may change it, and
a pure-online class through the pages and the API — allowed on the list, refused off it, and
assessed only on the application of an enterprise or the worker (§20(4))."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from chizheng.accounts.models import Role
from chizheng.api.tests.clients import ApiClient
from chizheng.core.errors import PermissionDenied, ValidationError
from chizheng.core.models import AuditEvent
from chizheng.registry.models import Institution
from chizheng.training import services
from chizheng.training.forms import AssessmentForm
from chizheng.training.models import PureOnlineOccupation, Status
from chizheng.training.tests.conftest import CODE, START
from chizheng.training.tests.test_api import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform(world):
    return Institution.objects.create(
        name="在线平台",
        credit_code="91410402PLAT000001",
        kind="platform",
        county=world.institution.county,
        catalog_status="listed",
        catalog_since=dt.date(2022, 1, 1),
    )


@pytest.fixture
def office(make_user):
    return make_user(Role.PROGRAMME_OFFICE)


def _client(user) -> ApiClient:
    c = ApiClient()
    c.force_login(user)
    return c


def test_the_office_adds_and_ends_an_entry_and_the_audit_keeps_both(world, office) -> None:
    item = services.pure_online_allow(
        actor=office, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="清单"
    )
    with pytest.raises(ValidationError, match="已在纯线上培训职业清单内"):
        services.pure_online_allow(
            actor=office, occupation_code=CODE, valid_from=dt.date(2022, 3, 1), reason="again"
        )
    services.pure_online_end(
        actor=office, item_id=item.pk, valid_until=dt.date(2022, 5, 31), reason="压减"
    )
    item.refresh_from_db()
    assert item.valid_until == dt.date(2022, 5, 31)
    assert not item.covers(START)
    actions = list(
        AuditEvent.objects.filter(object_id=str(item.pk), action__startswith="pure_online.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["pure_online.allow", "pure_online.end"]


def test_a_county_bureau_and_an_institution_may_not_change_the_list(world, office) -> None:
    item = services.pure_online_allow(
        actor=office, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="清单"
    )
    for user in (world.hr_a, world.applicant):
        with pytest.raises(PermissionDenied):
            services.pure_online_allow(
                actor=user, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="x"
            )
        with pytest.raises(PermissionDenied):
            services.pure_online_end(actor=user, item_id=item.pk, valid_until=START)
        api = _client(user)
        r = api.post(
            "/api/v1/pure-online-occupations",
            {"occupation_code": CODE, "valid_from": "2022-01-01", "reason": "x"},
            content_type="application/json",
        )
        assert r.status_code in (403, 404), r.content
        r = api.post(
            f"/api/v1/pure-online-occupations/{item.pk}/end",
            {"valid_until": "2022-06-01"},
            content_type="application/json",
        )
        assert r.status_code in (403, 404), r.content
        assert r.json()["code"] in ("permission_denied", "not_found")
    item.refresh_from_db()
    assert item.valid_until is None


def test_the_page_offers_changes_to_the_office_only(world, office) -> None:
    services.pure_online_allow(
        actor=office, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="市清单"
    )
    url = reverse("training:pure_online")
    client = Client()
    client.force_login(office)
    page = client.get(url).content.decode()
    assert 'data-testid="pure-online-add"' in page and "data-confirm=" in page
    assert f'data-testid="pure-online-{CODE}"' in page and "列入清单" in page
    client.force_login(world.applicant)
    page = client.get(url).content.decode()
    assert f'data-testid="pure-online-{CODE}"' in page  # read-only
    assert 'data-testid="pure-online-add"' not in page and "data-confirm=" not in page
    r = client.post(
        reverse("training:pure_online_add"),
        {"occupation_code": CODE, "valid_from": "2022-01-01", "reason": "x"},
    )
    assert r.status_code == 400 and "您的角色无权执行此操作" in r.content.decode()
    assert PureOnlineOccupation.objects.count() == 1


def test_the_office_adds_and_removes_through_the_page(world, office) -> None:
    client = Client()
    client.force_login(office)
    r = client.post(
        reverse("training:pure_online_add"),
        {"occupation_code": CODE, "valid_from": "2022-01-01", "reason": "市人社局清单"},
    )
    assert r.status_code == 302
    item = PureOnlineOccupation.objects.get()
    r = client.post(
        reverse("training:pure_online_end", kwargs={"item_id": item.pk}),
        {"valid_until": "2022-12-31", "reason": "压减"},
    )
    item.refresh_from_db()
    assert item.valid_until == dt.date(2022, 12, 31)
    page = client.get(reverse("training:pure_online")).content.decode()
    assert "移出清单" in page and "压减" in page  # the history


def test_everyone_signed_in_reads_the_list_through_the_api(world, office) -> None:
    services.pure_online_allow(
        actor=office, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="清单"
    )
    for user in (world.applicant, world.hr_a, world.industry_a, office):
        r = _client(user).get("/api/v1/pure-online-occupations")
        assert r.status_code == 200
        assert [i["occupation_code"] for i in r.json()] == [CODE]
    r = _client(office).post(
        "/api/v1/pure-online-occupations",
        {"occupation_code": "9-99-99-99", "valid_from": "2022-01-01", "reason": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "不在2022年版职业分类大典" in r.json()["message"]


def test_a_pure_online_class_through_the_api_on_and_off_the_list(world, office, platform) -> None:
    api = _client(world.applicant)
    payload = body(world, mode="online", platform_id=platform.pk, practical_hours=0)
    class_id = api.post("/api/v1/classes", payload, content_type="application/json").json()["id"]
    api.post(
        f"/api/v1/classes/{class_id}/roster",
        {"id_numbers": [p.id_number for p in world.people[:30]]},
        content_type="application/json",
    )
    r = api.post(f"/api/v1/classes/{class_id}/submit")
    assert r.status_code == 422
    assert "纯线上培训职业清单" in r.json()["message"] and "§20(3)" in r.json()["message"]
    r = _client(office).post(
        "/api/v1/pure-online-occupations",
        {"occupation_code": CODE, "valid_from": "2022-01-01", "reason": "清单"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = api.post(f"/api/v1/classes/{class_id}/submit")
    assert r.status_code == 200 and r.json()["status"] == Status.SUBMITTED


def test_a_pure_online_class_through_the_pages(world, office, platform) -> None:
    services.pure_online_allow(
        actor=office, occupation_code=CODE, valid_from=dt.date(2022, 1, 1), reason="清单"
    )
    client = Client()
    client.force_login(world.applicant)
    form = {
        k: v
        for k, v in body(world, mode="online", platform_id=platform.pk, practical_hours=0).items()
        if k not in ("teacher_ids", "site_ids")
    }
    form.update(
        teacher_ids=[t.pk for t in world.teachers], site_ids=[world.site.pk], online_theory_hours=0
    )
    r = client.post(reverse("training:new"), form)
    assert r.status_code == 302, r.context["form"].errors
    class_id = int(r["Location"].rstrip("/").split("/")[-1])
    client.post(
        reverse("training:roster", kwargs={"class_id": class_id}),
        {"id_numbers": "\n".join(p.id_number for p in world.people[:30])},
    )
    client.post(reverse("training:submit", kwargs={"class_id": class_id}))
    from chizheng.training.models import TrainingClass

    assert TrainingClass.objects.get(pk=class_id).status == Status.SUBMITTED


def test_the_assessment_form_of_a_pure_online_class_names_who_may_apply(world) -> None:
    online = AssessmentForm(evaluators=[(1, "x")], pure_online=True)
    choices = online.fields["applied_by"].choices  # type: ignore[attr-defined]
    assert [v for v, _ in choices] == ["enterprise", "individual"]
    assert "§20(4)" in online.fields["applied_by"].help_text
    other = AssessmentForm(evaluators=[(1, "x")])
    assert "institution" in [v for v, _ in other.fields["applied_by"].choices]  # type: ignore[attr-defined]
