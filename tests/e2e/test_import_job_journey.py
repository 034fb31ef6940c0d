"""Journey: a county bureau imports a people file, and watches both steps run as background
jobs, in Chromium, with a real worker running beside the live server.

He signs in, uploads the file; the page shows the checking job queued, then — once the worker
takes it — its progress bar reaching 100% with every row checked; he confirms, the writing
job's bar reaches 100% too, and the people are in the registry.
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connections
from playwright.sync_api import Page, expect

from chizheng.accounts.models import Role
from chizheng.jobs.worker import Worker
from chizheng.org.models import County
from chizheng.registry.models import Person
from chizheng.registry.services import load_occupations
from chizheng.registry.tests.conftest import HEADERS, person_row

from .conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROWS = 3000


@pytest.fixture
def start_worker(live_server: object) -> Iterator[Callable[[], None]]:
    """Start a real worker (``Worker.run``, what ``chizheng worker`` runs) in a thread with
    its own connection to the live server's database; stopped after the test."""
    worker = Worker(worker_id="e2e-worker", poll_s=0.2)
    threads: list[threading.Thread] = []

    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    def start() -> None:
        thread = threading.Thread(target=run, name="e2e-worker", daemon=True)
        thread.start()
        threads.append(thread)

    yield start
    worker.stop()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "the worker did not stop"


def _people_file() -> bytes:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(HEADERS)
    out.writerows(person_row(n) for n in range(ROWS))
    return buf.getvalue().encode("utf-8")


def test_county_imports_people_as_background_jobs(
    live_server, page: Page, make_user, start_worker: Callable[[], None]
) -> None:
    base = live_server.url
    load_occupations()
    user = make_user(Role.COUNTY_HR, county=County.objects.get(code="410402"))

    login(page, base, user.username)
    page.goto(f"{base}/registry/imports/?kind=people")
    page.get_by_label("文件（.xlsx 或 .csv）").set_input_files(
        {"name": "新华区人员.csv", "mimeType": "text/csv", "buffer": _people_file()}
    )
    page.get_by_role("button", name="上传并校验").click()

    # Queued: no worker has taken it yet.
    expect(page.get_by_test_id("import-status")).to_have_text("校验中")
    expect(page.get_by_test_id("job-state")).to_have_text("排队中")
    shot(page, "import-job-01-queued")

    start_worker()
    # The fragment polls itself; when the job is over the page reloads with its result.
    expect(page.get_by_test_id("import-status")).to_have_text("已校验，待确认", timeout=60_000)
    bar = page.get_by_test_id("job-bar")
    expect(bar).to_have_attribute("max", str(ROWS))
    expect(bar).to_have_attribute("value", str(ROWS))
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")
    expect(page.get_by_test_id("job-done")).to_have_text(str(ROWS))
    expect(page.get_by_test_id("import-summary")).to_contain_text(
        f"共 {ROWS} 行数据，其中有误 0 行"
    )
    shot(page, "import-job-02-checked")
    assert Person.objects.count() == 0  # checking writes nothing

    page.get_by_test_id("import-confirm").click()
    expect(page.get_by_test_id("import-status")).to_have_text("已导入", timeout=60_000)
    expect(page.get_by_test_id("job-percent")).to_have_text("100%")
    expect(page.get_by_test_id("job-total")).to_have_text(str(ROWS))
    expect(page.get_by_test_id("import-result")).to_contain_text(f"新增 {ROWS}")
    shot(page, "import-job-03-imported")
    assert Person.objects.filter(county__code="410402").count() == ROWS

    page.get_by_role("link", name="后台任务").click()
    expect(page.get_by_test_id("jobs")).to_contain_text("导入文件校验")
    expect(page.get_by_test_id("jobs")).to_contain_text("导入写入")
