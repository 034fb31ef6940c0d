"""Finding 4 of issue 11: a review request names the step it acts on (level, 初审/复核) and the
version of the class the reviewer saw; one made stale by another reviewer is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from chizheng.core.errors import DomainError
from chizheng.core.review import Seen
from chizheng.training import selectors, services
from chizheng.training.models import Review, Status

from .conftest import seen

pytestmark = pytest.mark.django_db


def submitted(world):
    training_class = world.apply()
    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    return training_class


def test_two_approvals_of_the_same_seen_version_complete_one_step(world) -> None:
    training_class = submitted(world)
    both_saw = selectors.review_seen(training_class=training_class)
    assert both_saw == Seen(level="industry", step="first", version=training_class.version)
    # Both reviewers opened the page at the same moment and both press "approve".
    services.class_review(
        actor=world.industry_a, class_id=training_class.pk, decision="approve", seen=both_saw
    )
    with pytest.raises(DomainError) as refused:
        services.class_review(
            actor=world.industry_b, class_id=training_class.pk, decision="approve", seen=both_saw
        )
    assert refused.value.code == "stale_review" and refused.value.http_status == 409
    assert "刷新" in refused.value.message and "行业主管部门复核" in refused.value.message
    training_class.refresh_from_db()
    assert training_class.status == Status.INDUSTRY_FIRST  # the second step was not completed
    second = training_class.reviews.get(level="industry", step="second")
    assert second.done_on is None and second.reviewer is None
    # Having seen the new state, the second reviewer approves the second step.
    services.class_review(
        actor=world.industry_b,
        class_id=training_class.pk,
        decision="approve",
        seen=seen(training_class),
    )
    training_class.refresh_from_db()
    assert training_class.status == Status.HR_REVIEW


def test_a_request_naming_the_wrong_step_is_refused(world) -> None:
    training_class = submitted(world)
    wrong = Seen(level="industry", step="second", version=training_class.version)
    with pytest.raises(DomainError) as refused:
        services.class_review(
            actor=world.industry_a, class_id=training_class.pk, decision="approve", seen=wrong
        )
    assert refused.value.code == "wrong_step"
    assert "行业主管部门初审" in refused.value.message
    assert Review.objects.get(training_class=training_class).done_on is None


def test_every_edit_and_status_change_moves_the_version(world) -> None:
    training_class = world.apply()
    versions = [training_class.version]
    services.class_update(actor=world.applicant, class_id=training_class.pk, planned_count=31)
    training_class.refresh_from_db()
    versions.append(training_class.version)
    services.roster_add(
        actor=world.applicant, class_id=training_class.pk, person_ids=[world.people[31].pk]
    )
    training_class.refresh_from_db()
    versions.append(training_class.version)
    services.class_submit(actor=world.applicant, class_id=training_class.pk)
    training_class.refresh_from_db()
    versions.append(training_class.version)
    services.class_review(
        actor=world.industry_a,
        class_id=training_class.pk,
        decision="return",
        opinion="名册有误",
        seen=seen(training_class),
    )
    training_class.refresh_from_db()
    versions.append(training_class.version)
    assert versions == sorted(set(versions)), versions  # strictly increasing


def test_the_page_carries_the_step_and_version_and_refuses_a_stale_form(world) -> None:
    training_class = submitted(world)
    a, b = Client(), Client()
    a.force_login(world.industry_a)
    b.force_login(world.industry_b)
    page = a.get(f"/classes/{training_class.pk}/").content.decode()
    assert f'name="version" value="{training_class.version}"' in page
    assert 'name="level" value="industry"' in page and 'name="step" value="first"' in page
    form = {
        "decision": "approve",
        "opinion": "",
        "level": "industry",
        "step": "first",
        "version": str(training_class.version),
    }
    assert a.post(f"/classes/{training_class.pk}/review/", form).status_code == 302
    r = b.post(f"/classes/{training_class.pk}/review/", form, follow=True)
    assert "刷新" in r.content.decode()
    training_class.refresh_from_db()
    assert training_class.status == Status.INDUSTRY_FIRST


def test_the_api_names_the_step_and_version(world, client: Client) -> None:
    training_class = submitted(world)
    client.force_login(world.industry_a)
    out = client.get(f"/api/v1/classes/{training_class.pk}").json()
    assert (out["version"], out["review_level"], out["review_step"]) == (
        training_class.version,
        "industry",
        "first",
    )
    body = {"decision": "approve", "level": "industry", "step": "first", "version": out["version"]}
    r = client.post(
        f"/api/v1/classes/{training_class.pk}/review", body, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == Status.INDUSTRY_FIRST
    client.force_login(world.industry_b)
    r = client.post(
        f"/api/v1/classes/{training_class.pk}/review", body, content_type="application/json"
    )
    assert r.status_code == 409 and r.json()["code"] == "stale_review"
    missing = client.post(
        f"/api/v1/classes/{training_class.pk}/review",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert missing.status_code == 422  # a request that names no step and version is refused
