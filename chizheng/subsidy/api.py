"""API of claims, notices, funds, vouchers and the bulletin: the same services and
selectors as the pages, scoped the same way. The public notice endpoints need no sign-in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema

from chizheng.accounts.models import User
from chizheng.api.pagination import Page, paginate
from chizheng.api.types import Choice, Count, Day, Id, Money, PageNo, PageSize, Text, Year
from chizheng.core import clock
from chizheng.core.review import Seen

from . import individual_selectors, selectors, services, standards
from .models import Claim, ClaimReview, ClaimStatus, Objection, Voucher, VoucherStatus

router = Router(tags=["subsidy"])

OBJECTION_MAX = 2000  # what ``services.objection_submit`` accepts


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class LineOut(Schema):
    person_id: int
    certificate_id: int | None
    standard_key: str
    amount: Decimal
    payable: bool
    reason: str
    priority: str


class ClaimOut(Schema):
    id: int
    applicant_kind: str  # institution / individual (个人申请)
    class_id: int | None  # an individual's claim: the class he trained in, if any
    batch: str
    institution: str  # the applying institution, or the one that trained the person
    county: str
    status: str
    status_label: str
    persons: int
    amount: Decimal
    calculated_on: dt.date
    policy_fingerprint: str
    standard_fingerprint: str
    applicant_name: str
    committed_on: dt.date | None
    notice_from: dt.date | None
    notice_until: dt.date | None
    certificate_id: int | None  # 个人申请: the certificate, the bank and the masked account
    bank_name: str
    bank_account_masked: str


class ClaimDetailOut(ClaimOut):
    version: int  # send it back with a review: a review of another version is refused
    review_level: str = ""  # the review step pending, empty when none
    review_step: str = ""
    lines: list[LineOut]
    overdue_steps: list[str]
    deadlines: list[dict[str, Any]]
    disbursed: list[dict[str, Any]]


def _out(c: Claim) -> dict[str, Any]:
    trained = c.trained_by if c.is_individual else c.institution
    return {
        "id": c.pk,
        "applicant_kind": c.applicant_kind,
        "class_id": c.training_class_id,
        "batch": c.training_class.batch if c.training_class else "",
        "institution": trained.name if trained else "",
        "county": c.county.code,
        "status": c.status,
        "status_label": c.get_status_display(),
        "persons": c.persons,
        "amount": c.amount,
        "calculated_on": c.calculated_on,
        "policy_fingerprint": c.policy_fingerprint,
        "standard_fingerprint": c.standard_fingerprint,
        "applicant_name": c.applicant_name,
        "committed_on": c.committed_on,
        "notice_from": c.notice_from,
        "notice_until": c.notice_until,
        "certificate_id": c.certificate_id,
        "bank_name": c.bank_name,
        "bank_account_masked": c.bank_account_masked,
    }


def _detail(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    ctx = selectors.claim_page(actor=_actor(request), claim_id=claim_id)
    deadlines = ctx["deadlines"]
    seen = selectors.review_seen(claim=ctx["claim"])
    return {
        **_out(ctx["claim"]),
        "version": ctx["claim"].version,
        "review_level": seen.level if seen else "",
        "review_step": seen.step if seen else "",
        "lines": [
            {
                "person_id": x.person_id,
                "certificate_id": x.certificate_id,
                "standard_key": x.standard_key,
                "amount": x.amount,
                "payable": x.payable,
                "reason": x.reason,
                "priority": x.priority,
            }
            for x in ctx["lines"]
        ],
        "overdue_steps": [f"{r.level}.{r.step}" for r in ctx["overdue"]],
        "deadlines": [d.as_dict() for d in deadlines.decisions] if deadlines else [],
        "disbursed": [
            {"source": p.fund.source, "year": p.fund.year, "amount": str(p.amount)}
            for p in ctx["parts"]
        ],
    }


@router.get("/subsidy/claims", response=Page, summary="补贴申领列表")
def claims(
    request: HttpRequest,
    status: Annotated[str, Choice(ClaimStatus, "状态", blank=True)] = "",
    overdue: bool = False,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, object]:
    qs = selectors.claim_list(actor=_actor(request), status=status, overdue=overdue)
    count, rows = paginate(qs, page=page, page_size=page_size)
    return {"count": count, "page": page, "page_size": page_size, "items": [_out(c) for c in rows]}


@router.get(
    "/subsidy/claims/{claim_id}", response=ClaimDetailOut, summary="补贴申领详情（含测算明细）"
)
def claim_get(request: HttpRequest, claim_id: Id) -> dict[str, Any]:
    return _detail(request, claim_id)


@router.post("/classes/{class_id}/claim", response=ClaimDetailOut, summary="测算补贴（结业考核后）")
def calculate(request: HttpRequest, class_id: Id) -> dict[str, Any]:
    c = services.claim_calculate(actor=_actor(request), class_id=class_id)
    return _detail(request, c.pk)


class SubmitIn(Schema):
    applicant_name: Annotated[str, Text.of(Claim, "applicant_name", min_length=1)]
    commitment: Annotated[str, Text.of(Claim, "commitment")]


@router.post(
    "/subsidy/claims/{claim_id}/submit", response=ClaimDetailOut, summary="签署承诺并提交申领"
)
def submit(request: HttpRequest, claim_id: Id, payload: SubmitIn) -> dict[str, Any]:
    services.claim_submit(
        actor=_actor(request),
        claim_id=claim_id,
        applicant_name=payload.applicant_name,
        commitment=payload.commitment,
    )
    return _detail(request, claim_id)


class StandingOut(Schema):
    certificate_id: int
    number: str
    kind: str
    occupation_code: str
    occupation: str
    level: str
    issued_on: dt.date
    may_apply: bool
    note: str  # why not, or where his application stands
    claim_id: int | None


@router.get(
    "/subsidy/individual/certificates",
    response=list[StandingOut],
    summary="个人申领：本人的证书及能否申请补贴",
)
def individual_certificates(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "certificate_id": s.certificate.pk,
            "number": s.certificate.number,
            "kind": s.certificate.kind,
            "occupation_code": s.certificate.occupation_code,
            "occupation": s.occupation,
            "level": s.level,
            "issued_on": s.certificate.issued_on,
            "may_apply": s.may_apply,
            "note": s.note,
            "claim_id": s.claim_id,
        }
        for s in individual_selectors.my_certificates(actor=_actor(request))
    ]


class ResubmitIn(Schema):
    # 证书不是在本系统的培训班取得的：培训机构（该职业目录清单内）
    training_institution_id: Id | None = None
    bank_name: Annotated[str, Text.of(Claim, "bank_name", min_length=1)]
    # 12–32 digits once blanks and hyphens are out (checked by the service, in Chinese)
    bank_account: Annotated[str, Text(64, min_length=1)]
    commitment: Annotated[str, Text.of(Claim, "commitment")]


class IndividualIn(ResubmitIn):
    certificate_id: Id


@router.post(
    "/subsidy/individual/claims",
    response=ClaimDetailOut,
    summary="个人申领补贴（本人证书、银行帐号、承诺），提交行业主管部门审核",
)
def individual_apply(request: HttpRequest, payload: IndividualIn) -> dict[str, Any]:
    c = services.individual_claim_apply(actor=_actor(request), **payload.dict())
    return _detail(request, c.pk)


@router.post(
    "/subsidy/individual/claims/{claim_id}/resubmit",
    response=ClaimDetailOut,
    summary="个人申请退回修改后重新提交",
)
def individual_resubmit(request: HttpRequest, claim_id: Id, payload: ResubmitIn) -> dict[str, Any]:
    services.individual_claim_resubmit(actor=_actor(request), claim_id=claim_id, **payload.dict())
    return _detail(request, claim_id)


class ReviewIn(Schema):
    decision: Annotated[str, Choice(services.REVIEW_DECISIONS, "审核结论")]
    opinion: Annotated[str, Text.of(ClaimReview, "opinion")] = ""
    # The step acted on and the claim's version, as the reviewer saw them (GET the claim):
    # a review of a step already done, or of a claim changed since, is refused (409).
    level: Annotated[str, Choice(ClaimReview.Level, "审核层级")]
    step: Annotated[str, Choice(ClaimReview.Step, "审核环节")]
    version: Count


@router.post(
    "/subsidy/claims/{claim_id}/review",
    response=ClaimDetailOut,
    summary="审核（初审/复核）：须写明所审环节与所见版本",
)
def review(request: HttpRequest, claim_id: Id, payload: ReviewIn) -> dict[str, Any]:
    services.claim_review(
        actor=_actor(request),
        claim_id=claim_id,
        decision=payload.decision,
        opinion=payload.opinion,
        seen=Seen(level=payload.level, step=payload.step, version=payload.version),
    )
    return _detail(request, claim_id)


@router.post("/subsidy/claims/{claim_id}/notice/close", response=ClaimDetailOut, summary="结束公示")
def notice_close(request: HttpRequest, claim_id: Id) -> dict[str, Any]:
    services.notice_close(actor=_actor(request), claim_id=claim_id)
    return _detail(request, claim_id)


@router.post("/subsidy/claims/{claim_id}/disburse", response=ClaimDetailOut, summary="拨付资金")
def disburse(request: HttpRequest, claim_id: Id) -> dict[str, Any]:
    services.claim_disburse(actor=_actor(request), claim_id=claim_id)
    return _detail(request, claim_id)


class RecoverIn(Schema):
    amount: Money
    reason: Annotated[str, Text(200, multiline=True, min_length=1)]  # also on the fund entries


@router.post("/subsidy/claims/{claim_id}/recover", response=ClaimDetailOut, summary="追缴")
def recover(request: HttpRequest, claim_id: Id, payload: RecoverIn) -> dict[str, Any]:
    services.disbursement_recover(
        actor=_actor(request), claim_id=claim_id, amount=payload.amount, reason=payload.reason
    )
    return _detail(request, claim_id)


class FundOut(Schema):
    id: int
    source: str
    name: str
    year: int
    budget: Decimal
    balance: Decimal


@router.get("/subsidy/funds", response=list[FundOut], summary="资金账户及余额")
def funds(request: HttpRequest, year: Year | None = None) -> list[dict[str, Any]]:
    return [
        {
            "id": f.pk,
            "source": f.source,
            "name": f.get_source_display(),
            "year": f.year,
            "budget": f.budget,
            "balance": f.balance,
        }
        for f in selectors.fund_list(actor=_actor(request), year=year)
    ]


@router.get("/subsidy/bulletin", summary="补贴资金拨付通报（按县、按资金来源）")
def bulletin(
    request: HttpRequest, start: Day | None = None, end: Day | None = None
) -> dict[str, Any]:
    q_start, q_end = selectors.quarter(clock.today())
    b = selectors.disbursements(actor=_actor(request), start=start or q_start, end=end or q_end)
    return {
        "start": b.start.isoformat(),
        "end": b.end.isoformat(),
        "total": str(b.total),
        "recovered": str(b.recovered),
        "by_county": [
            {
                "county": c.code,
                "name": c.name,
                "claims": c.claims,
                "persons": c.persons,
                "amount": str(c.amount),
                "recovered": str(c.recovered),
            }
            for c in b.by_county
        ],
        "by_fund": [
            {"source": f.source, "name": f.name, "amount": str(f.amount)} for f in b.by_fund
        ],
    }


@router.get("/subsidy/standards", summary="补贴标准（某日生效）")
def standard(request: HttpRequest, at: Day | None = None) -> dict[str, Any]:
    table = standards.standard_at(
        at or clock.today(), city_id=getattr(request.user, "home_city_id", None)
    )
    return {
        "date": table.day.isoformat(),
        "fingerprint": table.fingerprint,
        "items": [
            {
                "key": i.key,
                "label": i.label,
                "amount": str(i.amount),
                "from": i.valid_from.isoformat(),
                "clause": i.clause,
                "source": i.source,
                "origin": i.origin,
            }
            for i in table.items.values()
        ],
    }


class VoucherOut(Schema):
    id: int
    number: str
    person: str
    status: str
    issued_on: dt.date
    expires_on: dt.date
    class_id: int | None
    amount: Decimal | None


def _voucher(v: Voucher) -> dict[str, Any]:
    return {
        "id": v.pk,
        "number": v.number,
        "person": v.person.id_masked,
        "status": v.status,
        "issued_on": v.issued_on,
        "expires_on": v.expires_on,
        "class_id": v.training_class_id,
        "amount": v.amount,
    }


@router.get("/subsidy/vouchers", response=list[VoucherOut], summary="电子培训券")
def vouchers(
    request: HttpRequest, status: Annotated[str, Choice(VoucherStatus, "状态", blank=True)] = ""
) -> list[dict[str, Any]]:
    return [_voucher(v) for v in selectors.voucher_list(actor=_actor(request), status=status)[:500]]


class IssueIn(Schema):
    person_id: Id
    expires_on: Day


@router.post("/subsidy/vouchers", response=VoucherOut, summary="发放电子培训券（实名）")
def voucher_issue(request: HttpRequest, payload: IssueIn) -> dict[str, Any]:
    return _voucher(
        services.voucher_issue(
            actor=_actor(request), person_id=payload.person_id, expires_on=payload.expires_on
        )
    )


class BindIn(Schema):
    number: Annotated[str, Text.of(Voucher, "number", min_length=1)]
    class_id: Id
    person_id: Id


@router.post("/subsidy/vouchers/bind", response=VoucherOut, summary="报名时绑定培训班（不得转让）")
def voucher_bind(request: HttpRequest, payload: BindIn) -> dict[str, Any]:
    return _voucher(
        services.voucher_bind(
            actor=_actor(request),
            number=payload.number,
            class_id=payload.class_id,
            person_id=payload.person_id,
        )
    )


class NoticeOut(Schema):
    claim_id: int
    applicant: str  # 个人申请: the person's name masked (王**); "" for an institution's claim
    institution: str
    batch: str
    occupation: str
    level: str
    persons: int
    amount: Decimal
    notice_from: dt.date | None
    earliest_end: dt.date | None
    county: str


@router.get("/notices", response=list[NoticeOut], auth=None, summary="公示中的补贴信息（公开）")
def notices(request: HttpRequest) -> list[selectors.NoticeRow]:
    return selectors.public_notices()


class ObjectionIn(Schema):
    text: Annotated[str, Text(OBJECTION_MAX, multiline=True, min_length=1)]
    contact: Annotated[str, Text.of(Objection, "contact")] = ""


@router.post("/notices/{claim_id}/objections", auth=None, summary="对公示提出异议（公开）")
def objection(request: HttpRequest, claim_id: Id, payload: ObjectionIn) -> dict[str, Any]:
    o = services.objection_submit(claim_id=claim_id, text=payload.text, contact=payload.contact)
    return {"id": o.pk, "received_at": o.received_at.isoformat()}
