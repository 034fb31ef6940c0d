"""/supervision/risk/: the ranked risks of institutions, evaluators and platforms from the
open findings, each with the findings behind it; the city sees all, a county bureau only its
county's findings and institutions, an institution nothing (nor on its own page); filters in
the URL, bad ones said in Chinese; the export escapes formulas."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from chizheng.accounts.models import Role
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.supervision.models import Finding

pytestmark = pytest.mark.django_db

DAY = dt.date(2022, 6, 15)


def _finding(
    county: County,
    institution: Institution | None,
    score: str,
    kind: str = "sign_in_above_present",
    named: tuple[tuple[str, Institution], ...] = (),
    year: int = 2022,
) -> Finding:
    n = Finding.objects.count() + 1
    subjects: list[dict[str, Any]] = [
        {"kind": "person", "id": 1, "label": "张三（410402********0011）"}
    ]
    subjects += [{"kind": k, "id": i.pk, "label": i.name} for k, i in named]
    return Finding.objects.create(
        year=year,
        kind=kind,
        clause="§21",
        key=f"{kind}:{n}",
        summary=f"第 {n} 条线索",
        subjects=subjects,
        evidence={"columns": [], "rows": [], "compared": ""},
        score=Decimal(score),
        county=county,
        institution=institution,
        found_at=timezone.now(),
    )


@pytest.fixture
def world(county: Any, make_institution: Any, today: Any) -> dict[str, Any]:
    today(DAY)
    xinhua, ruzhou = county("410402"), county("410482")
    risky = make_institution("410402", name="=新华风险学校")
    calm = make_institution("410402", name="新华平稳学校")
    far = make_institution("410482", name="汝州培训学校")
    evaluator = make_institution("410402", name="新华评价中心", kind=Institution.Kind.EVALUATOR)
    platform = make_institution("410482", name="汝州线上平台", kind=Institution.Kind.PLATFORM)
    f = {
        "a": _finding(xinhua, risky, "30"),
        "b": _finding(xinhua, risky, "12", kind="shared_phone"),
        "c": _finding(xinhua, calm, "5"),
        # certificates before the end, naming the evaluator that issued them
        "d": _finding(
            xinhua, calm, "16", kind="certificate_before_end", named=(("evaluator", evaluator),)
        ),
        # a 汝州 finding naming 新华's risky school (one person on both schools' classes)
        "e": _finding(ruzhou, far, "10", kind="person_overlap", named=(("institution", risky),)),
        "f": _finding(ruzhou, None, "8", named=(("platform", platform),)),
        "old": _finding(xinhua, risky, "20", year=2021),
    }
    # a finding no longer open (a case concluded it) counts no more
    Finding.objects.filter(pk=_finding(xinhua, risky, "100").pk).update(state="cleared")
    return {
        "f": f,
        "risky": risky,
        "calm": calm,
        "far": far,
        "evaluator": evaluator,
        "platform": platform,
    }


def _login(client: Any, make_user: Any, role: str, **scope: Any) -> Any:
    client.force_login(make_user(role, **scope))
    return client


def _ranked(page: Any, kind: str = "institution") -> list[tuple[str, Decimal]]:
    return [
        (r.institution.name, r.risk.score)
        for k, _, rows in page.context["sections"]
        if k == kind
        for r in rows
    ]


@pytest.mark.parametrize("role", [Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.INSPECTOR])
def test_the_city_sees_every_subject_ranked(
    client: Any, make_user: Any, world: Any, role: str
) -> None:
    page = _login(client, make_user, role).get(reverse("supervision:risk"))
    assert page.status_code == 200
    # 30 + 12 + 10 (汝州's finding names it) + 20 × 0.5 (last year's)
    assert _ranked(page) == [
        ("=新华风险学校", Decimal("62.00")),
        ("新华平稳学校", Decimal("21.00")),
        ("汝州培训学校", Decimal("10.00")),
    ]
    assert _ranked(page, "evaluator") == [("新华评价中心", Decimal("16.00"))]
    assert _ranked(page, "platform") == [("汝州线上平台", Decimal("8.00"))]
    text = page.content.decode()
    assert reverse("supervision:detail", args=[world["f"]["a"].pk]) in text
    assert "高风险" in text


def test_a_county_sees_only_its_county_scores_and_findings(
    client: Any, make_user: Any, world: Any, county: Any
) -> None:
    c = _login(client, make_user, Role.COUNTY_HR, county=county("410402"))
    page = c.get(reverse("supervision:risk"))
    # 汝州's finding is not his: the risky school's score is what he can open
    assert _ranked(page) == [
        ("=新华风险学校", Decimal("52.00")),
        ("新华平稳学校", Decimal("21.00")),
    ]
    assert _ranked(page, "platform") == []
    text = page.content.decode()
    assert "汝州" not in text
    assert reverse("supervision:detail", args=[world["f"]["e"].pk]) not in text
    risky = c.get(reverse("supervision:risk_detail", args=["institution", world["risky"].pk]))
    assert [ln.finding_id for ln, _ in risky.context["lines"]] == [
        world["f"]["a"].pk,
        world["f"]["b"].pk,
        world["f"]["old"].pk,
    ]
    for subject, inst in (("institution", "far"), ("platform", "platform")):
        url = reverse("supervision:risk_detail", args=[subject, world[inst].pk])
        assert c.get(url).status_code == 404
    ws = openpyxl.load_workbook(
        io.BytesIO(c.get(reverse("supervision:risk") + "?format=xlsx").content)
    ).active
    assert ws is not None
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(["'=新华风险学校", "新华平稳学校", "新华评价中心"])


@pytest.mark.parametrize(
    "role",
    [Role.INSTITUTION, Role.EVALUATOR, Role.PLATFORM, Role.FINANCE, Role.INDUSTRY, Role.WORKER],
)
def test_others_get_nothing(
    client: Any, make_user: Any, make_person: Any, world: Any, role: str
) -> None:
    from chizheng.org.models import Department

    scopes: dict[str, dict[str, Any]] = {
        Role.INSTITUTION: {"institution": world["risky"]},
        Role.EVALUATOR: {"institution": world["evaluator"]},
        Role.PLATFORM: {"institution": world["platform"]},
        Role.INDUSTRY: {"department": Department.objects.get(code="miit")},
        Role.WORKER: {"person": make_person()},
    }
    c = _login(client, make_user, role, **scopes.get(role, {}))
    for url in (
        reverse("supervision:risk"),
        reverse("supervision:risk") + "?format=xlsx",
        reverse("supervision:risk_detail", args=["institution", world["risky"].pk]),
        reverse("supervision:dashboard"),
        reverse("supervision:dashboard") + "?format=xlsx",
    ):
        r = c.get(url)
        assert r.status_code in (403, 404), (role, url)
        assert "风险学校" not in r.content.decode(errors="ignore")


def test_the_institution_page_shows_risk_to_officials_only(
    client: Any, make_user: Any, world: Any, county: Any
) -> None:
    url = reverse("registry:institution", args=[world["risky"].pk])
    office = _login(client, make_user, Role.PROGRAMME_OFFICE).get(url)
    assert [str(r.risk.score) for r in office.context["risks"]] == ["62.00"]
    assert 'data-testid="institution-risk"' in office.content.decode()
    bureau = _login(client, make_user, Role.COUNTY_HR, county=county("410402")).get(url)
    assert [str(r.risk.score) for r in bureau.context["risks"]] == ["52.00"]
    own = _login(client, make_user, Role.INSTITUTION, institution=world["risky"]).get(url)
    assert own.status_code == 200 and own.context["risks"] == []
    assert 'data-testid="institution-risk"' not in own.content.decode()
    assert "风险分值" not in own.content.decode()


def test_an_evaluator_scored_from_the_findings_naming_it(
    client: Any, make_user: Any, world: Any
) -> None:
    c = _login(client, make_user, Role.INSPECTOR)
    page = c.get(reverse("supervision:risk_detail", args=["evaluator", world["evaluator"].pk]))
    assert page.context["row"].risk.score == Decimal("16.00")
    assert [ln.finding_id for ln, _ in page.context["lines"]] == [world["f"]["d"].pk]
    page = c.get(reverse("supervision:risk_detail", args=["platform", world["evaluator"].pk]))
    assert page.status_code == 200 and page.context["row"].risk.score == Decimal("0.00")
    assert c.get(f"/supervision/risk/nonsense/{world['evaluator'].pk}/").status_code == 404


def test_filters_from_the_url_and_bad_ones_said(client: Any, make_user: Any, world: Any) -> None:
    c = _login(client, make_user, Role.PROGRAMME_OFFICE)
    page = c.get(reverse("supervision:risk") + "?subject=institution&band=high")
    assert [k for k, _, _ in page.context["sections"]] == ["institution"]
    assert _ranked(page) == [("=新华风险学校", Decimal("62.00"))]
    page = c.get(reverse("supervision:risk") + "?county=410482")
    assert _ranked(page) == [("汝州培训学校", Decimal("10.00"))]
    page = c.get(reverse("supervision:risk") + "?year=2021")  # before the policy scores risk
    assert "2021年没有生效的风险参数，已改为2022年" in page.content.decode()
    assert page.context["chosen"]["year"] == 2022
    page = c.get(reverse("supervision:risk") + "?year=abc&subject=x&band=y&county=999")
    assert page.status_code == 200
    text = page.content.decode()
    for said in ("年度“abc”无效", "未知的对象类别", "未知的风险等级", "未知的县（市、区）"):
        assert said in text
    assert len(_ranked(page)) == 3


def test_the_export_escapes_formulas(client: Any, make_user: Any, world: Any) -> None:
    body = (
        _login(client, make_user, Role.PROGRAMME_OFFICE)
        .get(reverse("supervision:risk") + "?format=xlsx")
        .content
    )
    ws = openpyxl.load_workbook(io.BytesIO(body)).active
    assert ws is not None
    rows = list(ws.iter_rows(min_row=1, values_only=True))
    assert rows[0][:5] == ("对象类别", "名称", "统一社会信用代码", "县（市、区）", "风险分值")
    assert rows[1][1] == "'=新华风险学校" and rows[1][4] == 62
    assert f"#{world['f']['a'].pk} 30.00" in str(rows[1][7])


def test_the_ranking_reads_set_based(make_user: Any, world: Any, county: Any) -> None:
    """Two queries (the findings, the institutions) however many findings and subjects."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chizheng.supervision import risk

    office = make_user(Role.PROGRAMME_OFFICE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            risk.risk_ranking(actor=office, year=2022)
        return len(ctx.captured_queries)

    before = queries()
    for _ in range(20):
        _finding(county("410402"), world["calm"], "1", named=(("evaluator", world["evaluator"]),))
    assert queries() == before <= 3
