"""Who fires each declared transition, read from the permission table through the action the
transition names: the roles each status change has always been open to."""

from __future__ import annotations

from typing import Any

import pytest

from chizheng.accounts import permissions
from chizheng.accounts.models import Role
from chizheng.core.holiday_services import YEAR_STATES
from chizheng.core.workflow import StateMachine
from chizheng.jobs.workflow import JOB_FLOW
from chizheng.registry import workflow as registry_workflow
from chizheng.registry.import_flow import IMPORT_FLOW
from chizheng.subsidy import workflow as subsidy_workflow
from chizheng.supervision.case_flow import CASES
from chizheng.training import workflow as training_workflow

SYSTEM = permissions.SYSTEM
INSTITUTION, EVALUATOR, INDUSTRY = Role.INSTITUTION, Role.EVALUATOR, Role.INDUSTRY
OFFICE, COUNTY, FINANCE = Role.PROGRAMME_OFFICE, Role.COUNTY_HR, Role.FINANCE
WORKER = Role.WORKER
HR: set[str] = {OFFICE, COUNTY}

MACHINES: dict[str, StateMachine[Any]] = {
    "class": training_workflow.MACHINE,
    "claim": subsidy_workflow.MACHINE,
    "voucher": subsidy_workflow.VOUCHERS,
    "filing": registry_workflow.FILING,
    "catalog": registry_workflow.CATALOG,
    "import": IMPORT_FLOW,
    "job": JOB_FLOW,
    "calendar": YEAR_STATES,
    "case": CASES,
}

FIRED_BY: dict[str, dict[str, set[str]]] = {
    "class": {
        "submit": {INSTITUTION},
        "withdraw": {INSTITUTION},
        "industry_first": {INDUSTRY},
        "industry_second": {INDUSTRY},
        "hr_first": HR,
        "hr_second": HR,
        "return": {INDUSTRY} | HR,
        "reject": {INDUSTRY} | HR,
        "start": {INSTITUTION},
        "register_assessment": {INSTITUTION, EVALUATOR},
        "record_results": {EVALUATOR},
    },
    "claim": {
        "submit": {INSTITUTION, WORKER},
        "industry_first": {INDUSTRY},
        "industry_second": {INDUSTRY},
        "notice_close": HR,
        "hr_first": HR,
        "hr_second": HR,
        "finance_first": {FINANCE},
        "finance_second": {FINANCE},
        "disburse": {FINANCE},
        "return": {INDUSTRY, FINANCE} | HR,
        "reject": {INDUSTRY, FINANCE} | HR,
    },
    "voucher": {
        "bind": {INSTITUTION},
        "certify": {SYSTEM, INSTITUTION, EVALUATOR} | HR,
        "void": {SYSTEM, INSTITUTION, EVALUATOR} | HR,
        "redeem": {SYSTEM, FINANCE},
        "forfeit": {SYSTEM, FINANCE},
        "expire": {SYSTEM} | HR,
        "lapse": {SYSTEM} | HR,
    },
    "filing": {"file": {OFFICE}, "revoke_filing": {OFFICE}},
    "catalog": {"catalog_list": {OFFICE}, "catalog_remove": {OFFICE}},
    "import": {
        "checked": {SYSTEM},
        "unreadable": {SYSTEM},
        "confirm": {INSTITUTION} | HR,
        "written": {SYSTEM},
        "sent_back": {SYSTEM},
        "discard": {INSTITUTION} | HR,
    },
    "job": {"start": {SYSTEM}, "finish": {SYSTEM}, "fail": {SYSTEM}, "retry": {SYSTEM}},
    "calendar": {"confirm": {OFFICE}},
    "case": {
        "investigate": HR | {Role.INSPECTOR},
        "clear": HR | {Role.INSPECTOR},
        "recover": HR | {Role.INSPECTOR},
        "sanction": {OFFICE},
    },
}


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_each_transition_is_fired_by_the_roles_its_action_is_granted(machine: str) -> None:
    transitions = MACHINES[machine].transitions
    assert {name: set(permissions.roles(t.action)) for name, t in transitions.items()} == (
        FIRED_BY[machine]
    )


def test_the_review_levels_name_their_own_actions() -> None:
    """A review step is its level's: an industry reviewer's grant is no HR step's."""
    class_steps = training_workflow.TRANSITIONS
    assert class_steps["industry_first"].action == "class.review.industry"
    assert class_steps["hr_second"].action == "class.review.hr"
    claim_steps = subsidy_workflow.TRANSITIONS
    assert claim_steps["finance_first"].action == "claim.review.finance"
    assert claim_steps["hr_first"].action == "claim.review.hr"
