"""No application goes nowhere (附件2): a class whose industry department has fewer than two
active reviewers (初审 and 复核 by different people) is refused at submission, and the
programme office sees the departments to staff."""

import pytest

from chizheng.accounts.reviewers import NoReviewer, departments_without_reviewers
from chizheng.training import services
from chizheng.training.models import Status

pytestmark = pytest.mark.django_db


def test_a_department_with_one_reviewer_left_refuses_the_submission(world) -> None:
    world.industry_b.is_active = False
    world.industry_b.save()
    training_class = world.apply()
    with pytest.raises(NoReviewer, match="市工信局（现有 1 人）") as refused:
        services.class_submit(actor=world.applicant, class_id=training_class.pk)
    assert refused.value.code == "no_reviewer"
    training_class.refresh_from_db()
    assert training_class.status == Status.DRAFT
    assert not training_class.reviews.exists()


def test_the_hr_level_counts_too(world) -> None:
    for user in (world.hr_a, world.hr_b):
        user.is_active = False
        user.save()
    training_class = world.apply()
    # the programme office of the city may do the HR review as well: there is none here
    with pytest.raises(NoReviewer, match="人力资源社会保障部门（现有 0 人）"):
        services.class_submit(actor=world.applicant, class_id=training_class.pk)


def test_the_programme_office_sees_the_departments_to_staff(world, make_user) -> None:
    from chizheng.accounts.models import Role
    from chizheng.org.models import Department

    office = make_user(Role.PROGRAMME_OFFICE)
    assert departments_without_reviewers(actor=office) == []  # miit has two
    world.industry_a.is_active = False
    world.industry_a.save()
    (row,) = departments_without_reviewers(actor=office)
    assert (row.name, row.reviewers) == ("市工信局", 1)
    # another department's reviewer sees nothing of miit
    commerce = Department.objects.get(code="commerce")
    assert departments_without_reviewers(actor=make_user(Role.INDUSTRY, department=commerce)) == []


def test_the_office_home_page_lists_the_departments_to_staff(world, make_user, client) -> None:
    from chizheng.accounts.models import Role

    office = make_user(Role.PROGRAMME_OFFICE)
    client.force_login(office)
    assert 'data-testid="understaffed"' not in client.get("/").content.decode()
    world.industry_a.is_active = False
    world.industry_a.save()
    page = client.get("/").content.decode()
    assert 'data-testid="understaffed"' in page
    assert "市工信局：现有 1 人" in page
    # the county bureau and the department itself are not the ones who staff it
    for other in (world.hr_a, world.industry_b):
        client.force_login(other)
        assert 'data-testid="understaffed"' not in client.get("/").content.decode()
