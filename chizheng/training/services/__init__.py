"""Writes of the class lifecycle. Every status change goes through ``workflow.fire``.

One module per stage of 附件2, in the order a class goes through them:

- ``application``: create and edit a draft, the roster, the modes' conditions, submit
- ``review``: the review steps and their deadlines, withdrawal
- ``delivery``: start, sessions, attendance, makeups, inspections, the satisfaction survey
- ``assessment``: the evaluator, the final assessment, results and certificates, evidence
- ``opinions``: the HR bureau's opinions on the supervision and the results, the
  assessment's patrol (附件2's signed boxes)
- ``sign_in``: classroom sign-in by the QR code the institution's screen renews, with a selfie
- ``stills``: evidence photographs of sessions and inspections, with their hashes
- ``pure_online``: the office's list of occupations allowed for pure-online classes
- ``common``: the class look-ups and checks the stages share

This package re-exports the public names, so ``services.class_submit(...)`` keeps working.
"""

from .application import (
    CLASS_FIELDS,
    RosterResult,
    apprentice_contract_set,
    class_check,
    class_create,
    class_submit,
    class_update,
    roster_add,
)
from .assessment import (
    CERTIFICATE_NUMBER_MAX,
    CertificateIn,
    assessment_register,
    evidence_report,
    results_record,
)
from .common import EDITABLE, RulesFailed
from .delivery import (
    SURVEY_OPEN,
    SurveyOutcome,
    attendance_record,
    class_start,
    inspection_record,
    makeup_approve,
    session_add,
    survey_answer,
    survey_close,
)
from .opinions import OPINION_MAX, STEPS, may_give, opinion_record
from .pure_online import pure_online_allow, pure_online_end
from .review import NEXT, REVIEW_CHAIN, class_review, class_withdraw
from .sign_in import code_of, code_usable, qr_sign_in, sign_in_code
from .stills import still_store

__all__ = [
    "CERTIFICATE_NUMBER_MAX",
    "CLASS_FIELDS",
    "EDITABLE",
    "NEXT",
    "OPINION_MAX",
    "REVIEW_CHAIN",
    "STEPS",
    "SURVEY_OPEN",
    "CertificateIn",
    "RosterResult",
    "RulesFailed",
    "SurveyOutcome",
    "apprentice_contract_set",
    "assessment_register",
    "attendance_record",
    "class_check",
    "class_create",
    "class_review",
    "class_start",
    "class_submit",
    "class_update",
    "class_withdraw",
    "code_of",
    "code_usable",
    "evidence_report",
    "inspection_record",
    "makeup_approve",
    "may_give",
    "opinion_record",
    "pure_online_allow",
    "pure_online_end",
    "qr_sign_in",
    "results_record",
    "roster_add",
    "session_add",
    "sign_in_code",
    "still_store",
    "survey_answer",
    "survey_close",
]
