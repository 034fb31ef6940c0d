"""The declared decisions on an institution's filing (评价机构备案) and on a platform's place in
the catalog (目录清单, §20(3)), and the one way to fire them.

Both are the city programme office's decisions (领导小组办公室): no county user, and no
generic edit form, import column or API field, sets these statuses. Each decision writes an
``InstitutionTransition`` row and an audit event (``core.workflow``).
"""

from __future__ import annotations

from chizheng.core.workflow import StateMachine, Transition, rows_in
from chizheng.core.workflow import TransitionRefused as TransitionRefused  # re-exported

from .models import Institution, InstitutionTransition

F = Institution.FilingStatus
C = Institution.CatalogStatus
FILING_TRANSITIONS = [
    Transition.of("file", "备案", {F.NONE, F.REVOKED}, F.FILED, action="institution.file"),
    Transition.of("revoke_filing", "撤销备案", {F.FILED}, F.REVOKED, action="institution.file"),
]
CATALOG_TRANSITIONS = [
    Transition.of(
        "catalog_list", "纳入目录清单", {C.NONE, C.REMOVED}, C.LISTED, action="platform.catalog"
    ),
    Transition.of(
        "catalog_remove", "移出目录清单", {C.LISTED}, C.REMOVED, action="platform.catalog"
    ),
]
TRANSITIONS = {t.name: t for t in [*FILING_TRANSITIONS, *CATALOG_TRANSITIONS]}
# Decisions that take something away: the page asks before firing them.
REMOVALS = frozenset({"revoke_filing", "catalog_remove"})

_log = rows_in(InstitutionTransition, "institution")
FILING: StateMachine[Institution] = StateMachine(
    FILING_TRANSITIONS, action="institution", log=_log, field="filing_status"
)
CATALOG: StateMachine[Institution] = StateMachine(
    CATALOG_TRANSITIONS, action="institution", log=_log, field="catalog_status"
)
