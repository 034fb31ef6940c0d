"""The whole 附件2 of a fully run class — approved, inspected, assessed, signed by the HR
bureau and a patroller, claimed with an objection on notice, paid from two funds: the
selector fills every box, the print page and the PDF show them, the reads do not grow with
the roster or the sessions, and another county or institution gets "not found"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chizheng.accounts.models import Role, User
from chizheng.core import clock
from chizheng.subsidy import services as subsidy
from chizheng.subsidy.models import Claim, Objection
from chizheng.subsidy.tests import flow
from chizheng.subsidy.tests.conftest import HELD, Money, assess, fund
from chizheng.training import annex2, pdf, services
from chizheng.training.models import Enrolment, Inspection, Opinion, Session, TrainingClass
from chizheng.training.tests.pdftext import pages, pdf_text

pytestmark = pytest.mark.django_db
ACCOUNT = "6222021234567890123"
PAID_ON = dt.date(2022, 7, 12)


@dataclass
class Paid:
    m: Money
    training_class: TrainingClass
    claim: Claim


def _opinions(w: Any, training_class: TrainingClass) -> None:
    with clock.freeze(HELD):
        services.opinion_record(
            actor=w.hr_a, class_id=training_class.pk, kind="supervision", text="过程监管到位。"
        )
        services.opinion_record(
            actor=w.inspector, class_id=training_class.pk, kind="patrol", text="考场秩序良好。"
        )
    with clock.freeze(HELD + dt.timedelta(days=1)):
        services.opinion_record(
            actor=w.hr_b, class_id=training_class.pk, kind="results", text="考核结果属实。"
        )


def _pay(m: Money) -> Claim:
    """Through the chain of flow.approved, with an objection dismissed during the notice."""
    claim = flow.on_notice(m)
    with clock.freeze(flow.NOTICE_FROM + dt.timedelta(days=1)):
        o = subsidy.objection_submit(claim_id=claim.pk, text="有学员未到课。")
        subsidy.objection_handle(
            actor=m.w.hr_a, objection_id=o.pk, outcome="dismissed", handling="经核查全程参训。"
        )
    with clock.freeze(flow.CLOSE_DAY):
        subsidy.notice_close(actor=m.w.hr_a, claim_id=claim.pk)
        subsidy.claim_review(
            actor=m.w.hr_a, claim_id=claim.pk, seen=flow.seen(claim), decision="approve"
        )
    with clock.freeze(flow.CLOSE_DAY + dt.timedelta(days=1)):
        subsidy.claim_review(
            actor=m.w.hr_b, claim_id=claim.pk, seen=flow.seen(claim), decision="approve"
        )
    with clock.freeze(dt.date(2022, 7, 11)):
        for reviewer in (m.finance_a, m.finance_b):
            subsidy.claim_review(
                actor=reviewer,
                claim_id=claim.pk,
                seen=flow.seen(claim),
                decision="approve",
                opinion="同意拨付",
            )
    with clock.freeze(PAID_ON):
        subsidy.claim_disburse(actor=m.finance_a, claim_id=claim.pk)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def paid(world: Any, make_user: Any, county: Any) -> Paid:
    from chizheng.org.models import Department

    with clock.freeze(dt.date(2022, 5, 20)):
        training_class = world.approved(bank_name="中国工商银行平顶山分行", bank_account=ACCOUNT)
    assess(
        world,
        training_class=training_class,
        inspections=(("opening", 30), ("during", 28)),
    )
    _opinions(world, training_class)
    m = Money(
        w=world,
        training_class=training_class,
        office=make_user(Role.PROGRAMME_OFFICE),
        office_b=make_user(Role.PROGRAMME_OFFICE),
        finance_a=make_user(Role.FINANCE),
        finance_b=make_user(Role.FINANCE),
        other_county_hr=make_user(Role.COUNTY_HR, county=county("410482")),
        other_department=make_user(Role.INDUSTRY, department=Department.objects.first()),
    )
    fund(m, "skills_upgrade_account", "30000.50")
    fund(m, "employment_subsidy", "100000")
    return Paid(m, training_class, _pay(m))


def test_the_selector_fills_every_box(paid: Paid) -> None:
    w = paid.m.w
    with clock.freeze(PAID_ON):
        form = annex2.annex2(actor=w.hr_a, class_id=paid.training_class.pk)
    h, f = form.half, form.claim_form
    assert h.bank_account == "6222***********0123" and ACCOUNT not in h.bank_account
    assert h.contact_phone == "0375-1234567"  # a landline: the institution's, whole
    assert all(step is not None and step.done_on for step in (*h.industry, *h.hr))
    assert h.opening is not None and (h.opening.present, h.opening.inspector) == (30, w.inspector)
    assert [i.present for i in h.during] == [28] and h.checks_in_system
    assert h.training_class.average_present == Decimal("28.00")
    assert h.supervision_opinion is not None and h.supervision_opinion.text == "过程监管到位。"
    assert h.assessment is not None and h.assessment.held_on == HELD
    assert h.assessment_ahead_days == 3
    rows = {r.certificate_type: (r.taking, r.certified) for r in h.count_rows}
    assert rows["skill_level"] == (30, 28) and rows["special_ability"] == (None, None)
    assert (h.taking_total, h.certified_total, h.results_in_system) == (30, 28, True)
    assert [p.author for p in h.patrols] == [w.inspector]
    assert h.results_opinion is not None and h.results_opinion.author == w.hr_b
    assert form.claim == paid.claim and f is not None
    assert (f.persons, f.amount, f.amount_wan) == (28, Decimal("44800.00"), "4.4800")
    assert f.applicant_name == "张校长" and f.committed_on == flow.CLAIM_DAY
    assert f.steps[0][0] == "行业主管部门审核情况（自受理之日起10个工作日内）"
    assert all(first and second and second.done_on for _, first, second in f.steps)
    assert (f.notice_from, f.notice_until, f.notice_days) == (
        flow.NOTICE_FROM,
        flow.NOTICE_LAST,
        5,
    )
    assert f.notice_min_days == 5 and f.notice_site == "平顶山市人力资源和社会保障局"
    assert [(o.outcome, o.handling) for o in f.objections] == [("dismissed", "经核查全程参训。")]
    assert (f.paid_on, f.paid_amount, f.paid_wan) == (PAID_ON, Decimal("44800.00"), "4.4800")
    assert [(s.name, s.year, s.amount, s.amount_wan) for s in f.sources] == [
        ("职业技能提升行动专账", 2022, Decimal("30000.50"), "3.00005"),
        ("就业补助资金", 2022, Decimal("14799.50"), "1.47995"),
    ]


def test_the_pdf_has_both_halves_and_every_box(paid: Paid) -> None:
    with clock.freeze(PAID_ON):
        body = pdf.form_pdf(annex2.annex2(actor=paid.m.w.hr_a, class_id=paid.training_class.pk))
    text = pdf_text(body)
    assert body.startswith(b"%PDF") and pages(body) >= 2
    for expected in (
        "年度补贴培训资金申请表",
        "新华区职业培训学校",
        "6222***********0123",
        "2022-切割-01　2022年6月6日",
        "机械加工材料切割工（6-18-02-05） 中级工",
        "2022年6月6日至2022年6月26日，共80课时",
        "学员人数：30人　签到情况：30人签到　培训资料留存情况：已留存",
        "学员出勤情况：在位28人",
        "人力资源社会保障部门检查意见过程监管到位。",
        "组织考核（评价、鉴定）时间（提前3天提出，并在信息化管理系统上填报）",
        "参加职业技能等级评定人数30取证人数28",
        "取证总人数28",
        "考核巡查人员签字",
        "人力资源社会保障部门意见考核结果属实。",
        "4.4800 万元（44800.00 元）",
        "申请承诺人：张校长",
        "行业主管部门审核情况（自受理之日起10个工作日内）",
        "人力资源社会保障部门对补贴信息公示情况（不少于5个工作日）",
        "2022年6月30日至2022年7月6日在平顶山市人力资源和社会保障局官网进行公示，公示期5个工作日",
        "收到异议1件（1. 异议不成立：经核查全程参训。）",
        "财政部门审核意见意见：同意拨付",
        "拨付时间2022年7月12日",
        "职业技能提升行动专账（2022年度）3.00005 万元（30000.50 元）",
        "就业补助资金（2022年度）1.47995 万元（14799.50 元）",
    ):
        # ReportLab draws the form's ideographic space as a plain one
        assert expected.replace("　", " ") in text, expected
    assert ACCOUNT not in text
    assert text.index("结业考核") < text.index("补贴资金申领") < text.index("资金拨付")


def test_the_print_page_shows_every_box(paid: Paid, client: Client) -> None:
    client.force_login(paid.m.w.hr_a)
    with clock.freeze(PAID_ON):
        page = client.get(f"/classes/{paid.training_class.pk}/print/").content.decode()
    for expected in (
        'data-testid="print-sheet"',
        "6222***********0123",
        "过程监管到位。",
        "考核巡查人员签字",
        "考核结果属实。",
        "提前3天提出",
        "不少于5个工作日",
        "自受理之日起10个工作日内",
        "2022年7月12日",
        '<span data-testid="form-paid-wan">4.4800</span>',
        "职业技能提升行动专账（2022年度）3.00005 万元",
        "就业补助资金（2022年度）1.47995 万元",
        "异议不成立：经核查全程参训。",
    ):
        assert expected in page, expected
    assert ACCOUNT not in page


def test_the_reads_do_not_grow_with_the_roster_or_the_sessions(paid: Paid) -> None:
    k, w = paid.training_class, paid.m.w

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            form = annex2.annex2(actor=w.hr_a, class_id=k.pk)
            pdf.form_pdf(form)
        return len(q.captured_queries)

    before = count()
    # More of everything the form lists: trainees, sessions, inspections, patrols, objections.
    for p in w.people[30:40]:
        Enrolment.objects.create(training_class=k, person=p)
    for _ in range(6):
        Session.objects.create(
            training_class=k, held_on=k.start_date, kind="theory", class_hours=1, minutes=45
        )
        Inspection.objects.create(
            training_class=k,
            kind="during",
            held_on=k.start_date,
            place="实训车间",
            inspector=w.inspector,
            present=25,
            signed_in=25,
            teachers_present=2,
        )
        Opinion.objects.create(
            training_class=k,
            kind="patrol",
            text="巡查",
            author=w.industry_a,
            given_on=HELD,
            at=clock.now(),
        )
        Objection.objects.create(claim=paid.claim, text="异议", received_at=clock.now())
    assert count() == before
    assert before <= 15  # the class, its claim, 6 of the class's half, 4 of the claim's, 3 calendar


def _get(client: Client, user: User, url: str) -> int:
    client.force_login(user)
    return client.get(url).status_code


def test_another_county_or_institution_gets_not_found(
    paid: Paid, client: Client, make_user: Any, county: Any
) -> None:
    w, k = paid.m.w, paid.training_class
    for url in (f"/classes/{k.pk}/print/", f"/classes/{k.pk}/pdf/"):
        assert _get(client, paid.m.other_county_hr, url) == 404
        assert _get(client, w.other_applicant, url) == 404
        assert _get(client, paid.m.other_department, url) == 404
        assert _get(client, make_user(Role.INSPECTOR, county=county("410482")), url) == 404
        assert _get(client, w.applicant, url) == 200
        assert _get(client, paid.m.finance_a, url) == 200


def test_the_evaluator_prints_the_class_half_without_the_claim(paid: Paid, client: Client) -> None:
    """The evaluator sees the class it assessed, not the institution's claim."""
    form = annex2.annex2(actor=paid.m.w.evaluator_user, class_id=paid.training_class.pk)
    assert form.half.certified_total == 28 and form.claim is None and form.claim_form is None
    client.force_login(paid.m.w.evaluator_user)
    page = client.get(f"/classes/{paid.training_class.pk}/print/").content.decode()
    assert "尚无补贴资金申领" in page and "44800.00" not in page and "3.00005" not in page


def test_a_class_without_a_claim_prints_the_blank_claim_half(world: Any, today: Any) -> None:
    training_class = world.approved()
    today(dt.date(2022, 5, 25))
    body = pdf.form_pdf(annex2.annex2(actor=world.applicant, class_id=training_class.pk))
    text = pdf_text(body)
    assert "行业主管部门审核情况（自受理之日起10个工作日内）" in text
    assert "人力资源社会保障部门对补贴信息公示情况（不少于5个工作日）" in text
    assert "申请承诺人：" in text and "我郑重承诺对提供的各项材料和信息真实性负责" in text
    assert "资金来源（就业补助资金、失业保险基金、职业技能提升行动资金等）" in text
