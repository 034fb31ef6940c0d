"""The one permission table: which role may do which action, and over which objects.

Each action (``class.apply``, ``class.review.industry`` …) lists its grants. A grant names a
role and, when the action is done to an object, the path from that object to the owner the
actor must be — his institution, department, county or city, whichever his scope is
(``over="institution.county"``: the object's institution's county is the actor's county).
``over=None``: whatever the actor can see will do (what he sees is scoped by
``access.visible`` already).

Everything that decides who may act asks this table: the state machines (each transition
names an action), the services (``require(actor, action, obj)``), the selectors and the
templates (``{% if actor|can:"class.apply" %}``). Nothing else compares roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chizheng.core.errors import PermissionDenied

from .models import Role, ScopeKind, User

# The system itself (a nightly sweep, a consequence of another step) acts with actor=None.
SYSTEM = "system"


@dataclass(frozen=True)
class Grant:
    role: str
    # Dotted path from the object acted on to its owner (``institution``, ``county.city``);
    # None: any object the actor can see.
    over: str | None = None


def _grants(*grants: Grant | str) -> tuple[Grant, ...]:
    return tuple(g if isinstance(g, Grant) else Grant(g) for g in grants)


OFFICE, LEADER, COUNTY = Role.PROGRAMME_OFFICE, Role.CITY_LEADER, Role.COUNTY_HR
INDUSTRY, FINANCE, INSPECTOR = Role.INDUSTRY, Role.FINANCE, Role.INSPECTOR
INSTITUTION, EVALUATOR, PLATFORM, WORKER = (
    Role.INSTITUTION,
    Role.EVALUATOR,
    Role.PLATFORM,
    Role.WORKER,
)
# The offices (every role but the trainee's, the institutions' and the platforms').
OFFICES = (OFFICE, LEADER, COUNTY, INDUSTRY, FINANCE, INSPECTOR)

TABLE: dict[str, tuple[Grant, ...]] = {
    # Reading: the pages and links a role is offered (what it then sees is ``visible``'s).
    "policy.view": _grants(*OFFICES, INSTITUTION, EVALUATOR),
    "registry.view": _grants(*OFFICES, INSTITUTION, EVALUATOR),
    "class.view": _grants(*OFFICES, INSTITUTION, EVALUATOR, PLATFORM),
    "subsidy.view": _grants(*OFFICES, INSTITUTION, EVALUATOR, WORKER),
    "plan.view": _grants(OFFICE, LEADER, COUNTY),
    # The ledgers (台账, §三(二)): every office, and an institution or evaluator its own.
    "ledger.view": _grants(*OFFICES, INSTITUTION, EVALUATOR),
    # Reminded from 1 November that next year's holiday arrangement is not entered: the
    # offices whose work runs on working-day deadlines (reviews, notices, payments).
    "calendar.remind": _grants(OFFICE, COUNTY, INDUSTRY, FINANCE),
    # The office's own work
    "policy.edit": _grants(OFFICE),
    "audit.view": _grants(OFFICE, LEADER),
    # The office staffs the review levels: it is shown the departments short of reviewers.
    "reviewers.watch": _grants(OFFICE),
    "audit.verify": _grants(OFFICE),
    "person.reveal": _grants(OFFICE, COUNTY),
    "calendar.edit": _grants(OFFICE),
    "registry.edit": _grants(OFFICE, COUNTY),
    "sanction.edit": _grants(OFFICE),
    "plan.edit": _grants(OFFICE),
    "catalog.edit": _grants(OFFICE),
    # The list of occupations allowed for pure-online classes (§20(3)): the office keeps it,
    # everyone signed in reads it.
    "pure_online.view": _grants(*OFFICES, INSTITUTION, EVALUATOR, PLATFORM, WORKER),
    "pure_online.edit": _grants(OFFICE),
    "institution.file": _grants(OFFICE),  # 评价机构备案 and its revocation
    "platform.catalog": _grants(OFFICE),  # a platform into or out of 目录清单 (§20(3))
    "inspection.record": _grants(OFFICE, COUNTY, INSPECTOR),
    "online.manage": _grants(OFFICE),
    "online.dashboard": _grants(OFFICE, LEADER, COUNTY),
    # The supervision scan's findings (§20(4), §三(三)): the city's offices and inspectors, a
    # county bureau its county's (``Finding.access_scope``); never the institutions.
    "supervision.view": _grants(OFFICE, LEADER, COUNTY, INSPECTOR),
    # Competitions (§11): the city office records any event of the city, an organising
    # department its own (``Event.organiser_department``); a county bureau reads the events
    # held in its county (``Event.access_scope``).
    "competition.view": _grants(OFFICE, LEADER, COUNTY, INDUSTRY),
    "competition.record": _grants(
        Grant(OFFICE, "county.city"), Grant(INDUSTRY, "organiser_department")
    ),
    # Cases (核查) over a case or the findings it is opened from: the county bureau and the
    # inspectors for their county, the city office for the city (an inspector's scope is the
    # city or one county, so his grants take what he sees). Assigning is the bureaus'; a
    # sanction is the city office's (the registry's ``sanction.edit``); a recovery a case
    # orders (over the claim) is the concluding office's, finance's ``fund.manage`` apart.
    # §20(4): the half-yearly special checks of the evaluation institutions — planned by the
    # office for every one, recorded by whoever checks it.
    "evaluator_check.plan": _grants(OFFICE),
    "evaluator_check.record": _grants(OFFICE, Grant(COUNTY, "county"), INSPECTOR),
    "case.open": _grants(OFFICE, Grant(COUNTY, "county"), INSPECTOR),
    "case.assign": _grants(OFFICE, Grant(COUNTY, "county")),
    "case.investigate": _grants(OFFICE, Grant(COUNTY, "county"), INSPECTOR),
    "case.conclude": _grants(OFFICE, Grant(COUNTY, "county"), INSPECTOR),
    "case.conclude.sanction": _grants(OFFICE),
    "recovery.order": _grants(Grant(OFFICE, "county.city"), Grant(COUNTY, "county"), INSPECTOR),
    "online.bind": _grants(OFFICE, Grant(INSTITUTION, "institution")),  # over the class
    "online.upload": _grants(Grant(PLATFORM, "institution")),  # over the platform's code
    "api.token": _grants(INSTITUTION, EVALUATOR, PLATFORM),
    # Imports: whoever may import something confirms or discards his checked file; the
    # system checks and writes it.
    "import.confirm": _grants(OFFICE, COUNTY, INSTITUTION),
    "import.process": _grants(SYSTEM),
    "job.run": _grants(SYSTEM),  # a background job's states are the worker's
    # Subsidies
    "subsidy.standard": _grants(OFFICE),
    # Over the class or claim: its institution; a worker over his own certificate or claim
    # (附件2 备注2: 个人申请).
    "subsidy.claim": _grants(Grant(INSTITUTION, "institution"), Grant(WORKER, "person")),
    "notice.handle": _grants(OFFICE, Grant(COUNTY, "county")),  # over the claim
    "voucher.issue": _grants(OFFICE, COUNTY),
    "voucher.bind": _grants(Grant(INSTITUTION, "institution")),  # over the class
    # A bound voucher certified (its holder's certificate of the class recorded) or void
    # without one (无证无价): a consequence of the class's assessment, and of the daily sweep.
    "voucher.settle": _grants(SYSTEM, INSTITUTION, EVALUATOR, COUNTY, OFFICE),
    # A certified voucher redeemed when the claim line it pays for is paid (以证换券), or void
    # when it is not: finance's disbursement, or the system on the claim's rejection.
    "voucher.redeem": _grants(SYSTEM, FINANCE),
    "voucher.expire": _grants(SYSTEM, COUNTY, OFFICE),
    "fund.view": _grants(OFFICE, FINANCE),
    "fund.manage": _grants(FINANCE),  # budgets, disbursement (拨付), recovery
    # The full bank account of an individual's claim (附件2 备注2), shown once to the city's
    # finance bureau that pays it, with a reason, audited (over the claim).
    "claim.reveal_account": _grants(Grant(FINANCE, "county.city")),
    # Classes
    "class.apply": _grants(Grant(INSTITUTION, "institution")),  # apply, roster, submit, withdraw
    "class.deliver": _grants(Grant(INSTITUTION, "institution")),  # start, sessions, sign-in
    # Over the assessment (its class's institution registers it, or its evaluator).
    "assessment.register": _grants(
        Grant(INSTITUTION, "training_class.institution"), Grant(EVALUATOR, "evaluator")
    ),
    "assessment.record": _grants(Grant(EVALUATOR, "evaluator")),
    "makeup.approve": _grants(OFFICE, COUNTY),  # §21: the local HR bureau
    # 附件2's boxes that are an office's signed word (training.Opinion): the county HR
    # bureau's opinions on the supervision and on the assessment results, over the class;
    # an inspector's signature for his patrol of the final assessment.
    "class.opinion.supervision": _grants(Grant(COUNTY, "institution.county")),
    "class.opinion.results": _grants(Grant(COUNTY, "institution.county")),
    "assessment.patrol": _grants(INSPECTOR),
    "survey.close": _grants(OFFICE, COUNTY),  # §19
    # A trainee acts only on himself: his survey (over his enrolment), his own records.
    "survey.answer": _grants(Grant(WORKER, "person")),
    "session.sign_in": _grants(Grant(WORKER, "person")),  # by QR code, over his enrolment
    "trainee.own": _grants(WORKER),
    # The review levels of 附件2: a class application, then its subsidy claim.
    "class.review.industry": _grants(Grant(INDUSTRY, "department")),
    "class.review.hr": _grants(
        Grant(OFFICE, "institution.county.city"), Grant(COUNTY, "institution.county")
    ),
    "claim.review.industry": _grants(Grant(INDUSTRY, "department")),
    "claim.review.hr": _grants(Grant(OFFICE, "county.city"), Grant(COUNTY, "county")),
    "claim.review.finance": _grants(Grant(FINANCE, "county.city")),
}
# Returning or rejecting (退回修改, 不予批准) is any review level's.
TABLE["class.review"] = TABLE["class.review.industry"] + TABLE["class.review.hr"]
TABLE["claim.review"] = (
    TABLE["claim.review.industry"] + TABLE["claim.review.hr"] + TABLE["claim.review.finance"]
)


def _role(actor: User | None) -> str | None:
    if actor is None:
        return SYSTEM
    if not actor.is_authenticated or not actor.is_active:
        return None
    return str(actor.role)


def _owner_id(actor: User) -> int | None:
    """The id of what the actor's scope is: his city, county, department, institution or
    himself (the person he is)."""
    return {
        ScopeKind.CITY: actor.city_id,
        ScopeKind.COUNTY: actor.county_id,
        ScopeKind.DEPARTMENT: actor.department_id,
        ScopeKind.INSTITUTION: actor.institution_id,
        ScopeKind.SELF: actor.person_id,
    }[actor.scope_kind]


def owner_of(obj: Any, path: str) -> int | None:
    """The id at the end of ``path`` from ``obj`` (``institution.county`` → the id of the
    object's institution's county); the last step reads the ``<name>_id`` column when there
    is one, so no row is loaded for it."""
    *walk, last = path.split(".")
    for step in walk:
        obj = getattr(obj, step)
        if obj is None:
            return None
    raw = getattr(obj, f"{last}_id", None)
    if raw is None:
        value = getattr(obj, last, None)
        raw = getattr(value, "pk", value)
    return int(raw) if raw is not None else None


def _check(action: str) -> tuple[Grant, ...]:
    try:
        return TABLE[action]
    except KeyError:
        raise KeyError(f"no such action in the permission table: {action}") from None


def roles(action: str) -> frozenset[str]:
    """The roles granted ``action`` (over some object or any)."""
    return frozenset(g.role for g in _check(action))


def can(actor: User | None, action: str, obj: Any = None) -> bool:
    """Whether the actor may do ``action`` — to ``obj`` when given (his grant's path from it
    must reach his own institution, department, county or city). ``actor=None`` is the
    system."""
    grants = _check(action)
    role = _role(actor)
    if role is None:
        return False
    for grant in grants:
        if grant.role != role:
            continue
        if obj is None or grant.over is None or actor is None:
            return True
        owner = _owner_id(actor)
        if owner is not None and owner_of(obj, grant.over) == owner:
            return True
    return False


def require(
    actor: User | None,
    action: str,
    obj: Any = None,
    *,
    message: str = "",
    message_en: str = "",
) -> None:
    """Raise ``PermissionDenied`` unless ``can(actor, action, obj)``.

    ``message`` (Chinese, with ``message_en``) says what was refused, whether the role lacks
    the action or the object is not his; without it the refusal says which of the two. A
    service that words the two apart asks twice: first without the object, then with it."""
    if can(actor, action, obj):
        return
    if obj is not None and can(actor, action):
        raise PermissionDenied(
            message or "该事项不在您的管辖范围内",
            message_en=message_en or f"{action} is not yours to do on this object",
            detail={"action": action},
        )
    raise PermissionDenied(
        message or "您的角色无权执行此操作",
        message_en=message_en or f"your role may not do {action}",
        detail={"action": action},
    )
