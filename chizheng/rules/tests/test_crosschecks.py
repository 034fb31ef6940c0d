"""The supervision cross-checks as pure functions: each finds what it is for, leaves what is
in order, cites its clause and scores by the policy's weights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from chizheng.rules import crosschecks as cc
from chizheng.rules import params
from chizheng.rules.crosscheck_rows import (
    CertificateRow,
    ClassEvidence,
    ClassRef,
    EnrolmentRow,
    InspectionRow,
    PhoneRow,
    SessionRow,
    TeacherBooking,
)
from chizheng.rules.facts import Session

AT = params.load().at(dt.date(2022, 6, 1))
D = dt.date


def ref(pk: int, start: dt.date, days: int = 20, inst: int = 1, county: int = 1) -> ClassRef:
    return ClassRef(
        id=pk,
        label=f"班{pk}",
        institution_id=inst,
        institution=f"机构{inst}",
        county_id=county,
        county=f"县{county}",
        start=start,
        end=start + dt.timedelta(days=days),
    )


def session(
    kind: str = "practical",
    hours: int = 2,
    per_hour: tuple[int, ...] = (45, 45),
    all_seen: bool = True,
) -> Session:
    return Session(
        class_ref="班1",
        ref="s1",
        kind=kind,  # type: ignore[arg-type]
        held_on=D(2022, 3, 8),
        class_hours=hours,
        minutes=hours * 45,
        recorded_minutes=hours * 45,
        longest_recording_per_class_hour=per_hour,
        shows_all_trainees=all_seen,
    )


def test_a_person_on_overlapping_classes_of_two_counties_is_found_once() -> None:
    a, b = ref(1, D(2022, 3, 1), inst=1, county=1), ref(2, D(2022, 3, 15), inst=2, county=2)
    c = ref(3, D(2022, 4, 1))  # after a ends, before b ends: overlaps b only
    rows = [EnrolmentRow(7, "张三（4104**********0011）", x) for x in (a, b, c)]
    found = cc.person_overlap(rows, AT)
    assert [(f.classes, f.county_id) for f in found] == [((1, 2), 2), ((2, 3), 1)]
    assert found[0].clause == "§20(3)" and found[0].score == Decimal("10")
    assert "2022-03-15 至 2022-03-21" in found[0].evidence["compared"]
    # back to back is no overlap; one class each is nothing
    d = ref(4, D(2022, 3, 22))
    assert cc.person_overlap([EnrolmentRow(8, "李四", a), EnrolmentRow(8, "李四", d)], AT) == []


def test_sign_in_above_present() -> None:
    c = ref(1, D(2022, 3, 1))
    rows = [
        InspectionRow(1, c, "培训期间检查", D(2022, 3, 8), present=10, signed_in=12),
        InspectionRow(2, c, "开班当日检查", D(2022, 3, 1), present=12, signed_in=12),
        InspectionRow(3, c, "培训期间检查", D(2022, 3, 9), present=12, signed_in=11),
    ]
    (f,) = cc.sign_in_above_present(rows, AT)
    assert f.key == "sign_in_above_present:1" and f.clause == "§21"
    assert f.score == Decimal("10")  # 5 per signature above, 2 above
    assert f.evidence["rows"] == [["培训期间检查", "2022-03-08", 12, 10, 2]]


def test_a_session_not_recognised_weighs_double_when_claimed() -> None:
    c = ref(1, D(2022, 3, 1))
    short = session(per_hour=(12, 45))  # one hour's longest recording below 15 minutes
    rows = [
        SessionRow(1, c, short, claimed=False, present=5),
        SessionRow(2, c, short, claimed=True, present=5),
        SessionRow(3, c, session(), claimed=True, present=5),
        SessionRow(
            4, c, session(kind="theory", per_hour=(), all_seen=False), claimed=False, present=5
        ),
    ]
    found = {f.key: f for f in cc.session_not_recognised(rows, AT)}
    assert set(found) == {f"session_not_recognised:{i}" for i in (1, 2, 4)}
    assert found["session_not_recognised:1"].score == Decimal("2")
    assert found["session_not_recognised:2"].score == Decimal("4")
    assert found["session_not_recognised:4"].score == Decimal("4")  # 2 hours, none recognised
    assert "≥ 15 分钟" in found["session_not_recognised:1"].evidence["compared"]


def test_one_phone_behind_three_people_compared_by_its_index() -> None:
    c1, c2 = ref(1, D(2022, 3, 1), inst=1), ref(2, D(2022, 3, 1), inst=2)
    rows = [
        PhoneRow(p, f"人{p}", "idx-a", "139****0000", c1 if p < 3 else c2) for p in (1, 2, 3)
    ] + [PhoneRow(p, f"人{p}", "idx-b", "138****1111", c1) for p in (4, 5)]
    (f,) = cc.shared_phone(rows, AT)
    assert f.clause == "§三(三)" and f.score == Decimal("12")
    assert f.institution_id is None and f.county_id == 1  # two institutions: none named
    assert [r[1] for r in f.evidence["rows"]] == ["139****0000"] * 3
    assert "idx-a" not in str(f.subjects)


def test_certificates_before_the_class_ended_one_finding_per_class() -> None:
    c = ref(1, D(2022, 3, 1))  # ends 03-21
    rows = [
        CertificateRow(1, "S1", "人1", D(2022, 3, 18), c, D(2022, 3, 18)),
        CertificateRow(2, "S2", "人2", D(2022, 3, 19), c, D(2022, 3, 18)),
        CertificateRow(3, "S3", "人3", D(2022, 3, 21), c, D(2022, 3, 21)),  # the last day: in order
    ]
    (f,) = cc.certificate_before_end(rows, AT)
    assert f.key == "certificate_before_end:1" and len(f.evidence["rows"]) == 2
    assert f.score == Decimal("16")


def test_a_teacher_across_institutions_at_the_same_time() -> None:
    a, b = ref(1, D(2022, 3, 1), inst=1), ref(2, D(2022, 3, 10), inst=2)
    same = ref(3, D(2022, 3, 5), inst=1)
    rows = [
        TeacherBooking(10, "t-idx", "王老师（4104**0022）", a),
        TeacherBooking(11, "t-idx", "王老师（4104**0022）", b),
        TeacherBooking(10, "t-idx", "王老师（4104**0022）", same),
    ]
    found = cc.teacher_double_booked(rows, AT)
    # his own institution's concurrent classes are the policy's reading: not a finding
    assert sorted(f.classes for f in found) == [(1, 2), (2, 3)]
    assert all(f.clause == "§20(1)" for f in found)


def test_certificates_without_a_recognised_session() -> None:
    c, d = ref(1, D(2022, 3, 1)), ref(2, D(2022, 3, 1))
    unseen = session(all_seen=False)
    rows = [
        ClassEvidence(c, certificates=3, sessions=(unseen,)),
        ClassEvidence(d, certificates=3, sessions=(unseen, session())),
        ClassEvidence(ref(3, D(2022, 3, 1)), certificates=2),
        ClassEvidence(ref(4, D(2022, 3, 1)), certificates=0),
    ]
    found = cc.certificates_without_session(rows, AT)
    assert [f.classes for f in found] == [(1,), (3,)]
    assert found[0].score == Decimal("24")


def test_every_check_cites_a_clause_and_has_a_weight() -> None:
    weights = AT["supervision.weights"]
    for kind, check in cc.CHECKS.items():
        assert check.clause.startswith("§") and kind in weights


def test_one_bank_account_behind_three_applicants_compared_by_its_index() -> None:
    from chizheng.rules.crosscheck_rows import AccountRow

    c1, c2 = ref(1, D(2022, 3, 1), inst=1), ref(2, D(2022, 4, 1), inst=1)

    def row(applicant: str, index: str, cls: ClassRef | None = None) -> AccountRow:
        return AccountRow(
            applicant, applicant, index, "6228****0011", "个人申请", 1, None if cls else 5, cls
        )

    rows = [
        row("institution:1", "acct-a", c1),
        row("institution:1", "acct-a", c2),  # one institution's two classes: one applicant
        row("person:7", "acct-a"),
        row("person:8", "acct-a"),
        row("person:9", "acct-b"),
        row("person:10", "acct-b"),
    ]
    (f,) = cc.shared_bank_account(rows, AT)
    assert f.clause == "§三(三)" and f.score == Decimal("15")  # 5 per applicant, 3 applicants
    assert f.classes == (1, 2) and f.county_id == 1 and f.institution_id is None
    assert "acct-a" not in str(f.subjects) + str(f.evidence)
    # two applicants on one account (a couple) are not a finding
    assert cc.shared_bank_account(rows[:3], AT) == []


def test_one_person_under_a_15_and_an_18_digit_form() -> None:
    from chizheng.core import ids
    from chizheng.rules.crosscheck_rows import IdFormRow

    born = D(1985, 6, 17)
    n18 = ids.make("410402", born, 123)  # 410402 19850617 123 + check
    n15 = n18[:6] + n18[8:17]  # the old form: two-digit year, no check character
    other = ids.make("410402", born, 124)  # a twin: another sequence, another person
    c = ref(1, D(2022, 3, 1))
    rows = [
        IdFormRow(1, "张三", ids.mask(n18), born, 1, (c,)),
        IdFormRow(2, "张三", ids.mask(n15), born, 1, ()),
        IdFormRow(3, "张四", ids.mask(other), born, 1, (c,)),
    ]
    assert cc.id_form_key(ids.mask(n18), born) == cc.id_form_key(ids.mask(n15), born)
    (f,) = cc.several_id_forms(rows, AT)
    assert f.key == "several_id_forms:1-2" and f.clause == "§20(3)" and f.classes == (1,)
    assert f.score == Decimal("8")
    assert n18 not in str(f.evidence) and n15 not in str(f.evidence)
    # the same key but no class of the year between them: not a finding of this year
    assert (
        cc.several_id_forms([rows[1], IdFormRow(4, "张三", ids.mask(n18), born, 1, ())], AT) == []
    )


def test_trainees_with_the_same_absences() -> None:
    from chizheng.rules.crosscheck_rows import AbsenceRow

    c = ref(1, D(2022, 3, 1))
    two = ((11, D(2022, 3, 3)), (12, D(2022, 3, 5)))
    rows = [AbsenceRow(p, f"人{p}", c, two) for p in (1, 2, 3)]
    rows += [AbsenceRow(p, f"人{p}", c, two[:1]) for p in (4, 5, 6)]  # one session: by chance
    rows += [AbsenceRow(7, "人7", ref(2, D(2022, 3, 1)), two)]  # another class
    (f,) = cc.identical_absences(rows, AT)
    assert f.classes == (1,) and f.score == Decimal("9") and f.clause == "§21"
    assert [r[0] for r in f.evidence["rows"]] == ["人1", "人2", "人3"]
    assert cc.identical_absences(rows[:2], AT) == []  # two people: below three


def test_a_whole_class_present_beyond_likelihood() -> None:
    from chizheng.rules.crosscheck_rows import ClassAttendance

    c = ref(1, D(2022, 3, 1))
    rows = [
        ClassAttendance(c, trainees=12, sessions=19, signed=228, absent=0),  # 0.97^228 < 0.001
        ClassAttendance(ref(2, D(2022, 3, 1)), trainees=50, sessions=3, signed=150, absent=0),
        ClassAttendance(ref(3, D(2022, 3, 1)), trainees=40, sessions=10, signed=400, absent=1),
    ]
    (f,) = cc.all_present(rows, AT)
    assert f.classes == (1,) and f.score == Decimal("22") and "< 0.001" in f.evidence["compared"]


def test_a_claim_that_counted_online_time_the_audit_voided() -> None:
    from chizheng.rules.crosscheck_rows import OnlineClaimRow

    c = ref(1, D(2022, 3, 1))

    def row(line: int, counted: int | None, credited: int, void: str = "900") -> OnlineClaimRow:
        return OnlineClaimRow(
            line, 5, "已拨付", line, f"人{line}", c, Decimal("1500.00"), counted, credited, 30,
            Decimal(void), None,
        )  # fmt: skip

    rows = [
        row(1, 30, 26),  # counted 30, the audit now credits 26: 4 hours
        row(2, 26, 26),  # the claim already counted what the audit credits
        row(3, None, 29),  # not recorded: the planned 30 against 29
        row(4, 30, 20, void="0"),  # nothing voided: another matter
    ]
    found = {f.key: f for f in cc.voided_online_claimed(rows, AT)}
    assert set(found) == {"voided_online_claimed:1", "voided_online_claimed:3"}
    assert found["voided_online_claimed:1"].score == Decimal("12")
    assert found["voided_online_claimed:1"].clause == "§20(3)"


def test_a_paid_line_whose_bound_voucher_was_not_redeemed() -> None:
    from chizheng.rules.crosscheck_rows import VoucherLineRow

    c, d = ref(1, D(2022, 3, 1)), ref(2, D(2022, 3, 1))

    def row(line: int, cls: ClassRef, status: str, named: int | None) -> VoucherLineRow:
        return VoucherLineRow(
            line, 9, line, f"人{line}", cls, Decimal("1500.00"), D(2022, 5, 1), 100 + line,
            f"Q{line}", status, status, named,
        )  # fmt: skip

    rows = [
        row(1, c, "redeemed", 101),  # in order
        row(2, c, "certified", None),  # paid, the voucher left unredeemed
        row(3, c, "redeemed", None),  # redeemed, but the line does not name it
        row(4, d, "redeemed", 104),
    ]
    (f,) = cc.voucher_not_redeemed(rows, AT)
    assert f.key == "voucher_not_redeemed:1" and f.score == Decimal("12")
    assert [r[0] for r in f.evidence["rows"]] == ["人2", "人3"] and f.clause == "§20(5)"


def test_one_photo_for_two_classes_within_the_distance() -> None:
    from chizheng.rules.crosscheck_rows import StillRow

    c, d = ref(1, D(2022, 3, 1), inst=1), ref(2, D(2022, 4, 1), inst=2)
    base = 0x9F3A_5C71_0E22_B4D8

    def row(pk: int, cls: ClassRef, owner: str, value: int) -> StillRow:
        return StillRow(pk, cls, "签到照片", owner, owner, cls.start, f"{value:016x}")

    rows = [
        row(1, c, "session:1", base),
        row(2, d, "session:9", base ^ 0b10_0000_0101),  # 3 bits apart: the same photo
        row(3, d, "session:10", base ^ 0xFFFF_FFFF),  # 32 bits apart: another photo
        row(4, c, "session:1", base ^ 1),  # a second still of the same session: not a reuse
        row(5, c, "session:2", base ^ 0x7F00),  # 7 bits apart: beyond 6
    ]
    (f,) = cc.same_photo(rows, AT)
    assert f.key == "same_photo:1" and f.classes == (1, 2) and f.clause == "§三(三)"
    assert [r[0] for r in f.evidence["rows"]] == [1, 4, 2] and f.evidence["rows"][2][6] == 3
    assert f.score == Decimal("12") and f.institution_id is None  # 2 sessions, 2 institutions
    assert cc.same_photo([rows[0], rows[2], rows[4]], AT) == []


def _issued(pk: int, level: int | None, filed: tuple[int, ...] | None, **kw: object) -> Any:
    from chizheng.rules.crosscheck_rows import IssuedRow

    values: dict[str, object] = dict(
        id=pk,
        number=f"S{pk}",
        person=f"人{pk}",
        evaluator_id=50,
        evaluator="评价站",
        county_id=3,
        occupation_code="6-18-01-01",
        skill_level=level,
        issued_on=D(2022, 4, 1),
        filed_levels=filed,
        cls=ref(1, D(2022, 3, 1)),
    )
    values.update(kw)
    return IssuedRow(**values)  # type: ignore[arg-type]


def test_an_evaluator_certifying_outside_its_filed_scope() -> None:
    rows = [
        _issued(1, 3, (5, 4)),  # level 3 not filed
        _issued(2, 3, (5, 4), cls=None),  # the same, its own evaluation
        _issued(3, 4, (5, 4)),  # in scope
        _issued(4, None, None, occupation_code="4-01-02-01"),  # occupation not filed
    ]
    found = {f.key: f for f in cc.evaluator_out_of_scope(rows, AT)}
    assert set(found) == {
        "evaluator_out_of_scope:50-6-18-01-01-3",
        "evaluator_out_of_scope:50-4-01-02-01-0",
    }
    f = found["evaluator_out_of_scope:50-6-18-01-01-3"]
    assert f.clause == "§20(4)" and f.score == Decimal("16") and f.classes == (1,)
    assert f.county_id == 3 and f.institution_id is None and "备案等级：5级、4级" in f.summary
    assert {"kind": "evaluator", "id": 50, "label": "评价站"} in f.subjects  # its risk


def test_an_evaluator_over_its_daily_capacity() -> None:
    capacity = AT["supervision.evaluator_daily_capacity"]
    busy = [_issued(i, 4, (5, 4)) for i in range(capacity + 2)]
    calm = [_issued(1000 + i, 4, (5, 4), issued_on=D(2022, 4, 2)) for i in range(capacity)]
    (f,) = cc.evaluator_over_capacity(busy + calm, AT)
    assert f.key == "evaluator_over_capacity:50-2022-04-01" and f.score == Decimal("2")
    assert f.evidence["rows"][0] == ["班1", capacity + 2]


def test_a_site_booked_beyond_its_workstations_by_concurrent_classes() -> None:
    from chizheng.rules.crosscheck_rows import SiteBooking

    a, b = ref(1, D(2022, 3, 1)), ref(2, D(2022, 3, 15))  # overlap 03-15 to 03-21
    c = ref(3, D(2022, 4, 10))  # after both

    def booked(cls: ClassRef, trainees: int, site: int = 7, stations: int = 2) -> SiteBooking:
        return SiteBooking(site, "实训楼", "6-18-01-01", stations, cls, trainees)

    rows = [booked(a, 25), booked(b, 20), booked(c, 40)]  # 45 > 2 × 20 when a and b overlap
    (f,) = cc.workstations_overbooked(rows, AT)
    assert f.classes == (1, 2) and f.clause == "§20(1)" and f.score == Decimal("5")
    assert f.evidence["compared"] == "2022-03-15 在训 45 人 > 工位 2 个 × 20 人 = 40 人"
    # another site's classes, each within capacity
    assert cc.workstations_overbooked([booked(a, 25, site=8), booked(c, 40, site=8)], AT) == []
    # a site with no workstations for the occupation: its class alone is over
    (g,) = cc.workstations_overbooked([booked(c, 10, site=9, stations=0)], AT)
    assert g.classes == (3,)
