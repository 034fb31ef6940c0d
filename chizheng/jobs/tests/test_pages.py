"""The job pages: one's own jobs, the progress fragment that polls itself, the file, and
nothing of another's scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.jobs.models import Job
from chizheng.jobs.services import job_start
from chizheng.org.models import County

from .queue import drain

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def xinhua(make_user: Callable[..., User]) -> User:
    return make_user(Role.COUNTY_HR, county=County.objects.get(code="410402"))


@pytest.fixture
def ruzhou(make_user: Callable[..., User]) -> User:
    return make_user(Role.COUNTY_HR, county=County.objects.get(code="410482"))


def test_a_running_job_page_polls_its_fragment_until_done(test_kinds: None, xinhua: User) -> None:
    job = job_start(actor=xinhua, kind="test.counts", params={"rows": 4})
    c = _client(xinhua)
    page = c.get(f"/jobs/{job.pk}/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    assert "排队中" in page and "<script>" not in page and 'style="' not in page
    drain()
    fragment = c.get(f"/jobs/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "hx-get" not in body  # finished: it stops polling
    assert 'data-testid="job-bar" max="4" value="4"' in body and "100%" in body
    assert "数了 4 行" in body and f"/jobs/{job.pk}/file/" in body
    assert "HX-Refresh" not in fragment.headers
    reloading = c.get(f"/jobs/{job.pk}/progress/?reload=1", HTTP_HX_REQUEST="true")
    assert reloading.headers["HX-Refresh"] == "true"  # a page embedding it reloads whole


def test_a_failed_job_shows_its_error_in_chinese(test_kinds: None, xinhua: User) -> None:
    job = job_start(actor=xinhua, kind="test.refuses")
    drain()
    page = _client(xinhua).get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-error"' in page and "文件第3行身份证号码错误" in page


def test_the_file_downloads_for_its_starter_only(
    test_kinds: None, xinhua: User, make_user: Callable[..., User]
) -> None:
    job = job_start(actor=xinhua, kind="test.counts")
    drain()
    mine = _client(xinhua).get(f"/jobs/{job.pk}/file/")
    assert mine.status_code == 200 and mine.content == "好".encode()
    assert "filename*=UTF-8''%E7%BB%93%E6%9E%9C.txt" in mine["Content-Disposition"]
    # A city official sees the county's job, but the file was made within its starter's scope.
    office = _client(make_user(Role.PROGRAMME_OFFICE))
    assert office.get(f"/jobs/{job.pk}/").status_code == 200
    assert office.get(f"/jobs/{job.pk}/file/").status_code == 404


def test_another_county_gets_nothing(test_kinds: None, xinhua: User, ruzhou: User) -> None:
    job = job_start(actor=xinhua, kind="test.counts")
    drain()
    other = _client(ruzhou)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/progress/", f"/jobs/{job.pk}/file/"):
        assert other.get(url).status_code == 404, url
    assert str(job.pk) not in other.get("/jobs/").content.decode().split("<tbody>")[1]
    assert other.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    assert other.get("/api/v1/jobs").json()["count"] == 0
    assert other.get(f"/api/v1/jobs/{job.pk}/file").status_code == 404


def test_the_list_shows_ones_own_and_city_officials_the_citys(
    test_kinds: None, xinhua: User, ruzhou: User, make_user: Callable[..., User]
) -> None:
    a = job_start(actor=xinhua, kind="test.counts")
    b = job_start(actor=ruzhou, kind="test.counts")
    system = job_start(actor=None, kind="test.counts")
    mine = _client(xinhua).get("/jobs/").content.decode()
    assert f'data-job="{a.pk}"' in mine and f'data-job="{b.pk}"' not in mine
    assert f'data-job="{system.pk}"' not in mine
    office = _client(make_user(Role.PROGRAMME_OFFICE)).get("/jobs/").content.decode()
    assert all(f'data-job="{j.pk}"' in office for j in (a, b, system))


def test_the_list_exports_to_excel(test_kinds: None, xinhua: User) -> None:
    import io

    import openpyxl

    job_start(actor=xinhua, kind="test.counts")
    response = _client(xinhua).get("/jobs/?format=xlsx")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    rows = list(ws.values)
    assert rows[0][:3] == ("编号", "任务", "状态") and rows[1][1:3] == ("计数", "排队中")


def test_api_job_state_and_progress(test_kinds: None, xinhua: User) -> None:
    job = job_start(actor=xinhua, kind="test.counts", params={"rows": 2})
    c = _client(xinhua)
    assert c.get(f"/api/v1/jobs/{job.pk}").json()["state"] == "queued"
    drain()
    done = c.get(f"/api/v1/jobs/{job.pk}").json()
    assert done["state"] == "succeeded" and done["percent"] == 100 and done["has_file"]
    assert c.get(f"/api/v1/jobs/{job.pk}/file").content == "好".encode()
    assert Job.objects.get(pk=job.pk).rows_done == 2
