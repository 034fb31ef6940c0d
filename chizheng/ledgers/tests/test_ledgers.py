"""The training and evaluation ledgers (§三(二)) on the demo's records: every split adds up to
the same totals as the records counted one by one, a row drills down to rows that add up to
it, an export holds what the page shows, and a county or an institution sees its own only."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import clock
from chizheng.jobs.models import Job, JobFile, JobState
from chizheng.jobs.tests.queue import drain
from chizheng.ledgers import selectors
from chizheng.ledgers.dimensions import EVALUATION, TRAINING
from chizheng.subsidy.models import ClaimLine, ClaimStatus
from chizheng.training.models import Enrolment, TrainingClass

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 5, 10)
YEAR = 2022


@pytest.fixture
def built() -> None:
    with clock.freeze(TODAY):
        demo.build(people=30, areas=("registry", "plan", "training", "subsidy"))


def _started() -> list[int]:
    return list(
        TrainingClass.objects.filter(
            start_date__year=YEAR, status__in=selectors.STARTED
        ).values_list("pk", flat=True)
    )


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_every_split_of_the_training_ledger_adds_up_to_the_records(built: None) -> None:
    office = User.objects.get(username="city")
    started = _started()
    want: dict[str, Any] = {
        "classes": len({e for e in Enrolment.objects.filter(training_class__in=started).values_list("training_class_id", flat=True)}),
        "trainees": Enrolment.objects.filter(training_class__in=started).count(),
        "certified": Certificate.objects.filter(training_class__in=started).count(),
        "paid": sum(
            (
                line.amount
                for line in ClaimLine.objects.filter(
                    claim__training_class__in=started, payable=True, claim__status=ClaimStatus.PAID
                )
            ),
            Decimal(0),
        ),
    }  # fmt: skip
    assert want["trainees"] and want["certified"]
    want["rate"] = selectors.certification_rate(want["certified"], want["trainees"])
    assert want["rate"] == round(Decimal(want["certified"]) / want["trainees"], 4)
    for by in TRAINING:
        if by == "tag":
            continue  # a class of two projects counts in both (below)
        ledger = selectors.training_ledger(actor=office, year=YEAR, by=by, filters={})
        got = dict(ledger.total)
        if by not in ("class",) and not TRAINING[by].level:
            got["classes"] = want["classes"]  # a class counts in each of its rows' splits
        assert got == want, by
    tagged = selectors.training_ledger(actor=office, year=YEAR, by="tag", filters={})
    assert any(r.key for r in tagged.rows), "the demo tags some classes with a project"
    for row in tagged.rows:
        classes = (
            [
                c
                for c in started
                if TrainingClass.objects.get(pk=c).tag_rows.filter(code=row.key).exists()
            ]
            if row.key
            else []
        )
        if row.key:
            assert (
                row.counts["trainees"]
                == Enrolment.objects.filter(training_class__in=classes).count()
            )
    # a row drills down to rows that add up to it
    counties = selectors.training_ledger(actor=office, year=YEAR, by="county", filters={})
    row = max(counties.rows, key=lambda r: r.counts["trainees"])
    inside = selectors.training_ledger(actor=office, year=YEAR, by="institution", filters=row.drill)
    assert inside.total == row.counts
    page = _client("city").get(f"/ledgers/training/?year={YEAR}&by=county").content.decode()
    assert f"?year={YEAR}&amp;by=institution&amp;county={row.key}" in page
    # the export holds the page with its total
    body = _client("city").get(f"/ledgers/training/?year={YEAR}&by=channel&format=xlsx").content
    sheet = list(openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    ledger = selectors.training_ledger(actor=office, year=YEAR, by="channel", filters={})
    assert sheet[0][0] == "培训渠道" and len(sheet) == len(ledger.rows) + 2
    assert sheet[-1][0] == "合计" and sheet[-1][2] == ledger.total["trainees"]


def test_the_evaluation_ledger_and_its_certificate_list(built: None, settings: Any) -> None:
    settings.EXPORT_DIRECT_MAX_ROWS = 10**6  # written at once (the job: the next test)
    office = User.objects.get(username="city")
    certificates = Certificate.objects.filter(issued_on__year=YEAR)
    for by in EVALUATION:
        ledger = selectors.evaluation_ledger(actor=office, year=YEAR, by=by, filters={})
        assert ledger.total["certificates"] == certificates.count(), by
    by_occupation = selectors.evaluation_ledger(
        actor=office, year=YEAR, by="occupation", filters={}
    )
    row = by_occupation.rows[0]
    page = (
        _client("city")
        .get(f"/ledgers/certificates/?year={YEAR}&occupation={row.key}")
        .content.decode()
    )
    assert f"共 {row.counts['certificates']} 张" in page
    body = (
        _client("city")
        .get(f"/ledgers/certificates/?year={YEAR}&occupation={row.key}&format=xlsx")
        .content
    )
    sheet = list(openpyxl.load_workbook(io.BytesIO(body)).worksheets[0].iter_rows(values_only=True))
    assert len(sheet) == 1 + row.counts["certificates"]
    full = {c.person.id_number for c in certificates.select_related("person")}
    assert not full & {str(v) for r in sheet for v in r}  # ID numbers masked
    # a long list is exported by a job
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    row = max(
        selectors.evaluation_ledger(actor=office, year=YEAR, by="county", filters={}).rows,
        key=lambda r: r.counts["certificates"],
    )
    response = _client("city").get(
        f"/ledgers/certificates/?year={YEAR}&county={row.key}&format=xlsx"
    )
    job = Job.objects.get(kind="ledgers.export")
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    drain()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.rows_done == row.counts["certificates"]
    data = bytes(JobFile.objects.get(job=job).data)
    sheet = list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert len(sheet) == 1 + row.counts["certificates"]


def test_a_county_and_an_institution_see_their_own_only(built: None) -> None:
    office = User.objects.get(username="city")
    whole = selectors.training_ledger(actor=office, year=YEAR, by="county", filters={})
    xinhua = User.objects.get(username="xinhua")
    mine = selectors.training_ledger(actor=xinhua, year=YEAR, by="county", filters={})
    assert {r.key for r in mine.rows} <= {xinhua.county.code}  # type: ignore[union-attr]
    assert mine.total["trainees"] < whole.total["trainees"]
    page = _client("xinhua").get(f"/ledgers/training/?year={YEAR}&by=institution").content.decode()
    others = TrainingClass.objects.exclude(institution__county=xinhua.county).filter(
        pk__in=_started()
    )
    for name in {c.institution.name for c in others.select_related("institution")}:
        assert name not in page
    school = User.objects.get(username="jsxy")
    own = selectors.training_ledger(actor=school, year=YEAR, by="institution", filters={})
    assert {r.key for r in own.rows} <= {school.institution_id}
    # another county's filter gives nothing, rather than another county's figures
    assert (
        selectors.training_ledger(
            actor=xinhua, year=YEAR, by="institution", filters={"county": "410482"}
        ).rows
        == []
    )


def test_a_worker_is_refused_and_bad_filters_are_said(built: None) -> None:
    assert _client("xueyuan").get("/ledgers/training/").status_code == 403
    page = _client("city").get("/ledgers/training/?by=nothing&level=abc&year=19x").content.decode()
    assert "未知的统计维度" in page and "技能等级的筛选值无效" in page and "年度“19x”无效" in page
    assert _client("city").get("/ledgers/nothing/").status_code == 404
