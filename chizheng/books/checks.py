"""The invariants across areas that ``chizheng check-books`` verifies, each set-based (a
query or two for the whole database, not one per row):

1. every paid claim line has a certificate of the person, from the claim's class — or, for
   a person's own claim (个人申请), the certificate the claim names;
2. every paid claim line's trainee met the recognised attendance the claim recorded, where
   the claim recorded one (§21);
3. a paid line of a person whose voucher was bound to that class redeemed the voucher and
   names it, and every redeemed voucher has such a paid line (§20(5) 以证换券);
4. every fund's balance = budget − draws + recoveries, its budget the sum of its budget
   entries, to the cent; every disbursement = the sum of its parts, and per fund the draws
   equal the parts drawn from it, less what was recovered;
5. the plan's monthly certificate tally equals the certificates (``plan refresh --check``);
6. every certificate traces to an assessment: a class's to the class's final assessment
   (held no later than the certificate's date), an evaluation-only one to an evaluation
   institution that issued it;
7. nobody is paid twice for one occupation and level.

A check returns what it compared and up to five examples of what broke.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from chizheng.assessment.models import Certificate
from chizheng.registry.models import Institution
from chizheng.subsidy.models import (
    ApplicantKind,
    Claim,
    ClaimLine,
    ClaimStatus,
    Disbursement,
    DisbursementPart,
    Fund,
    FundEntry,
    Voucher,
    VoucherStatus,
)

EXAMPLES = 5
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Result:
    code: str
    label: str  # Chinese, what holds when it passes
    checked: int  # rows looked at
    broken: list[str] = field(default_factory=list)  # up to EXAMPLES, in Chinese

    @property
    def ok(self) -> bool:
        return not self.broken


def _paid_lines() -> QuerySet[ClaimLine]:
    return ClaimLine.objects.filter(payable=True, claim__status=ClaimStatus.PAID)


def paid_lines_have_certificates() -> Result:
    lines = _paid_lines()
    by_class = Q(claim__applicant_kind=ApplicantKind.INSTITUTION) & ~Q(
        certificate__training_class_id=F("claim__training_class_id")
    )
    by_person = Q(claim__applicant_kind=ApplicantKind.INDIVIDUAL) & (
        ~Q(certificate_id=F("claim__certificate_id")) | ~Q(person_id=F("claim__person_id"))
    )
    bad = lines.filter(
        Q(certificate__isnull=True)
        | ~Q(certificate__person_id=F("person_id"))
        | by_class
        | by_person
    ).values_list("claim_id", "person_id")[:EXAMPLES]
    return Result(
        "paid_line_certificate",
        "每条已拨付的补贴均有该学员在本班取得的证书，个人申请的为其申请的本人证书（以证换券、无证无价）",
        lines.count(),
        [f"申领 {c} 学员 {p}：无本人本班证书" for c, p in bad],
    )


def paid_lines_met_attendance() -> Result:
    """Lines paid although the claim's recorded attendance of the trainee was below the
    rate it required (claims calculated before attendance was recorded carry none)."""
    paid = list(_paid_lines().values_list("claim_id", "person_id"))
    calculations = dict(
        Claim.objects.filter(pk__in={c for c, _ in paid}).values_list("pk", "calculation")
    )
    attendance = {
        (claim_id, t["person_id"]): t.get("attendance")
        for claim_id, calc in calculations.items()
        for t in (calc or {}).get("inputs", {}).get("trainees", [])
    }
    checked, broken = 0, []
    for key in paid:
        a = attendance.get(key)
        if not a or a.get("rate") is None:
            continue
        checked += 1
        if Decimal(a["rate"]) < Decimal(a["required"]):
            broken.append(f"申领 {key[0]} 学员 {key[1]}：到课率 {a['rate']} < {a['required']}")
    return Result(
        "paid_line_attendance",
        "每条已拨付的补贴，学员认定到课率达到要求（§21）",
        checked,
        broken[:EXAMPLES],
    )


def bound_vouchers_redeemed() -> Result:
    """以证换券 both ways: every paid line whose trainee had a voucher bound to that class
    (presented for his roster line, or his own) redeemed that voucher and names it; and every
    redeemed voucher is named by a paid line of its class, for its holder, at its amount."""
    # A class's claim: a person's own (个人申请) is refused to a trainee whose voucher paid
    # for the class, and redeems none.
    paid = _paid_lines().filter(claim__applicant_kind=ApplicantKind.INSTITUTION)
    classes = paid.values("claim__training_class_id")
    presented: dict[tuple[int, int], list[tuple[int, str, str]]] = {}
    for pk, number, status, class_id, holder, presented_for in (
        Voucher.objects.filter(training_class_id__in=classes)
        .values_list(
            "pk", "number", "status", "training_class_id", "person_id", "enrolment__person_id"
        )
        .order_by("pk")
    ):
        presented.setdefault((class_id, presented_for or holder), []).append((pk, number, status))
    broken = []
    for claim_id, person, class_id, voucher_id in (
        paid.filter(claim__training_class_id__in=[c for c, _ in presented])
        .values_list("claim_id", "person_id", "claim__training_class_id", "voucher_id")
        .order_by("claim_id", "pk")
    ):
        for pk, number, status in presented.get((class_id, person), []):
            if status != VoucherStatus.REDEEMED:
                broken.append(
                    f"申领 {claim_id} 学员 {person}：已拨付补贴，绑定本班的培训券 {number} 未兑付"
                )
            elif voucher_id != pk:
                broken.append(
                    f"申领 {claim_id} 学员 {person}：培训券 {number} 已兑付，但补贴明细未关联该券"
                )
    redeemed = Voucher.objects.filter(status=VoucherStatus.REDEEMED)
    orphans = (
        redeemed.annotate(
            lines=Count(
                "claim_lines",
                filter=Q(
                    claim_lines__payable=True,
                    claim_lines__claim__status=ClaimStatus.PAID,
                    claim_lines__claim__training_class_id=F("training_class_id"),
                    claim_lines__person_id=F("person_id"),
                    claim_lines__amount=F("amount"),
                ),
            )
        )
        .filter(lines=0)
        .values_list("number", "person_id")[:EXAMPLES]
    )
    broken += [
        f"培训券 {n}（学员 {p}）已兑付，但没有本班已拨付的补贴明细与之对应" for n, p in orphans
    ]
    return Result(
        "voucher_redeemed",
        "绑定本班的培训券在补贴拨付时兑付并关联该条补贴；每张已兑付的券都有已拨付的补贴（以证换券）",
        sum(len(v) for v in presented.values()) + redeemed.count(),
        broken[:EXAMPLES],
    )


def funds_balance() -> Result:
    funds = Fund.objects.annotate(
        budgeted=Sum("entries__amount", filter=Q(entries__kind=FundEntry.Kind.BUDGET)),
        moved=Sum("entries__amount"),
    )
    parts = dict(
        DisbursementPart.objects.values("fund_id")
        .annotate(total=Sum("amount"))
        .values_list("fund_id", "total")
    )
    draws = dict(
        FundEntry.objects.filter(kind=FundEntry.Kind.DRAW)
        .values("fund_id")
        .annotate(total=Sum("amount"))
        .values_list("fund_id", "total")
    )
    broken = []
    for f in funds:
        budgeted, moved = f.budgeted or ZERO, f.moved or ZERO
        name = f"{f.get_source_display()} {f.year}"
        if f.budget != budgeted:
            broken.append(f"资金 {name}：预算 {f.budget} ≠ 预算记录合计 {budgeted}")
        if f.balance != moved:
            broken.append(f"资金 {name}：余额 {f.balance} ≠ 预算 − 拨付 + 追缴 = {moved}")
        drawn = -(draws.get(f.pk) or ZERO)
        if drawn != (parts.get(f.pk) or ZERO):
            broken.append(f"资金 {name}：拨付记录 {drawn} ≠ 拨付明细 {parts.get(f.pk) or ZERO}")
    split = (
        Disbursement.objects.annotate(parts_total=Sum("parts__amount"))
        .exclude(amount=F("parts_total"))
        .values_list("claim_id", "amount", "parts_total")[:EXAMPLES]
    )
    broken += [f"申领 {c} 拨付 {a} ≠ 各资金来源合计 {p}" for c, a, p in split]
    recovered = (
        Disbursement.objects.annotate(recovery_total=Sum("recoveries__amount"))
        .exclude(recovered=0, recovery_total__isnull=True)
        .exclude(recovered=F("recovery_total"))
        .values_list("claim_id", "recovered", "recovery_total")[:EXAMPLES]
    )
    broken += [f"申领 {c} 已追缴 {r} ≠ 追缴记录合计 {t or ZERO}" for c, r, t in recovered]
    # per county: each payment is the claim's amount, booked to the claim's county
    misbooked = Disbursement.objects.exclude(
        amount=F("claim__amount"), county_id=F("claim__county_id")
    ).values_list("claim_id", "amount", "claim__amount")[:EXAMPLES]
    broken += [f"申领 {c}：拨付 {a}，申领金额 {m}，或县（市、区）不符" for c, a, m in misbooked]
    return Result(
        "funds_balance",
        "每项资金余额 = 预算 − 拨付 + 追缴（精确到分）；每笔拨付 = 申领金额 = 各资金来源之和，"
        "计入申领所在县（市、区）",
        funds.count(),
        broken[:EXAMPLES],
    )


def plan_tally_matches() -> Result:
    from chizheng.plan.tally import tally_matches

    years = sorted({d.year for d in Certificate.objects.dates("issued_on", "year")})
    return Result(
        "plan_tally",
        "目标进度的月度取证统计与证书记录一致",
        len(years),
        [
            f"{y} 年的月度取证统计与证书记录不符（chizheng plan refresh --year {y}）"
            for y in years
            if not tally_matches(year=y)
        ][:EXAMPLES],
    )


def certificates_trace_to_assessments() -> Result:
    certificates = Certificate.objects.all()
    orphan = certificates.filter(
        Q(training_class__isnull=False)
        & (
            Q(training_class__assessment__isnull=True)
            | Q(training_class__assessment__held_on__gt=F("issued_on"))
        )
    ).values_list("number", "training_class_id")[:EXAMPLES]
    broken = [f"证书 {n}：培训班 {c} 无结业考核或考核晚于发证" for n, c in orphan]
    loose = (
        certificates.filter(training_class__isnull=True)
        .exclude(
            Q(issuing_institution__kind=Institution.Kind.EVALUATOR)
            | Q(issuing_institution__filing_status=Institution.FilingStatus.FILED)
        )
        .values_list("number", "issuing_institution__name")[:EXAMPLES]
    )
    broken += [f"证书 {n}：无培训班，发证机构 {i} 不是备案的评价机构" for n, i in loose]
    return Result(
        "certificate_assessment",
        "每张证书可追溯到考核：培训班的结业考核，或评价机构的评价",
        certificates.count(),
        broken[:EXAMPLES],
    )


def nobody_paid_twice() -> Result:
    paid = _paid_lines()
    twice = (
        paid.values("person_id", "occupation_code", "standard_key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)[:EXAMPLES]
    )
    return Result(
        "paid_once",
        "同一人同一职业同一等级只补贴一次",
        paid.count(),
        [
            f"学员 {r['person_id']} {r['occupation_code']} {r['standard_key']} 补贴 {r['n']} 次"
            for r in twice
        ],
    )


CHECKS: tuple[Callable[[], Result], ...] = (
    paid_lines_have_certificates,
    paid_lines_met_attendance,
    bound_vouchers_redeemed,
    funds_balance,
    plan_tally_matches,
    certificates_trace_to_assessments,
    nobody_paid_twice,
)


def run() -> list[Result]:
    return [check() for check in CHECKS]
