"""Risk (风险, issue 15): a score per institution, evaluator and platform from the open
findings that name it, its band, and the risk-sampled choice of classes for spot checks.

Pure Python. A finding's score counts toward every institution, evaluator or platform it
names (its subjects of those kinds, and the institution it belongs to), times the weight of
its kind (``supervision.risk_weights``) and a decay for each year it is older than the year
judged (``supervision.risk_year_decay``); findings more than ``supervision.risk_years`` years
back, or of later years, do not count. Bands and the sampling of each band are
``supervision.risk_bands``. Every figure behind a score is kept (``Contribution``), so a
page can show which findings make it.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .params import PolicyAt, PolicyError

# The kinds of subject a risk is scored for: each is an institution record (an evaluator and
# a platform are institutions of that kind, named in a finding's subjects by that kind).
SUBJECT_KINDS: dict[str, str] = {
    "institution": "培训机构",
    "evaluator": "评价机构",
    "platform": "线上平台",
}
BAND_LABELS: dict[str, str] = {"high": "高风险", "medium": "中风险", "low": "低风险"}
CENT = Decimal("0.01")


@dataclass(frozen=True)
class FindingFacts:
    """A finding as the risk reads it."""

    id: int
    kind: str
    year: int
    score: Decimal
    institution_id: int | None  # the institution the finding belongs to
    subjects: tuple[dict[str, Any], ...]  # [{kind, id, label}] as the scan stored them
    summary: str = ""


@dataclass(frozen=True)
class Contribution:
    """What one finding adds to one subject's score."""

    finding_id: int
    kind: str
    year: int
    score: Decimal  # the finding's own score
    weight: Decimal  # supervision.risk_weights[kind]
    decay: Decimal  # 1 for the year judged, decay ** years back before it
    points: Decimal  # score × weight × decay (unrounded; the total is rounded once)
    summary: str


@dataclass(frozen=True)
class Band:
    code: str  # high / medium / low
    min_score: Decimal
    share: Decimal  # of the band's classes sampled for spot checks
    minimum: int  # classes sampled at least (all when fewer)

    @property
    def label(self) -> str:
        return BAND_LABELS.get(self.code, self.code)


@dataclass(frozen=True)
class Risk:
    subject_kind: str  # institution / evaluator / platform
    subject_id: int  # the institution record's id
    score: Decimal  # rounded to the cent
    band: Band
    contributions: tuple[Contribution, ...]  # largest first

    @property
    def findings(self) -> int:
        return len(self.contributions)


def bands(at: PolicyAt) -> list[Band]:
    """The bands in force, highest first; one must start at 0 so every score has a band."""
    raw: dict[str, Any] = at["supervision.risk_bands"]
    out = []
    for code, b in raw.items():
        try:
            band = Band(
                code=str(code),
                min_score=Decimal(str(b["min_score"])),
                share=Decimal(str(b["share"])),
                minimum=int(b["minimum"]),
            )
        except (KeyError, TypeError, ArithmeticError, ValueError) as e:
            raise PolicyError(
                f"supervision.risk_bands 的等级 {code} 须有 min_score、share、minimum：{e}",
                message_en=f"supervision.risk_bands: band {code} needs min_score, share, minimum",
            ) from e
        if not (Decimal(0) <= band.share <= 1) or band.minimum < 0:
            raise PolicyError(
                f"supervision.risk_bands 的等级 {code}：抽取比例须在 0 至 1 之间，最少班数不能为负",
                message_en=f"supervision.risk_bands: band {code} has a bad share or minimum",
            )
        out.append(band)
    out.sort(key=lambda b: b.min_score, reverse=True)
    if not out or out[-1].min_score > 0:
        raise PolicyError(
            "supervision.risk_bands 须有一个分值下限为 0 的等级",
            message_en="supervision.risk_bands needs a band starting at 0",
        )
    return out


def band_of(score: Decimal, in_force: Sequence[Band]) -> Band:
    return next(b for b in in_force if score >= b.min_score)


def _weight(at: PolicyAt, kind: str) -> Decimal:
    weights: dict[str, Any] = at["supervision.risk_weights"]
    if kind not in weights:
        raise PolicyError(
            f"supervision.risk_weights 未规定线索类型 {kind} 的权重",
            message_en=f"supervision.risk_weights has no weight for findings of kind {kind}",
            detail={"kind": kind},
        )
    return Decimal(str(weights[kind]))


def subjects_of(finding: FindingFacts) -> set[tuple[str, int]]:
    """The institutions, evaluators and platforms a finding names, each once."""
    out: set[tuple[str, int]] = set()
    if finding.institution_id is not None:
        out.add(("institution", finding.institution_id))
    for s in finding.subjects:
        kind, pk = s.get("kind"), s.get("id")
        if kind in SUBJECT_KINDS and isinstance(pk, int) and not isinstance(pk, bool):
            out.add((str(kind), pk))
    return out


def decay(at: PolicyAt, *, finding_year: int, year: int) -> Decimal:
    """How much of a finding of ``finding_year`` counts in ``year``: 0 outside the years
    counted (and for later years), ``supervision.risk_year_decay`` per year back."""
    back = year - finding_year
    if back < 0 or back >= int(at["supervision.risk_years"]):
        return Decimal(0)
    share: Decimal = at["supervision.risk_year_decay"]
    return share**back


def scores(findings: Iterable[FindingFacts], at: PolicyAt, *, year: int) -> list[Risk]:
    """Every subject's risk in ``year`` from the findings given (one pass), highest first."""
    in_force = bands(at)
    parts: dict[tuple[str, int], list[Contribution]] = defaultdict(list)
    for f in findings:
        d = decay(at, finding_year=f.year, year=year)
        if d == 0:
            continue
        w = _weight(at, f.kind)
        c = Contribution(
            finding_id=f.id,
            kind=f.kind,
            year=f.year,
            score=f.score,
            weight=w,
            decay=d,
            points=f.score * w * d,
            summary=f.summary,
        )
        for subject in subjects_of(f):
            parts[subject].append(c)
    out = []
    for (kind, pk), cs in parts.items():
        total = sum((c.points for c in cs), Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(
            Risk(
                subject_kind=kind,
                subject_id=pk,
                score=total,
                band=band_of(total, in_force),
                contributions=tuple(sorted(cs, key=lambda c: (-c.points, c.finding_id))),
            )
        )
    out.sort(key=lambda r: (-r.score, r.subject_kind, r.subject_id))
    return out


def no_risk(at: PolicyAt, *, subject_kind: str, subject_id: int) -> Risk:
    """The risk of a subject no counted finding names."""
    return Risk(subject_kind, subject_id, Decimal("0.00"), band_of(Decimal(0), bands(at)), ())


# --- the risk-sampled spot checks ------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A class the inspection plan may send an inspector to."""

    id: int
    risk: Decimal  # its institution's score
    opening: bool  # its opening-day check (not a spot check)


@dataclass(frozen=True)
class Pick:
    id: int
    risk: Decimal
    band: Band
    chosen: bool
    why: str  # Chinese: the band, the share and the draw that chose it (or left it out)


def draw_key(day: str, class_id: int) -> str:
    """The class's place in the day's draw: the same all day, another tomorrow; a class added
    during the day does not move the others."""
    return hashlib.sha256(f"{day}:{class_id}".encode()).hexdigest()


def how_many(band: Band, n: int) -> int:
    """Classes of a band to check: its share of them (rounded up), at least its minimum,
    never more than there are."""
    return min(n, max(band.minimum, math.ceil(band.share * n)))


def sample(candidates: Sequence[Candidate], at: PolicyAt, *, day: str) -> list[Pick]:
    """The classes to check on ``day``: in each band its share of the spot-check candidates
    (at least its minimum), in the order of the day's draw; opening-day checks all unless
    ``supervision.plan_sample_opening_checks``. Returned chosen first, highest risk first,
    then in the order given."""
    in_force = bands(at)
    sample_opening: bool = at["supervision.plan_sample_opening_checks"]
    by_band: dict[str, list[Candidate]] = defaultdict(list)
    picks: dict[int, Pick] = {}
    for c in candidates:
        band = band_of(c.risk, in_force)
        if c.opening and not sample_opening:
            why = f"{band.label}（{c.risk}分）；开班当日检查每班必查（§21 开班人数以实到人数为准）"
            picks[c.id] = Pick(c.id, c.risk, band, True, why)
        else:
            by_band[band.code].append(c)
    for band in in_force:
        pool = sorted(by_band.get(band.code, []), key=lambda c: draw_key(day, c.id))
        k = how_many(band, len(pool))
        rule = f"{band.label}抽取 {band.share * 100:.0f}%、至少 {band.minimum} 个班"
        for i, c in enumerate(pool):
            chosen = i < k
            why = f"{band.label}（{c.risk}分）；{rule}，本日 {len(pool)} 个班中" + (
                f"抽中第 {i + 1} 个" if chosen else f"未抽中（抽取 {k} 个）"
            )
            picks[c.id] = Pick(c.id, c.risk, band, chosen, why)
    order = {c.id: i for i, c in enumerate(candidates)}
    return sorted(picks.values(), key=lambda p: (not p.chosen, -p.risk, order[p.id]))


__all__ = [
    "BAND_LABELS",
    "SUBJECT_KINDS",
    "Band",
    "Candidate",
    "Contribution",
    "FindingFacts",
    "Pick",
    "Risk",
    "band_of",
    "bands",
    "decay",
    "draw_key",
    "how_many",
    "no_risk",
    "sample",
    "scores",
    "subjects_of",
]
