"""/api/v1/supervision/cases: list, detail, open, transition, notes — scoped (another county's
case is not found, an institution sees none) and checked at the boundary (a bad step, a long
or control-character text is a 422 in Chinese, never a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.api.tests.clients import ApiClient
from chizheng.subsidy.models import Recovery
from chizheng.supervision.models import Case

from .conftest import CaseWorld

pytestmark = pytest.mark.django_db
URL = "/api/v1/supervision/cases"


def _as(user: Any) -> ApiClient:
    c = ApiClient()
    c.force_login(user)
    return c


def _post(c: ApiClient, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, body, content_type="application/json")


def test_open_note_and_recover(cw: CaseWorld) -> None:
    c = _as(cw.hr)
    r = _post(c, URL, {"findings": [cw.finding.pk], "assignee": cw.inspector.pk})
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["state"] == "opened" and case["assignee"] == cw.inspector.pk
    assert case["findings"] == [cw.finding.pk]
    r = _post(c, f"{URL}/{case['id']}/notes", {"text": "调取签到表"})
    assert r.status_code == 201 and r.json()["state"] == "investigating"
    assert set(r.json()["steps"]) == {"clear", "recover"}  # a sanction is the city office's
    r = _post(c, f"{URL}/{case['id']}/transition", {"step": "recover", "reason": "代签属实"})
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["state"] == "recovery" and len(got["recoveries"]) == 1
    assert got["recoveries"][0]["claim"] == cw.claim.pk
    assert Recovery.objects.count() == 1
    listed = c.get(URL, {"state": "recovery"}).json()
    assert [x["id"] for x in listed["items"]] == [case["id"]]
    assert c.get(f"{URL}/{case['id']}").json()["conclusion"] == "代签属实"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"step": "close", "reason": "x"}, "step"),
        ({"step": "clear", "reason": "x" * 2001}, "reason"),
        ({"step": "clear", "reason": "结论\x00"}, "reason"),
        ({"step": "sanction", "reason": "x", "sanction_kind": "jail"}, "sanction_kind"),
    ],
)
def test_bad_input_is_a_422_in_chinese(cw: CaseWorld, body: dict[str, Any], field: str) -> None:
    c = _as(cw.hr)
    case = _post(c, URL, {"findings": [cw.finding.pk]}).json()
    r = _post(c, f"{URL}/{case['id']}/transition", body)
    assert r.status_code == 422, r.content
    err = r.json()
    assert err["code"] == "invalid" and field in str(err["detail"])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])
    assert Case.objects.get().state == "opened"


def test_bad_state_filter_and_empty_case(cw: CaseWorld) -> None:
    c = _as(cw.hr)
    assert c.get(URL, {"state": "bogus"}).status_code == 422
    r = _post(c, URL, {"findings": []})
    assert r.status_code == 422
    r = _post(c, f"{URL}/{10**6}/transition", {"step": "clear", "reason": "x"})
    assert r.status_code == 404


def test_another_county_gets_nothing(cw: CaseWorld) -> None:
    case = _post(_as(cw.hr), URL, {"findings": [cw.finding.pk]}).json()
    for user in (cw.other_hr, cw.other_inspector):
        c = _as(user)
        assert c.get(URL).json()["count"] == 0
        assert c.get(f"{URL}/{case['id']}").status_code == 404
        r = _post(c, f"{URL}/{case['id']}/transition", {"step": "investigate"})
        assert r.status_code == 404
        r = _post(c, f"{URL}/{case['id']}/notes", {"text": "越权"})
        assert r.status_code == 404
        r = _post(c, URL, {"findings": [cw.finding.pk]})
        assert r.status_code in (403, 404)
    # an institution does not read supervision at all, as on the pages
    c = _as(cw.institution_user)
    assert c.get(URL).status_code == 403
    assert c.get(f"{URL}/{case['id']}").status_code == 403
    assert _post(c, f"{URL}/{case['id']}/notes", {"text": "越权"}).status_code == 403
    assert Case.objects.get().state == "opened" and Case.objects.count() == 1
    assert _as(cw.city_inspector).get(URL).json()["count"] == 1
