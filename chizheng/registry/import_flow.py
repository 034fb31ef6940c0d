"""An import's statuses and who moves it on: the system when a job has checked or written
the file, the importer when he confirms or discards it."""

from __future__ import annotations

from chizheng.accounts import permissions
from chizheng.core.status_guard import GuardedMachine
from chizheng.core.workflow import SYSTEM, Transition, rows_in

from .models import ImportJob, ImportJobTransition

S = ImportJob.Status
# The roles that may import something (registries, or an institution's rosters).
IMPORTERS = sorted(permissions.roles("registry.edit") | permissions.roles("class.apply"))

IMPORT_FLOW: GuardedMachine[ImportJob] = GuardedMachine(
    [
        Transition.of("checked", "完成校验", [S.VALIDATING], S.VALIDATED, [SYSTEM]),
        Transition.of("unreadable", "记为无法读取", [S.VALIDATING], S.UNREADABLE, [SYSTEM]),
        Transition.of("confirm", "确认导入", [S.VALIDATED], S.IMPORTING, IMPORTERS),
        Transition.of("written", "完成导入", [S.IMPORTING], S.IMPORTED, [SYSTEM]),
        Transition.of("sent_back", "退回待确认", [S.IMPORTING], S.VALIDATED, [SYSTEM]),
        Transition.of("discard", "放弃导入", [S.VALIDATED], S.DISCARDED, IMPORTERS),
    ],
    action="import",
    log=rows_in(ImportJobTransition, "import_job"),
)
