"""The scan measured against the simulation's truth (``simulate.Planted``): per kind, how
many planted irregularities a finding of that kind names (recall), and how many findings on
the simulated classes name nothing planted (false findings), beside how many records the
check looked at. Read by the test and ``benchmarks/supervision_scan.py``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chizheng.rules.crosscheck_rows import Found
from chizheng.simulate.models import Planted
from chizheng.training.models import TrainingClass

# The truth's kinds as the scan's checks name them.
CHECK_OF: dict[str, str] = {
    Planted.Kind.SIGN_IN_EXCEEDS_PRESENT: "sign_in_above_present",
    Planted.Kind.RECORDING_TOO_SHORT: "session_not_recognised",
    Planted.Kind.SHARED_PHONE: "shared_phone",
    Planted.Kind.PERSON_OVERLAP: "person_overlap",
    Planted.Kind.TEACHER_DOUBLE_BOOKED: "teacher_double_booked",
    Planted.Kind.CERTIFICATE_BEFORE_END: "certificate_before_end",
    Planted.Kind.IDENTICAL_ABSENCES: "identical_absences",
    Planted.Kind.ALL_PRESENT: "all_present",
    Planted.Kind.SEVERAL_ID_FORMS: "several_id_forms",
    Planted.Kind.SHARED_BANK_ACCOUNT: "shared_bank_account",
    Planted.Kind.SAME_PHOTO: "same_photo",
    Planted.Kind.EVALUATOR_OUT_OF_SCOPE: "evaluator_out_of_scope",
    Planted.Kind.WORKSTATIONS_OVERBOOKED: "workstations_overbooked",
    Planted.Kind.CERTIFICATES_WITHOUT_SESSION: "certificates_without_session",
    Planted.Kind.EVALUATOR_OVER_CAPACITY: "evaluator_over_capacity",
    Planted.Kind.VOIDED_ONLINE_CLAIMED: "voided_online_claimed",
    Planted.Kind.VOUCHER_NOT_REDEEMED: "voucher_not_redeemed",
}


@dataclass(frozen=True)
class KindFigures:
    kind: str
    planted: int
    found: int  # planted ones a finding names
    findings: int  # findings of the kind naming simulated classes
    false: int  # of which name nothing planted

    @property
    def recall(self) -> float | None:
        return self.found / self.planted if self.planted else None


def measure(found: Iterable[Found], *, year: int) -> list[KindFigures]:
    simulated = set(
        TrainingClass.objects.filter(batch__startswith=f"{year}-模拟").values_list("id", flat=True)
    )
    truth: dict[str, set[int]] = {}
    for p in Planted.objects.filter(year=year):
        truth.setdefault(CHECK_OF[p.kind], set()).add(p.training_class_id)
    by_kind: dict[str, list[Found]] = {}
    for f in found:
        # a finding on simulated classes, whatever else it names (a site or an evaluator's
        # day shared with the demo's hand-made classes)
        if set(f.classes) & simulated:
            by_kind.setdefault(f.kind, []).append(f)
    out = []
    for kind in sorted(set(by_kind) | set(truth) | set(CHECK_OF.values())):
        planted = truth.get(kind, set())
        mine = by_kind.get(kind, [])
        hit = {c for c in planted if any(c in f.classes for f in mine)}
        false = [f for f in mine if not planted & set(f.classes)]
        out.append(KindFigures(kind, len(planted), len(hit), len(mine), len(false)))
    return out
