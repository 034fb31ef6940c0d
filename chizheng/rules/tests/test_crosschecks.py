"""The supervision cross-checks as pure functions: each finds what it is for, leaves what is
in order, cites its clause and scores by the policy's weights."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
