"""Registries (§12–18, §20(1), §20(3)–(4)): occupations, institutions and their catalog,
evaluation scopes, teachers, sites and workstations, real-name people, sanctions, rosters,
and the import jobs that fill them.

One module per aggregate (Django loads every model through this package):

- ``choices``: skill levels, certificate types, key groups
- ``occupations``: the classification
- ``institutions``: institutions, their decisions, evaluation scopes, the catalog
- ``resources``: teachers and their certificates, sites, workstations
- ``people``: people and rosters
- ``sanctions``: sanctions
- ``import_jobs``: import jobs and their status changes
"""

from .choices import (
    HIGH_SKILLED_LEVEL,
    CertificateType,
    KeyGroup,
    SkillLevel,
    is_high_skilled,
    skill_level_title,
)
from .import_jobs import ImportJob, ImportJobTransition
from .institutions import (
    SCHOOL_KINDS,
    TRAINING_KINDS,
    CatalogEntry,
    EvaluationScope,
    Institution,
    InstitutionTransition,
)
from .occupations import Occupation
from .people import PERSON_FACTS, Person, Roster, RosterEntry
from .resources import Site, Teacher, TeacherCertificate, Workstation
from .sanctions import Sanction

__all__ = [
    "HIGH_SKILLED_LEVEL",
    "PERSON_FACTS",
    "SCHOOL_KINDS",
    "TRAINING_KINDS",
    "CatalogEntry",
    "CertificateType",
    "EvaluationScope",
    "ImportJob",
    "ImportJobTransition",
    "Institution",
    "InstitutionTransition",
    "KeyGroup",
    "Occupation",
    "Person",
    "Roster",
    "RosterEntry",
    "Sanction",
    "Site",
    "SkillLevel",
    "Teacher",
    "TeacherCertificate",
    "Workstation",
    "is_high_skilled",
    "skill_level_title",
]
