"""The people who do the year's work, found or made once: the industry departments' two
reviewers, an HR pair in every county, the finance pair, inspectors, and in every county a
filed evaluation institution (with its evaluator user) whose scope covers the occupations the
county's institutions train for. Users are made as the demo makes them (``demo.PASSWORD``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.contrib.auth.hashers import make_password

from chizheng.accounts.models import Role, User
from chizheng.demo import PASSWORD
from chizheng.org.models import City, County, Department
from chizheng.registry.models import (
    TRAINING_KINDS,
    CatalogEntry,
    EvaluationScope,
    Institution,
    Site,
    Teacher,
    Workstation,
)

SITE_NUMBERS = "一二三四五六七八九十"


@cache
def _hash() -> str:
    """One hash of the demo password for every simulated user (hashing is the slow part)."""
    return make_password(PASSWORD)


def user(username: str, display: str, role: str, *, usable: bool = True, **scope: object) -> User:
    """The user of that name, made with the demo's password if new (or none, ``usable=False``)."""
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    u = User(username=username, role=role, display_name=display, **scope)
    u.password = _hash() if usable else make_password(None)
    u.save()
    return u


@dataclass
class Trainer:
    """A training institution with what a class application names."""

    institution: Institution
    applicant: User
    teacher_ids: list[int]
    sites: list[tuple[int, dict[str, int]]]  # site id, its workstations by occupation code
    catalog: list[tuple[str, dt.date]]  # occupation code, valid from

    @property
    def site_ids(self) -> list[int]:
        return [s for s, _ in self.sites]


@dataclass
class Actors:
    city: City
    office: tuple[User, User]
    finance: tuple[User, User]
    inspectors: tuple[User, User]
    industry: dict[int, tuple[User, User]]  # department id → first, second reviewer
    county_hr: dict[int, tuple[User, User]]  # county id → first, second
    evaluators: dict[int, tuple[Institution, User]]  # county id → evaluator, its user
    trainers: dict[int, list[Trainer]] = field(default_factory=dict)  # county id → trainers


def _sites(inst: Institution, wanted: int) -> list[tuple[int, dict[str, int]]]:
    """The institution's sites with their workstations by occupation; at least ``wanted``:
    the sites it lacks are registered like its first (a year of city size trains more
    people at once than the demo's one site per institution holds, §20(1))."""
    sites = list(Site.objects.filter(institution=inst).order_by("id"))
    if sites:
        first = list(Workstation.objects.filter(site=sites[0]).order_by("id"))
        for k in range(len(sites), wanted):
            site, _ = Site.objects.get_or_create(
                institution=inst,
                name=f"实训基地{SITE_NUMBERS[k % len(SITE_NUMBERS)]}",
                defaults={"address": sites[0].address, "area_m2": sites[0].area_m2},
            )
            for w in first:
                Workstation.objects.get_or_create(
                    site=site, occupation_id=w.occupation_id, defaults={"count": w.count}
                )
            sites.append(site)
    counts: dict[int, dict[str, int]] = {s.pk: {} for s in sites}
    for site_id, code, n in Workstation.objects.filter(site__in=sites).values_list(
        "site_id", "occupation__code", "count"
    ):
        counts[site_id][code] = n
    return [(s.pk, counts[s.pk]) for s in sites]


def _trainers(county: County, year: int, sites: int) -> list[Trainer]:
    out = []
    for inst in (
        Institution.objects.filter(county=county, kind__in=TRAINING_KINDS, department__isnull=False)
        .select_related("department", "county")
        .order_by("id")
    ):
        catalog = [
            (code, start)
            for code, start in CatalogEntry.objects.filter(year=year, institution=inst)
            .order_by("id")
            .values_list("occupation__code", "valid_from")
        ]
        teachers = list(Teacher.objects.filter(institution=inst).values_list("pk", flat=True))
        its_sites = _sites(inst, sites) if catalog and teachers else []
        if not catalog or not teachers or not its_sites:
            continue
        applicant = User.objects.filter(role=Role.INSTITUTION, institution=inst).order_by(
            "id"
        ).first() or user(f"inst{inst.pk}", inst.name, Role.INSTITUTION, institution=inst)
        out.append(Trainer(inst, applicant, teachers, its_sites, catalog))
    return out


def _evaluator(county: County, trainers: list[Trainer]) -> tuple[Institution, User]:
    """The county's filed evaluation institution, its scope every occupation trained there."""
    inst, _ = Institution.objects.get_or_create(
        credit_code=f"91410400SIM{county.code}",
        defaults={
            "name": f"{county.short_name.replace(' ', '')}职业技能等级认定站",
            "kind": Institution.Kind.EVALUATOR,
            "county": county,
            "evaluator_kind": Institution.EvaluatorKind.SOCIAL,
            "filing_status": Institution.FilingStatus.FILED,
            "filed_on": dt.date(2022, 1, 4),
            "filing_number": f"PDS-PJ-SIM-{county.code}",
        },
    )
    from chizheng.registry.models import Occupation

    codes = {code for t in trainers for code, _ in t.catalog}
    have = set(inst.evaluation_scopes.values_list("occupation__code", flat=True))
    for occ in Occupation.objects.filter(code__in=codes - have, level=Occupation.Level.OCCUPATION):
        EvaluationScope.objects.create(institution=inst, occupation=occ, levels=[5, 4, 3, 2, 1])
    u = user(f"pj{county.code}", f"{inst.name} 考评", Role.EVALUATOR, institution=inst)
    return inst, u


def gather(counties: list[County], year: int, *, sites: int = 1) -> Actors:
    """Everyone the year needs, made where missing (idempotent); every training institution
    with at least ``sites`` sites."""
    city = counties[0].city
    office = (
        user("city", "市人社局 职业能力建设科", Role.PROGRAMME_OFFICE, city=city, is_staff=True),
        user("city2", "市人社局 复核", Role.PROGRAMME_OFFICE, city=city, is_staff=True),
    )
    finance = (
        user("finance", "市财政局", Role.FINANCE, city=city),
        user("finance2", "市财政局 复核", Role.FINANCE, city=city),
    )
    inspectors = (
        user("inspector", "市人社局 检查人员", Role.INSPECTOR, city=city),
        user("inspector2", "市人社局 检查人员（二）", Role.INSPECTOR, city=city),
    )
    actors = Actors(city, office, finance, inspectors, {}, {}, {})
    for county in counties:
        trainers = _trainers(county, year, sites)
        actors.trainers[county.pk] = trainers
        name = county.short_name.replace(" ", "")
        existing = list(User.objects.filter(role=Role.COUNTY_HR, county=county).order_by("id")[:1])
        first = (
            existing[0]
            if existing
            else user(f"hr{county.code}", f"{name}人社局", Role.COUNTY_HR, county=county)
        )
        second = user(f"hr{county.code}b", f"{name}人社局 复核", Role.COUNTY_HR, county=county)
        actors.county_hr[county.pk] = (first, second)
        actors.evaluators[county.pk] = _evaluator(county, trainers)
        for t in trainers:
            d: Department = t.institution.department  # type: ignore[assignment]
            if d.pk not in actors.industry:
                actors.industry[d.pk] = (
                    user(f"{d.code}1", f"{d.name} 初审", Role.INDUSTRY, department=d),
                    user(f"{d.code}2", f"{d.name} 复核", Role.INDUSTRY, department=d),
                )
    return actors
