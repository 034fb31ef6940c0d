"""An import's statuses and who moves it on: the system when a job has checked or written
the file (``import.process``), the importer when he confirms or discards it
(``import.confirm``: the roles that may import something — registries, or an
institution's rosters)."""

from __future__ import annotations

from chizheng.core.status_guard import GuardedMachine
from chizheng.core.workflow import Transition, rows_in

from .models import ImportJob, ImportJobTransition

S = ImportJob.Status

IMPORT_FLOW: GuardedMachine[ImportJob] = GuardedMachine(
    [
        Transition.of("checked", "完成校验", [S.VALIDATING], S.VALIDATED, action="import.process"),
        Transition.of(
            "unreadable", "记为无法读取", [S.VALIDATING], S.UNREADABLE, action="import.process"
        ),
        Transition.of("confirm", "确认导入", [S.VALIDATED], S.IMPORTING, action="import.confirm"),
        Transition.of("written", "完成导入", [S.IMPORTING], S.IMPORTED, action="import.process"),
        Transition.of(
            "sent_back", "退回待确认", [S.IMPORTING], S.VALIDATED, action="import.process"
        ),
        Transition.of("discard", "放弃导入", [S.VALIDATED], S.DISCARDED, action="import.confirm"),
    ],
    action="import",
    log=rows_in(ImportJobTransition, "import_job"),
)
