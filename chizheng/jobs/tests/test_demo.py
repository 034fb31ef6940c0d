"""The demo's job history: a finished import (checked, then written), a finished online
audit and an export with its file; building it twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from chizheng import demo
from chizheng.jobs.models import Job, JobFile, JobState
from chizheng.registry.models import ImportJob

pytestmark = pytest.mark.django_db


def test_the_demo_shows_finished_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHIZHENG_ONLINE_DIR", str(tmp_path / "online"))
    demo.build(people=5, areas=("registry", "jobs"))
    done = dict(
        Job.objects.filter(state=JobState.SUCCEEDED).values_list("kind", "created_by__username")
    )
    assert done == {
        "registry.import.validate": "xinhua",
        "registry.import.commit": "xinhua",
        "online.audit": "city",
        "registry.export": "city",
    }
    imported = ImportJob.objects.get()
    assert imported.status == ImportJob.Status.IMPORTED and imported.result["created"] == 40
    assert JobFile.objects.filter(job__kind="registry.export").exists()
    demo.build(people=5, areas=("registry", "jobs"))
    assert Job.objects.count() == 4 and ImportJob.objects.count() == 1
