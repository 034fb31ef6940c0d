"""Reads of risk (issue 15): the scores of the institutions, evaluators and platforms from the
open findings an actor may see, ranked, one subject's findings behind its score, and the risks
the inspection plan samples by.

Set-based: the findings of the years counted in one query, scored by the pure rule
(``chizheng.rules.risk``), the subjects' names and counties in one more. Scoped twice: only
the findings the actor sees count (a county bureau: its county's), and only the subjects the
actor sees are shown (a county bureau: its county's institutions). The score a page shows is
always the sum of the findings it links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from chizheng.accounts.access import access_by_id, can, visible
from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.registry.models import Institution
from chizheng.rules import params
from chizheng.rules import risk as rules

from .models import Finding


@dataclass(frozen=True)
class RiskRow:
    """A subject's risk with the institution record it is of."""

    risk: rules.Risk
    institution: Institution

    @property
    def kind_label(self) -> str:
        return rules.SUBJECT_KINDS[self.risk.subject_kind]


def policy_day(year: int) -> dt.date:
    """The day whose policy scores a year: its last day, or today within it."""
    return min(dt.date(year, 12, 31), max(clock.today(), dt.date(year, 1, 1)))


def policy_at(year: int) -> params.PolicyAt:
    return params.current().at(policy_day(year))


def counted_findings(*, actor: User, year: int) -> list[rules.FindingFacts]:
    """The open findings the actor sees of the years counted in ``year``'s risk (one query);
    nothing for whom may not see findings."""
    if not can(actor, "supervision.view"):
        return []
    at = policy_at(year)
    first = year - int(at["supervision.risk_years"]) + 1
    rows = (
        visible(actor, Finding.objects.filter(state=Finding.State.OPEN))
        .filter(year__gte=first, year__lte=year)
        .values_list("id", "kind", "year", "score", "institution_id", "subjects", "summary")
    )
    return [
        rules.FindingFacts(
            id=pk,
            kind=kind,
            year=y,
            score=score,
            institution_id=inst,
            subjects=tuple(s for s in subjects or () if isinstance(s, dict)),
            summary=summary,
        )
        for pk, kind, y, score, inst, subjects, summary in rows.iterator(chunk_size=5000)
    ]


def _institutions(actor: User, ids: Iterable[int]) -> dict[int, Institution]:
    return {
        i.pk: i
        for i in visible(
            actor, Institution.objects.filter(pk__in=set(ids)).select_related("county")
        )
    }


def risk_ranking(
    *,
    actor: User,
    year: int,
    subject_kind: str = "",
    county: str = "",
    band: str = "",
) -> list[RiskRow]:
    """The subjects the actor sees with a score in ``year``, highest first, filtered by kind of
    subject, county (code) and band."""
    scored = rules.scores(counted_findings(actor=actor, year=year), policy_at(year), year=year)
    if subject_kind:
        scored = [r for r in scored if r.subject_kind == subject_kind]
    if band:
        scored = [r for r in scored if r.band.code == band]
    shown = _institutions(actor, (r.subject_id for r in scored))
    out = [RiskRow(r, shown[r.subject_id]) for r in scored if r.subject_id in shown]
    if county:
        out = [r for r in out if r.institution.county.code == county]
    return out


def subject_risk(*, actor: User, subject_kind: str, institution_id: int, year: int) -> RiskRow:
    """One subject's risk and the findings behind it; ``NotFound`` for an institution the
    actor does not see (a score of 0 for one no counted finding names)."""
    inst = access_by_id(actor, Institution.objects.select_related("county"), institution_id)
    at = policy_at(year)
    for r in rules.scores(counted_findings(actor=actor, year=year), at, year=year):
        if (r.subject_kind, r.subject_id) == (subject_kind, inst.pk):
            return RiskRow(r, inst)
    return RiskRow(rules.no_risk(at, subject_kind=subject_kind, subject_id=inst.pk), inst)


def institution_risks(*, actor: User, institution: Institution, year: int) -> list[RiskRow]:
    """An institution's risk in each role it is named in (training institution, evaluator,
    platform) for its page; nothing for whom may not see findings."""
    if not can(actor, "supervision.view"):
        return []
    at = policy_at(year)
    scored = {
        r.subject_kind: r
        for r in rules.scores(counted_findings(actor=actor, year=year), at, year=year)
        if r.subject_id == institution.pk
    }
    if not scored:
        scored["institution"] = rules.no_risk(
            at, subject_kind="institution", subject_id=institution.pk
        )
    return [RiskRow(scored[k], institution) for k in rules.SUBJECT_KINDS if k in scored]


def institution_scores(*, actor: User, on: dt.date) -> dict[int, Decimal]:
    """Each training institution's score on ``on`` (the inspection plan samples its classes by
    it), from the findings the actor sees."""
    found = counted_findings(actor=actor, year=on.year)
    return {
        r.subject_id: r.score
        for r in rules.scores(found, params.current().at(on), year=on.year)
        if r.subject_kind == "institution"
    }


def years(*, actor: User) -> list[int]:
    """The years the actor has findings of, newest first, and this year."""
    have = set(visible(actor, Finding.objects.all()).values_list("year", flat=True))
    return sorted(have | {clock.today().year}, reverse=True)
