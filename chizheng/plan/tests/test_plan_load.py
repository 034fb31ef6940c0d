"""The 2022 plan loads exactly as printed: indicators, 附件1 and the ten programmes."""

from __future__ import annotations

from decimal import Decimal

from chizheng.org.models import City
from chizheng.plan.models import Allocation, CountyTarget, Indicator, Plan, Programme
from chizheng.plan.services import plan_load

D = Decimal
# 附件1 as printed in 平技领办〔2022〕5号: 序号, 市县, 培训数, 新增技能人才, 含：新增高技能人才.
ATTACHMENT1 = [
    (1, "汝州市", "3.00", "2.00", "0.70"),
    (2, "舞钢市", "1.17", "0.96", "0.38"),
    (3, "宝丰县", "2.00", "1.61", "0.67"),
    (4, "郏 县", "2.02", "1.64", "0.65"),
    (5, "鲁山县", "3.14", "2.55", "1.04"),
    (6, "叶 县", "2.80", "2.28", "0.93"),
    (7, "新华区", "1.34", "1.09", "0.42"),
    (8, "卫东区", "1.26", "1.02", "0.31"),
    (9, "湛河区", "1.38", "1.12", "0.37"),
    (10, "石龙区", "0.17", "0.14", "0.05"),
    (11, "示范区", "0.51", "0.42", "0.11"),
    (12, "高新区", "0.21", "0.17", "0.07"),
]
TARGETS = {
    "training": ("19", "万人次"),
    "subsidised_training": ("8", "万人次"),
    "new_skilled": ("15", "万人"),
    "new_high_skilled": ("5.7", "万人"),
    "filed_evaluators": ("120", "家"),
    "filed_evaluators_employer": ("100", "家"),
    "filed_evaluators_school": ("9", "家"),
    "filed_evaluators_social": ("11", "家"),
    "certs_enterprise": ("6.48", "万人"),
    "certs_enterprise_high": ("3.04", "万人"),
    "certs_school": ("5.4", "万人"),
    "certs_school_high": ("2.28", "万人"),
    "certs_social": ("3.12", "万人"),
    "certs_social_high": ("0.38", "万人"),
    "apprentices": ("1800", "人"),
    "competition_occupations": ("30", "个"),
    "competition_events": ("10", "场"),
    "competition_certified": ("300", "人"),
    "social_evaluators": ("20", "家"),
    "special_pass_share": ("0.10", "比例"),
}


def test_attachment1_loads_exactly_as_in_the_document(plan: Plan) -> None:
    columns = list(plan.indicators.filter(allocated=True).order_by("order"))
    assert [c.code for c in columns] == ["training", "new_skilled", "new_high_skilled"]
    assert [c.heading for c in columns] == [
        "培训数 (万人次)",
        "新增技能人才 (万人)",
        "含：新增高技能人才 (万人)",
    ]
    for col, ind in enumerate(columns):
        targets = list(
            CountyTarget.objects.filter(indicator=ind)
            .select_related("county")
            .order_by("county__order")
        )
        assert [(t.county.order, t.label, f"{t.target:.2f}") for t in targets] == [
            (row[0], row[1], row[2 + col]) for row in ATTACHMENT1
        ]
        assert sum(t.target for t in targets) == ind.target
    assert [c.target for c in columns] == [D(19), D(15), D("5.7")]
    notes = [c.allocation_note for c in columns]
    assert notes[0] == "各县（市、区）培训数=各县（市、区）人口数占全市人口数的比例乘以19万任务数"
    assert (
        notes[1]
        == "各县（市、区）新增技能人才数=各县（市、区）人口数占全市人口数的比例乘以15万任务数"
    )
    assert notes[2].startswith(
        "各县（市、区）新增高技能人才数=各县（市、区）就业人数占全市就业人数的比例"
    )
    assert notes[2].endswith("（2020年数据）")
    assert [c.allocation_basis for c in columns] == ["population", "population", "employment"]


def test_indicators_carry_the_documents_targets_and_units(plan: Plan) -> None:
    got = {i.code: (f"{i.target.normalize():f}", i.unit) for i in plan.indicators.all()}
    assert got == {k: (f"{D(v).normalize():f}", u) for k, (v, u) in TARGETS.items()}
    filed = plan.indicators.get(code="filed_evaluators")
    assert sorted(c.target for c in filed.children.all()) == [D(9), D(11), D(100)]
    assert sum(c.target for c in filed.children.all()) == filed.target
    cap = plan.indicators.get(code="special_pass_share")
    assert cap.policy_parameter == "outcomes.max_special_and_pass_certificate_share"
    assert cap.comparison == Indicator.Comparison.AT_MOST


def test_the_ten_programmes_and_their_lead_units(plan: Plan) -> None:
    programmes = list(Programme.objects.filter(plan=plan).order_by("number"))
    assert [p.number for p in programmes] == list(range(1, 11))
    first = [u.department.name for u in programmes[0].units.order_by("position")]
    assert first == [
        "市工信局",
        "市财政局",
        "市科技局",
        "市人社局",
        "市教体局",
        "市总工会",
        "团市委",
    ]
    leads = [p.lead.department.code if p.lead else None for p in programmes]
    assert leads == [
        "miit",
        "hrss",
        "culture",
        "natural_resources",
        "emergency",
        "commerce",
        "miit",
        "agriculture",
        "hrss",
        "hrss",
    ]
    assert programmes[9].units.count() == 10
    assert programmes[9].units.order_by("position").last().department.name == "市残联"  # type: ignore[union-attr]


def test_loading_again_changes_nothing(plan: Plan, city: City) -> None:
    counts = (
        Indicator.objects.count(),
        CountyTarget.objects.count(),
        Allocation.objects.count(),
        Programme.objects.count(),
    )
    again = plan_load()
    assert again.pk == plan.pk
    assert (
        Indicator.objects.count(),
        CountyTarget.objects.count(),
        Allocation.objects.count(),
        Programme.objects.count(),
    ) == counts
    assert counts == (20, 36, 3, 10)


def test_the_document_allocation_records_the_manual_adjustment(plan: Plan) -> None:
    record = Allocation.objects.get(indicator__plan=plan, indicator__code="new_skilled")
    assert record.method == Allocation.Method.DOCUMENT
    assert record.unit == D("0.01")
    assert record.adjustments[0]["county"] == "410482"
    assert record.adjustments[0]["value"] == "2.00"
    assert record.result["410482"] == "2.00"
