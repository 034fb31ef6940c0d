"""Individual claims (附件2 备注2: 个人申请): a worker applies himself for the subsidy of one
of his certificates obtained after training, with his bank account, signing the same 承诺,
and the claim enters the same chain as a class's (industry department → public notice → HR
→ finance → disbursement to his account). ADR 0006.

The amount is the same calculation (``calculation.calculate``) on one trainee: his class's
attendance and rule decisions when he trained in a class of the system, none for training
outside it. A person is subsidised once per occupation and level across institution and
individual claims: the same counted line and its unique index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from chizheng.accounts import reviewers
from chizheng.accounts.access import access_by_id, require
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate
from chizheng.core import audit, bank, clock, crypto
from chizheng.core.errors import NotFound, PermissionDenied, ValidationError
from chizheng.core.inputs import check_text
from chizheng.org.models import Department
from chizheng.registry import services as registry
from chizheng.registry.models import Institution, Person
from chizheng.rules import params
from chizheng.training.models import TrainingClass

from .. import calculation, standards, workflow
from .. import individual_selectors as individual
from ..models import ApplicantKind, Claim, ClaimLine, ClaimReview, ClaimStatus, Voucher
from ..models import VoucherStatus as V
from .claims import COMMITMENT, DuplicateSubsidy, _class_inputs, write_lines
from .common import _locked_claim
from .review import _open_review

INDIVIDUAL, INSTITUTION = ApplicantKind.INDIVIDUAL, ApplicantKind.INSTITUTION
BANK_NAME_MAX = Claim._meta.get_field("bank_name").max_length


@dataclass(frozen=True)
class Training:
    """Which training the certificate followed: the class, or the institution he names."""

    training_class: TrainingClass | None
    institution: Institution
    department: Department


def _certificate(actor: User, certificate_id: int) -> Certificate:
    try:
        return access_by_id(
            actor,
            Certificate.objects.select_related(
                "person__county", "training_class__institution", "issuing_institution"
            ),
            certificate_id,
        )
    except NotFound:
        raise NotFound(
            "证书不存在或不是您本人的证书",
            message_en="no such certificate of yours",
            detail={"id": str(certificate_id)},
        ) from None


def _training(cert: Certificate, institution_id: int | None) -> Training:
    k = cert.training_class
    if k is not None:
        if institution_id and institution_id != k.institution_id:
            raise ValidationError(
                f"该证书取得于培训班“{k.batch}”，培训机构即{k.institution.name}，不能另选",
                detail={"field": "training_institution_id"},
            )
        return Training(k, k.institution, k.department)
    if not institution_id:
        raise ValidationError(
            "请选择培训机构：该证书不是在本系统登记的培训班取得的，须写明在哪家机构参加的培训",
            message_en="name the institution that trained you",
            detail={"field": "training_institution_id"},
        )
    inst = individual.training_institutions(certificate=cert).filter(pk=institution_id).first()
    if inst is None:
        raise ValidationError(
            f"所选机构不是{cert.issued_on.year}年度目录清单中该职业（工种）的培训机构（§21），"
            "其培训不属于补贴性培训",
            message_en="the institution is not in the catalog for this occupation",
            detail={"field": "training_institution_id"},
        )
    if inst.department is None:
        raise ValidationError(
            f"{inst.name}未登记行业主管部门，无法确定受理部门，请联系该机构或县（市、区）人社局",
            detail={"field": "training_institution_id"},
        )
    return Training(None, inst, inst.department)


def _where(claim: Claim) -> str:
    kind = "个人申请" if claim.is_individual else f"培训班“{claim.title}”的补贴申领"
    return f"{kind}（申领 {claim.pk}，{claim.get_status_display()}）"


def _ensure_unclaimed(cert: Certificate, key: str, exclude: int) -> None:
    """Refuse, in Chinese, a certificate already claimed — by himself, through his class, or
    for the same occupation and level elsewhere (once per person, occupation and level).
    ``exclude``: the claim being resubmitted (0: none)."""
    own = Claim.objects.filter(applicant_kind=INDIVIDUAL, certificate=cert).exclude(pk=exclude)
    rejected = own.filter(status=ClaimStatus.REJECTED).first()
    live = own.exclude(status=ClaimStatus.REJECTED).first()
    if live is not None:
        raise DuplicateSubsidy(
            f"该证书已有{_where(live)}，不能重复申请",
            message_en="this certificate has a claim already",
            detail={"claim": live.pk},
        )
    if rejected is not None:  # 不予补贴 is final, as for a class's claim
        raise DuplicateSubsidy(
            f"该证书的个人申请已被决定不予补贴（申领 {rejected.pk}），不能重新申请；"
            "如有异议请向市人社局申请复查",
            message_en="this certificate's claim was rejected; a rejection is final",
            code="claim_rejected",
            detail={"claim": rejected.pk},
        )
    k = cert.training_class
    if k is not None:
        by_class = (
            ClaimLine.objects.filter(
                person_id=cert.person_id,
                claim__training_class=k,
                claim__applicant_kind=INSTITUTION,
            )
            .exclude(claim__status=ClaimStatus.REJECTED)
            .select_related("claim__training_class")
            .first()
        )
        if by_class is not None:
            raise DuplicateSubsidy(
                f"您所在的培训班“{k.batch}”已由培训机构申领补贴（{_where(by_class.claim)}），"
                "不能再以个人名义申请",
                message_en="the class's institution has claimed for this class",
                detail={"claim": by_class.claim_id},
            )
        voucher = Voucher.objects.filter(
            person_id=cert.person_id,
            training_class=k,
            status__in=[V.BOUND, V.CERTIFIED, V.REDEEMED],
        ).first()
        if voucher is not None:
            raise DuplicateSubsidy(
                f"您参加培训班“{k.batch}”时使用了电子培训券（{voucher.number}），"
                "补贴由培训机构凭券申领（以证换券），不能再以个人名义申请",
                message_en="a training voucher paid for this class",
                code="voucher_used",
                detail={"voucher": voucher.number},
            )
    held = (
        ClaimLine.objects.filter(
            person_id=cert.person_id,
            occupation_code=cert.occupation_code,
            standard_key=key,
            counted=True,
        )
        .exclude(claim_id=exclude)
        .select_related("claim__training_class", "claim__person")
        .first()
    )
    if held is not None:
        occupation = individual.occupation_names({cert.occupation_code}).get(
            cert.occupation_code, cert.occupation_code
        )
        raise DuplicateSubsidy(
            f"您已在{_where(held.claim)}中享受{occupation}同等级补贴，"
            "同一职业（工种）同一等级只补贴一次",
            message_en="subsidised once per occupation and level",
            detail={"claim": held.claim_id},
        )


def _inputs(
    person: Person, cert: Certificate, key: str, t: Training, on: dt.date, st: standards.Standard
) -> dict[str, Any]:
    """The calculation's inputs for one trainee: his line of his class (attendance, rule
    decisions), or a bare line for training outside the system; the certificate he applies
    for in any case."""
    label = f"{person.name}（{person.id_masked}）"
    entry: dict[str, Any] = {"person_id": person.pk, "label": label, "refused_by": []}
    evidence: list[Any] = []
    if t.training_class is not None:
        base = _class_inputs(t.training_class, on, st)
        mine = next((x for x in base["trainees"] if x["person_id"] == person.pk), None)
        if mine is None:
            raise ValidationError(f"您不在培训班“{t.training_class.batch}”的花名册上")
        entry, evidence = dict(mine), base["evidence"]
    entry["certificate"] = {
        "id": cert.pk,
        "number": cert.number,
        "kind": cert.kind,
        "level": cert.skill_level,
        "key": key,
        "first_in_year": cert.first_in_year,
        "first_high_in_year": cert.first_high_in_year,
    }
    entry["subsidised_by"] = None  # refused before: ``_ensure_unclaimed``
    return {
        "individual": {
            "person_id": person.pk,
            "certificate_id": cert.pk,
            "trained_by": t.institution.pk,
            "class_id": t.training_class.pk if t.training_class else None,
        },
        "on": on.isoformat(),
        "standard": {k: str(i.amount) for k, i in st.items.items()},
        "cap": None,  # the class's trained count caps its institution's claim, not his
        "evidence": evidence,
        "trainees": [entry],
    }


def _bank(bank_name: str, bank_account: str) -> tuple[str, str]:
    name = bank_name.strip()
    check_text(name, field="bank_name", label="开户银行名称", max_length=BANK_NAME_MAX)
    if not name:
        raise ValidationError("请填写开户银行名称", detail={"field": "bank_name"})
    return name, bank.check_account(bank_account)


def _commitment(commitment: str) -> None:
    if commitment.strip() != COMMITMENT:
        raise ValidationError(
            "须确认附件2的承诺内容",
            message_en="the commitment must be accepted as written",
            detail={"field": "commitment"},
        )


def _calculate(claim: Claim, person: Person, cert: Certificate, t: Training) -> calculation.Result:
    """Check the certificate may be claimed, compute its line and store the calculation."""
    key = individual.certificate_key(cert)
    if key is None:
        raise ValidationError(
            f"补贴标准中没有{cert.get_kind_display()}（该等级）的补贴，不能申请",
            code="no_standard",
        )
    _ensure_unclaimed(cert, key, exclude=claim.pk or 0)
    registry.ensure_may_act(institution=t.institution, action="subsidy.claim")
    today = clock.today()
    st = standards.standard_at(today, city_id=person.county.city_id)
    inputs = _inputs(person, cert, key, t, today, st)
    result = calculation.calculate(inputs)
    line = result.lines[0]
    if not line.payable:
        raise ValidationError(f"该证书不能申领补贴：{line.reason}", code="not_payable")
    policy = params.current()
    claim.persons, claim.amount = result.persons, result.total
    claim.calculation = {"inputs": inputs, "result": result.as_dict()}
    claim.calculated_on = today
    claim.policy_fingerprint, claim.standard_fingerprint = policy.fingerprint, st.fingerprint
    return result


def _lines(claim: Claim, cert: Certificate, result: calculation.Result) -> None:
    write_lines(
        claim,
        result,
        occupation_code=cert.occupation_code,
        taken="您已在其他申领中享受同职业同等级补贴，同一职业（工种）同一等级只补贴一次",
    )


def _submit(actor: User, claim: Claim, what: str) -> None:
    reviewers.ensure_reviewers(
        levels={
            "claim.review.industry": str(claim.department),
            "claim.review.hr": "人力资源社会保障部门",
            "claim.review.finance": "财政部门",
        },
        obj=claim,
        what="补贴申领",
    )
    today = clock.today()
    claim.committed_on = claim.accepted_on = today
    claim.save()
    audit.record(
        actor=actor,
        action=f"claim.individual_{what}",
        obj=claim,
        after={
            "certificate": claim.certificate_id,
            "amount": str(claim.amount),
            "bank": claim.bank_name,
            "account": claim.bank_account_masked,
        },
    )
    workflow.fire(
        claim, "submit", actor=actor, reason=f"个人申请，申请承诺人 {claim.applicant_name}"
    )
    _open_review(claim, ClaimReview.Level.INDUSTRY, ClaimReview.Step.FIRST, today)


@transaction.atomic
def individual_claim_apply(
    *,
    actor: User,
    certificate_id: int,
    bank_name: str,
    bank_account: str,
    commitment: str,
    training_institution_id: int | None = None,
) -> Claim:
    """A worker applies for the subsidy of one of his certificates (附件2 备注2), with his
    bank account; the claim goes to the industry department of his training."""
    require(actor, "subsidy.claim", message="只有劳动者本人可以个人申请补贴")
    if actor.person_id is None:  # an institution applies for its classes, not for a person
        raise PermissionDenied(
            "只有劳动者本人（账号关联本人实名信息）可以个人申请补贴",
            message_en="only the person himself applies for an individual claim",
        )
    cert = _certificate(actor, certificate_id)
    require(actor, "subsidy.claim", cert, message="只能为本人的证书申请补贴")
    person = cert.person
    t = _training(cert, training_institution_id)
    name, account = _bank(bank_name, bank_account)
    _commitment(commitment)
    claim = Claim(
        applicant_kind=INDIVIDUAL,
        person=person,
        certificate=cert,
        trained_by=t.institution,
        training_class=t.training_class,
        county=person.county,
        department=t.department,
        bank_name=name,
        bank_account=account,
        bank_account_masked=bank.mask_account(account),
        bank_account_index=crypto.blind_index(account),
        applicant_name=person.name,
        commitment=COMMITMENT,
        created_by=actor,
    )
    result = _calculate(claim, person, cert, t)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError:  # the same certificate applied for at the same moment
        raise DuplicateSubsidy(
            "该证书已有个人补贴申请，不能重复申请", message_en="applied for meanwhile"
        ) from None
    _lines(claim, cert, result)
    _submit(actor, claim, "apply")
    return claim


@transaction.atomic
def individual_claim_resubmit(
    *,
    actor: User,
    claim_id: int,
    bank_name: str,
    bank_account: str,
    commitment: str,
    training_institution_id: int | None = None,
) -> Claim:
    """A returned individual claim, corrected (bank, training institution), recalculated
    and submitted again; the chain starts again at the industry department."""
    claim = _locked_claim(actor, claim_id)
    require(actor, "subsidy.claim", claim, message="只有申请人本人可以重新提交")
    if not claim.is_individual or claim.certificate_id is None:
        raise workflow.TransitionRefused("这不是个人申请的补贴申领")
    if claim.status != ClaimStatus.RETURNED:
        raise workflow.TransitionRefused(
            f"“{claim.get_status_display()}”状态的申领不能重新提交，退回修改后方可"
        )
    cert = _certificate(actor, claim.certificate_id)
    t = _training(cert, training_institution_id or claim.trained_by_id)
    name, account = _bank(bank_name, bank_account)
    _commitment(commitment)
    claim.bank_name, claim.bank_account = name, account
    claim.bank_account_masked = bank.mask_account(account)
    claim.bank_account_index = crypto.blind_index(account)
    claim.trained_by, claim.department = t.institution, t.department
    result = _calculate(claim, cert.person, cert, t)
    claim.save()
    _lines(claim, cert, result)
    _submit(actor, claim, "resubmit")
    return claim
