"""Import of institutions, teachers, people and rosters from .xlsx or .csv.

Two steps, each a background job with progress (rows done / total): ``import_upload`` keeps
the file and queues ``run_validation``, which checks every row (nothing is written but the
import and its report); ``import_confirm`` queues ``run_commit``, which writes. A file with a
bad row writes nothing unless the user chooses to import the good rows. Writes are set-based (one query per batch,
never one per row); people are matched by the blind index of their ID number, so importing
the same file again changes nothing. The upload is kept encrypted until it is used.

One module per part, in the order a file goes through them:

- ``reading``: the .xlsx and .csv readers (file → rows)
- ``cells``: the cell parsers (cell → value, or the reason it is bad)
- ``context``: what every row is checked against, loaded once per file
- ``schemas``: the kinds, their columns and row checks
- ``checking``: checking a whole file (every error, duplicates, formulas)
- ``stored``: the checked rows kept between the two jobs
- ``bulk``: the raw SQL writer; ``writer``: the set-based writes of each kind
- ``services``: upload, validation, confirmation, commit, discard (the jobs' entry points)
- ``downloads``: the templates and a job's error report

This package re-exports the names callers use, so ``imports.import_upload(...)`` keeps working.
"""

from .checking import Checked, RowError, check_file, count_rows
from .downloads import errors_xlsx, template_csv, template_xlsx, template_xlsx_of
from .reading import read_rows, xlsx_rows
from .schemas import KINDS, Column, Kind, kind_of
from .services import (
    COMMIT_JOB,
    VALIDATE_JOB,
    ImportHasErrors,
    describe_result,
    import_confirm,
    import_discard,
    import_file,
    import_upload,
    run_commit,
    run_validation,
)
from .writer import apply_institutions, apply_people, apply_roster, apply_teachers

__all__ = [
    "COMMIT_JOB",
    "KINDS",
    "VALIDATE_JOB",
    "Checked",
    "Column",
    "ImportHasErrors",
    "Kind",
    "RowError",
    "apply_institutions",
    "apply_people",
    "apply_roster",
    "apply_teachers",
    "check_file",
    "count_rows",
    "describe_result",
    "errors_xlsx",
    "import_confirm",
    "import_discard",
    "import_file",
    "import_upload",
    "kind_of",
    "read_rows",
    "run_commit",
    "run_validation",
    "template_csv",
    "template_xlsx",
    "template_xlsx_of",
    "xlsx_rows",
]
