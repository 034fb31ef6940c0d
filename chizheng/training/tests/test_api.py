"""The class API: the same steps as the pages, scoped the same way."""

import pytest
from django.test import Client

from chizheng.accounts.tokens import token_issue
from chizheng.api.tests.clients import ApiClient
from chizheng.training.models import Status
from chizheng.training.tests.conftest import START, seen

pytestmark = pytest.mark.django_db


def body(world, **kw):
    return {
        "batch": "API-01",
        "start_date": START.isoformat(),
        "end_date": "2022-06-26",
        "occupation_code": "6-18-02-05",
        "skill_level": 4,
        "certificate_type": "skill_level",
        "planned_count": 30,
        "class_hours": 80,
        "practical_hours": 50,
        "class_hour_minutes": 45,
        "mode": "commissioned",
        "contact_name": "李",
        "contact_phone": "0375-1",
        **kw,
        "teacher_ids": [t.pk for t in world.teachers],
        "site_ids": [world.site.pk],
    }


def test_an_institutions_system_submits_a_class(world) -> None:
    """With an API token of the institution's user: no session, no CSRF token (a real
    server's checks are on in the tests)."""
    _, token = token_issue(actor=world.applicant, name="培训管理系统", days=90)
    machine = ApiClient(headers={"Authorization": f"Bearer {token}"})
    machine.send_csrf = False
    r = machine.post("/api/v1/classes", body(world), content_type="application/json")
    assert r.status_code == 201, r.content
    class_id = r.json()["id"]
    numbers = [p.id_number for p in world.people[:30]]
    r = machine.post(
        f"/api/v1/classes/{class_id}/roster",
        {"id_numbers": numbers},
        content_type="application/json",
    )
    assert r.json()["added"] == 30
    r = machine.post(f"/api/v1/classes/{class_id}/submit")
    assert r.status_code == 200 and r.json()["status"] == Status.SUBMITTED
    assert any(d["clause"] == "§20(1)" for d in r.json()["decisions"])


def test_a_session_post_needs_its_csrf_token(world) -> None:
    browser = ApiClient()
    browser.force_login(world.applicant)
    browser.send_csrf = False
    r = browser.post("/api/v1/classes", body(world), content_type="application/json")
    assert (r.status_code, r.json()["code"]) == (403, "csrf_failed")
    browser.send_csrf = True  # as the pages' scripts send it
    assert (
        browser.post("/api/v1/classes", body(world), content_type="application/json").status_code
        == 201
    )


def test_a_failing_submission_returns_every_failed_rule(world, client: Client) -> None:
    client.force_login(world.applicant)
    class_id = client.post(
        "/api/v1/classes", body(world, planned_count=81), content_type="application/json"
    ).json()["id"]
    client.post(
        f"/api/v1/classes/{class_id}/roster",
        {"id_numbers": [p.id_number for p in world.people]},
        content_type="application/json",
    )
    r = client.post(f"/api/v1/classes/{class_id}/submit")
    assert r.status_code == 422
    assert r.json()["code"] == "rules_failed"
    assert any(d["rule"] == "class.max_size" for d in r.json()["detail"])


def test_bad_input_names_the_field(world, client: Client) -> None:
    client.force_login(world.applicant)
    r = client.post(
        "/api/v1/classes", {**body(world), "planned_count": "many"}, content_type="application/json"
    )
    assert r.status_code == 422 and "planned_count" in r.json()["message"]


def test_review_and_queue(world, client: Client) -> None:
    training_class = world.apply()
    from chizheng.training import services

    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    client.force_login(world.industry_a)
    queue = client.get("/api/v1/review-queue").json()
    assert [q["class_id"] for q in queue] == [training_class.pk]
    r = client.post(
        f"/api/v1/classes/{training_class.pk}/review",
        {"decision": "approve", **vars(seen(training_class))},
        content_type="application/json",
    )
    assert r.json()["status"] == Status.INDUSTRY_FIRST
    r = client.post(
        f"/api/v1/classes/{training_class.pk}/review",
        {"decision": "approve", **vars(seen(training_class))},
        content_type="application/json",
    )
    assert r.status_code == 403 and r.json()["code"] == "same_reviewer"


def test_another_institution_and_another_county_get_nothing(
    world, client: Client, make_user, county
) -> None:
    from chizheng.accounts.models import Role

    training_class = world.apply()
    client.force_login(world.other_applicant)
    assert client.get("/api/v1/classes").json()["count"] == 0
    assert client.get(f"/api/v1/classes/{training_class.pk}").status_code == 404
    client.force_login(make_user(Role.COUNTY_HR, county=county("410482")))
    assert client.get("/api/v1/classes").json()["count"] == 0
    assert client.get(f"/api/v1/classes/{training_class.pk}").json()["code"] == "not_found"


def test_pages_are_scoped_too(world, client: Client) -> None:
    training_class = world.apply()
    client.force_login(world.other_applicant)
    assert client.get(f"/classes/{training_class.pk}/").status_code == 404
    assert training_class.batch not in client.get("/classes/").content.decode()
    assert client.get(f"/classes/{training_class.pk}/pdf/").status_code == 404
    export = client.get("/classes/?format=xlsx")
    assert export.status_code == 200 and training_class.batch.encode() not in export.content
    client.force_login(world.applicant)
    page = client.get(f"/classes/{training_class.pk}/").content.decode()
    assert training_class.batch in page and "年度补贴培训资金申请表" in page
    pdf = client.get(f"/classes/{training_class.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
