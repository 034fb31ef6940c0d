"""Writes of the supervision cases (核查案件, §20(4), §三(三)): opening a case from findings,
assigning it, investigating it (notes and evidence files), concluding it as cleared,
recovery or sanction. Every step is an audit event; the state changes through
``case_flow.CASES`` only.

A conclusion acts through the owning areas' services with the concluding actor: a recovery
through ``subsidy.services.recovery_ordered`` (one per claim concerned, the claim lines'
amounts in Decimal, a line never recovered by two cases), a sanction through
``registry.services.sanction_create`` (the blacklist is its category of §20(4)). Lock order:
the case row, then its findings, then the subsidy's (claim, funds), the audit head last.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from chizheng.accounts import access, permissions
from chizheng.accounts.models import User
from chizheng.core import audit, clock
from chizheng.core.errors import NotFound, ValidationError
from chizheng.core.inputs import check_choice, check_text
from chizheng.org.models import County
from chizheng.registry import services as registry
from chizheng.registry.models import Sanction
from chizheng.subsidy import services as subsidy
from chizheng.subsidy.models import ClaimLine

from . import case_selectors
from .case_flow import CASES, CONCLUSIONS
from .models import Case, CaseFile, CaseNote, Finding

NOTE_MAX = 2000
CONCLUSION_MAX = 2000
TITLE_MAX = 200
# Evidence files: photos and scanned documents. Read from the file's first bytes, never from
# the name or the type the browser sends.
MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES: dict[bytes, tuple[str, str]] = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
}


@dataclass(frozen=True)
class Upload:
    """An evidence file as it arrives (the page's or the API's)."""

    filename: str
    data: bytes


def _locked(actor: User, case_id: int) -> Case:
    return access.access_by_id(
        actor, Case.objects.select_for_update(of=("self",)).select_related("county"), case_id
    )


def _text(value: str, *, field: str, label: str, max_length: int, required: bool) -> str:
    check_text(value, field=field, label=label, max_length=max_length, multiline=True)
    value = value.strip()
    if required and not value:
        raise ValidationError(
            f"请填写{label}", message_en=f"{field} is required", detail={"field": field}
        )
    return value


def _number(case: Case) -> str:
    """The county's next number of the year. The county's row is locked first: two cases
    opened at once in one county are numbered one after the other, not both the same."""
    County.objects.select_for_update().filter(pk=case.county_id).first()
    done = Case.objects.filter(county_id=case.county_id, year=case.year).count()
    return f"HC{case.year}{case.county.code}{done + 1:04d}"


@transaction.atomic
def case_open(
    *,
    actor: User,
    finding_ids: Iterable[int],
    title: str = "",
    assignee_id: int | None = None,
) -> Case:
    """立案: a case of one county from its open findings (a finding in at most one open case)."""
    permissions.require(actor, "case.open", message="您的角色不能立案核查")
    ids = sorted(set(finding_ids))
    if not ids:
        raise ValidationError("请选择至少一条核查线索", detail={"field": "finding_ids"})
    title = _text(title, field="title", label="案由", max_length=TITLE_MAX, required=False)
    findings = list(
        access.visible(actor, Finding.objects.select_for_update(of=("self",)))
        .filter(pk__in=ids)
        .select_related("county")
        .order_by("-score", "id")
    )
    if len(findings) != len(ids):
        raise NotFound("核查线索不存在", detail={"field": "finding_ids"})
    taken = [f.pk for f in findings if f.state != Finding.State.OPEN]
    if taken:
        raise ValidationError(
            f"线索 {'、'.join(map(str, taken))} 已在核查案件中或已办结，不能再次立案",
            message_en="a finding is already in a case or closed",
            code="finding_taken",
            detail={"field": "finding_ids", "findings": taken},
        )
    if len({f.county_id for f in findings}) > 1 or len({f.year for f in findings}) > 1:
        raise ValidationError(
            "同一案件的线索须属同一县（市、区）、同一年度",
            message_en="a case's findings are of one county and one year",
            detail={"field": "finding_ids"},
        )
    first = findings[0]
    permissions.require(actor, "case.open", first, message="该线索不在您的管辖范围内")
    case = Case(
        year=first.year,
        county=first.county,
        title=title or f"{first.get_kind_display()}：{first.summary}"[:TITLE_MAX],
        opened_by=actor,
        opened_at=clock.now(),
    )
    case.number = _number(case)
    case.save()
    case.findings.add(*findings)
    Finding.objects.filter(pk__in=ids).update(state=Finding.State.IN_CASE)
    audit.record(
        actor=actor,
        action="case.open",
        obj=case,
        after={"number": case.number, "findings": ids, "county": first.county.code},
    )
    if assignee_id is not None:
        _assign(actor, case, assignee_id)
    return case


def _assign(actor: User, case: Case, assignee_id: int) -> None:
    permissions.require(actor, "case.assign", case, message="您不能指派该案件的承办人")
    if case.concluded:
        raise ValidationError("案件已办结，不能再指派", detail={"field": "assignee"})
    chosen = {u.pk: u for u in case_selectors.assignees(case=case)}.get(assignee_id)
    if chosen is None:
        raise ValidationError(
            "承办人须为本案所属县（市、区）或全市的核查人员、人社部门工作人员",
            message_en="the assignee may not investigate this case",
            detail={"field": "assignee"},
        )
    before = case.assignee_id
    case.assignee = chosen
    case.save(update_fields=["assignee"])
    audit.record(
        actor=actor,
        action="case.assign",
        obj=case,
        before={"assignee": before},
        after={"assignee": chosen.pk},
    )


@transaction.atomic
def case_assign(*, actor: User, case_id: int, assignee_id: int) -> Case:
    """指派承办人: an official who may investigate the case and sees it."""
    case = _locked(actor, case_id)
    _assign(actor, case, assignee_id)
    return case


def _may(actor: User, case: Case, action: str, what: str) -> None:
    permissions.require(actor, action, message=f"您的角色不能{what}")
    permissions.require(actor, action, case, message="该案件不在您的管辖范围内")


@transaction.atomic
def case_investigate(*, actor: User, case_id: int, reason: str = "") -> Case:
    """开始核查."""
    case = _locked(actor, case_id)
    _may(actor, case, "case.investigate", "开始核查")
    reason = _text(reason, field="reason", label="说明", max_length=NOTE_MAX, required=False)
    return CASES.fire(case, "investigate", actor=actor, reason=reason)


def _file(actor: User, case: Case, note: CaseNote | None, upload: Upload) -> CaseFile:
    name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    check_text(name, field="file", label="文件名", max_length=200)
    if not upload.data:
        raise ValidationError("证据文件为空", detail={"field": "file"})
    if len(upload.data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"证据文件不能超过{MAX_FILE_BYTES // (1024 * 1024)}MB",
            message_en="the file is too large",
            detail={"field": "file", "size": len(upload.data)},
        )
    kind = next((t for magic, t in FILE_TYPES.items() if upload.data.startswith(magic)), None)
    if kind is None:
        raise ValidationError(
            "证据文件须为 PDF、JPG 或 PNG 格式",
            message_en="the file must be a PDF, JPEG or PNG",
            detail={"field": "file"},
        )
    content_type, suffix = kind
    if not name.lower().endswith(suffix) and not (
        suffix == ".jpg" and name.lower().endswith(".jpeg")
    ):
        name = f"{name or '证据'}{suffix}"[-200:]
    digest = hashlib.sha256(upload.data).hexdigest()
    f = CaseFile.objects.create(
        case=case,
        note=note,
        filename=name,
        content_type=content_type,
        size=len(upload.data),
        sha256=digest,
        data=upload.data,
        uploaded_by=actor,
        at=clock.now(),
    )
    audit.record(
        actor=actor,
        action="case.file",
        obj=case,
        after={"file": f.pk, "filename": name, "size": f.size, "sha256": digest},
    )
    return f


@transaction.atomic
def case_note(*, actor: User, case_id: int, text: str, upload: Upload | None = None) -> CaseNote:
    """核查记录, with an evidence file if any; the first record of an opened case starts its
    investigation."""
    case = _locked(actor, case_id)
    _may(actor, case, "case.investigate", "记录核查情况")
    if case.concluded:
        raise ValidationError("案件已办结，不能再添加核查记录", code="case_concluded")
    text = _text(text, field="text", label="核查记录", max_length=NOTE_MAX, required=True)
    if case.state == Case.State.OPENED:
        CASES.fire(case, "investigate", actor=actor, reason="添加核查记录")
    note = CaseNote.objects.create(case=case, text=text, author=actor, at=clock.now())
    audit.record(actor=actor, action="case.note", obj=case, after={"note": note.pk, "text": text})
    if upload is not None:
        _file(actor, case, note, upload)
    return note


@transaction.atomic
def case_conclude(
    *,
    actor: User,
    case_id: int,
    outcome: str,
    conclusion: str,
    line_ids: Iterable[int] | None = None,
    sanction_kind: str = "",
    institution_id: int | None = None,
) -> Case:
    """办结: cleared (the findings closed as cleared), recovery (the claim lines chosen, of the
    findings' paid claims, recovered through the subsidy service) or sanction (the registry's
    sanction on one of the findings' institutions)."""
    outcome = check_choice(outcome, CONCLUSIONS, field="outcome", label="核查结论")
    case = _locked(actor, case_id)
    name = CONCLUSIONS[outcome]
    action = CASES.transitions[name].action
    _may(actor, case, action, CASES.transitions[name].label)
    conclusion = _text(
        conclusion, field="conclusion", label="核查结论", max_length=CONCLUSION_MAX, required=True
    )
    if case.state != Case.State.INVESTIGATING:
        CASES.fire(case, name, actor=actor, reason=conclusion)  # refused, naming the state
    findings = list(case.findings.select_for_update().order_by("pk"))
    if outcome == Case.State.RECOVERY:
        _recover(actor, case, line_ids, conclusion)
    elif outcome == Case.State.SANCTION:
        _sanction(actor, case, findings, sanction_kind, institution_id, conclusion)
    closed = Finding.State.CLEARED if outcome == Case.State.CLEARED else Finding.State.CONFIRMED
    Finding.objects.filter(pk__in=[f.pk for f in findings], state=Finding.State.IN_CASE).update(
        state=closed
    )
    case.conclusion, case.concluded_at = conclusion, clock.now()
    case.save(update_fields=["conclusion", "concluded_at"])
    return CASES.fire(case, name, actor=actor, reason=conclusion)


def _recover(actor: User, case: Case, line_ids: Iterable[int] | None, conclusion: str) -> None:
    candidates = {ln.pk: ln for ln in case_selectors.recoverable_lines(actor=actor, case=case)}
    chosen = sorted(set(line_ids)) if line_ids is not None else sorted(candidates)
    if not chosen:
        raise ValidationError(
            "本案线索涉及的申领均未拨付，无可追缴的补贴；请以“排除”或“处理”办结",
            message_en="no paid claim line to recover",
            code="nothing_to_recover",
            detail={"field": "lines"},
        )
    strange = [i for i in chosen if i not in candidates]
    if strange:
        raise ValidationError(
            "所选补贴明细不属于本案线索涉及的已拨付申领",
            message_en="a line is not of the case's paid claims",
            detail={"field": "lines", "lines": strange[:20]},
        )
    done = case_selectors.lines_recovered_elsewhere(case=case, line_ids=chosen)
    if done:
        raise ValidationError(
            "所选补贴明细已由其他核查案件追缴：" + "、".join(sorted(set(done.values()))),
            message_en="a line was recovered by another case",
            code="recovered_twice",
            detail={"field": "lines", "lines": sorted(done)},
        )
    by_claim: dict[int, Decimal] = defaultdict(Decimal)
    for i in chosen:
        by_claim[candidates[i].claim_id] += candidates[i].amount
    reason = f"核查案件{case.number}：{conclusion}"[:200]
    for claim_id, amount in sorted(by_claim.items()):
        left = case_selectors.unrecovered(claim_id=claim_id)
        if left > 0:
            rec = subsidy.recovery_ordered(
                actor=actor, claim_id=claim_id, amount=min(amount, left), reason=reason
            )
            case.recoveries.add(rec)
        else:  # recovered in full already (by finance): the case links what was done
            case.recoveries.add(*case_selectors.recoveries_of(claim_id=claim_id))
    case.recovered_lines.add(*chosen)
    total = ClaimLine.objects.filter(pk__in=chosen).aggregate(s=Sum("amount"))["s"]
    audit.record(
        actor=actor,
        action="case.recovery",
        obj=case,
        after={"lines": chosen, "claims": sorted(by_claim), "amount": str(total)},
    )


def _sanction(
    actor: User,
    case: Case,
    findings: list[Finding],
    kind: str,
    institution_id: int | None,
    conclusion: str,
) -> None:
    check_choice(kind, Sanction.Kind, field="sanction_kind", label="处理类型")
    allowed = {f.institution_id for f in findings if f.institution_id is not None}
    if institution_id is None and len(allowed) == 1:
        institution_id = next(iter(allowed))
    if institution_id not in allowed:
        raise ValidationError(
            "被处理的机构须为本案线索涉及的培训机构",
            message_en="the institution is not one of the case's findings",
            detail={"field": "institution"},
        )
    s = registry.sanction_create(
        actor=actor,
        institution_id=institution_id,
        kind=kind,
        starts_on=clock.today(),
        reason=f"核查案件{case.number}：{conclusion}",
    )
    case.sanctions.add(s)
    audit.record(
        actor=actor,
        action="case.sanction",
        obj=case,
        after={"sanction": s.pk, "kind": kind, "institution": institution_id},
    )
