"""Writes to the registries. Every change is checked against the actor's role and scope and
written to the audit log; personal data in the log is masked.

One module per aggregate:

- ``occupations``: the classification file, an occupation by code
- ``institutions``: register and edit an institution, its evaluation scopes
- ``decisions``: the city office's filing and platform-catalog decisions
- ``catalog``: the year's catalog entries
- ``centre``: an enterprise training centre's conditions (§20(1))
- ``resources``: teachers, sites, workstations
- ``people``: real-name people, revealing an ID number
- ``sanctions``: suspension, blacklist, platform ban, lifting; ``ensure_may_act``
- ``exports``: queuing the export of a long list
- ``common``: the edit checks the others share

This package re-exports the public names, so ``services.person_register(...)`` keeps working.
"""

from chizheng.rules.decision import add_months

from ..selectors import active_sanctions, id_index
from .catalog import catalog_add, catalog_end
from .centre import centre_check, centre_facts, ensure_centre_conditions
from .common import may_edit, require_registry_edit
from .decisions import institution_file, institution_revoke_filing, platform_list, platform_remove
from .exports import export_start
from .institutions import (
    DECISION_FIELDS,
    INSTITUTION_FIELDS,
    evaluation_scope_set,
    institution_by_credit_code,
    institution_create,
    institution_update,
)
from .occupations import OCCUPATIONS_FILE, OccupationLoad, load_occupations, occupation_for_code
from .people import (
    PERSON_FIELDS,
    people_register,
    person_register,
    person_reveal_id_number,
    person_update,
)
from .resources import site_add, teacher_add, workstation_set
from .sanctions import (
    ACTION_LABELS,
    SANCTION_CODES,
    SANCTION_STOPS,
    InstitutionSanctioned,
    ensure_may_act,
    sanction_blacklist,
    sanction_create,
    sanction_lift,
    sanction_platform_ban,
    sanction_suspend,
    sanction_suspend_automatic,
)

# active_sanctions, id_index and add_months are re-exported: callers check, match and date
# through services.
__all__ = [
    "ACTION_LABELS",
    "DECISION_FIELDS",
    "INSTITUTION_FIELDS",
    "OCCUPATIONS_FILE",
    "PERSON_FIELDS",
    "SANCTION_CODES",
    "SANCTION_STOPS",
    "InstitutionSanctioned",
    "OccupationLoad",
    "active_sanctions",
    "add_months",
    "catalog_add",
    "catalog_end",
    "centre_check",
    "centre_facts",
    "ensure_centre_conditions",
    "ensure_may_act",
    "evaluation_scope_set",
    "export_start",
    "id_index",
    "institution_by_credit_code",
    "institution_create",
    "institution_file",
    "institution_revoke_filing",
    "institution_update",
    "load_occupations",
    "may_edit",
    "occupation_for_code",
    "people_register",
    "person_register",
    "person_reveal_id_number",
    "person_update",
    "platform_list",
    "platform_remove",
    "require_registry_edit",
    "sanction_blacklist",
    "sanction_create",
    "sanction_lift",
    "sanction_platform_ban",
    "sanction_suspend",
    "sanction_suspend_automatic",
    "site_add",
    "teacher_add",
    "workstation_set",
]
