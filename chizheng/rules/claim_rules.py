"""Rules on a subsidy claim's timeline (§21): industry review within 10 working days,
public notice at least 5 working days, HR and finance within 15 working days each.

Pure Python. Days are counted on the Chinese working-day calendar the policy snapshot carries
(``PolicyAt.calendar``: the one with the office's overrides), or the default one.
"""

from __future__ import annotations

import datetime as dt

from . import workdays
from .decision import Decision, RuleSpec, rule
from .facts import Claim
from .params import PolicyAt


def _cal(at: PolicyAt) -> workdays.WorkdayCalendar:
    return at.calendar or workdays.default()


def _within(
    spec: RuleSpec,
    at: PolicyAt,
    c: Claim,
    param: str,
    step: str,
    step_en: str,
    start: dt.date | None,
    done: dt.date | None,
) -> Decision | None:
    if start is None:
        return None  # the step has not begun
    limit: int = at[param]
    cal = _cal(at)
    end = done or c.as_of
    used = cal.count(start, end)
    due = cal.add(start, limit)
    ok = used <= limit
    state, state_en = ("已办结", "done") if done else ("尚未办结", "still open")
    op = "≤" if ok else ">"
    return spec.decide(
        at,
        ok=ok,
        subject=f"claim of class {c.class_ref}",
        compared=f"{step}{state}，用时 {used} 个工作日 {op} {limit}（{start} 起，应于 {due} 前）",
        compared_en=f"{step_en} {state_en}: {used} working days {op} {limit} (from {start}, due {due})",
        remedy=f"{step}已超期，请尽快办结并说明原因",
        remedy_en=f"{step_en} is overdue: finish it and record why",
        values={"from": start, "until": end, "working_days": used, "limit": limit, "due": due},
    )


@rule(
    "claim.industry_review",
    subject="claim",
    clause="§21",
    title="主管部门受理审核时限",
    title_en="Industry review deadline",
    parameters=("deadlines.industry_review_working_days",),
)
def industry_review(c: Claim, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    return _within(
        spec,
        at,
        c,
        "deadlines.industry_review_working_days",
        "行业主管部门审核",
        "industry review",
        c.submitted_on,
        c.industry_reviewed_on,
    )


@rule(
    "claim.hr_review",
    subject="claim",
    clause="§21",
    title="人社部门办理时限",
    title_en="HR review deadline",
    parameters=("deadlines.hr_review_working_days",),
)
def hr_review(c: Claim, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    return _within(
        spec,
        at,
        c,
        "deadlines.hr_review_working_days",
        "人社部门审核",
        "HR review",
        c.hr_received_on,
        c.hr_done_on,
    )


@rule(
    "claim.finance_review",
    subject="claim",
    clause="§21",
    title="财政部门办理时限",
    title_en="Finance review deadline",
    parameters=("deadlines.finance_review_working_days",),
)
def finance_review(c: Claim, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    return _within(
        spec,
        at,
        c,
        "deadlines.finance_review_working_days",
        "财政部门审核",
        "finance review",
        c.finance_received_on,
        c.finance_done_on,
    )


@rule(
    "claim.public_notice",
    subject="claim",
    clause="§21",
    title="官网公示最短期限",
    title_en="Minimum public notice",
    parameters=("deadlines.public_notice_min_working_days",),
)
def public_notice(c: Claim, at: PolicyAt, spec: RuleSpec) -> Decision | None:
    if c.notice_from is None:
        return None
    need: int = at["deadlines.public_notice_min_working_days"]
    cal = _cal(at)
    earliest_end = cal.window(c.notice_from, need)
    end = c.notice_until
    if end is None:
        # Still posted: it is short only if someone moves on before the window closes.
        ok, warn = True, c.as_of < earliest_end
        zh = f"公示自 {c.notice_from} 起，最早 {earliest_end} 期满"
        en = f"notice open since {c.notice_from}; runs at least until {earliest_end}"
    else:
        ok, warn = end >= earliest_end, False
        op = "≥" if ok else "<"
        zh = f"公示 {c.notice_from}–{end}，截止日 {op} {earliest_end}（{need} 个工作日）"
        en = f"notice {c.notice_from}–{end}: end {op} {earliest_end} ({need} working days)"
    step_open = c.hr_received_on is not None and c.hr_received_on <= earliest_end
    if step_open:
        ok = False
        zh += f"；公示期满前（{c.hr_received_on}）已转人社审核"
        en += f"; passed to HR review on {c.hr_received_on}, before the notice ended"
    return spec.decide(
        at,
        ok=ok,
        warn=warn,
        subject=f"claim of class {c.class_ref}",
        compared=zh,
        compared_en=en,
        remedy=f"公示须持续至 {earliest_end}，期满后再进入人社审核",
        remedy_en=f"keep the notice up until {earliest_end}, then pass it to HR review",
        values={
            "notice_from": c.notice_from,
            "notice_until": end,
            "earliest_end": earliest_end,
            "minimum": need,
        },
    )
