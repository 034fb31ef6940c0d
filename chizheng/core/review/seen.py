"""What a reviewer saw, and the refusal of a review made stale by someone else.

A review request names the step it acts on (level, 初审/复核) and the version of the object
its reviewer had in front of him. The service compares both with the object under its row
lock: if another reviewer completed a step, or anything else changed in between, the request
is refused (``stale_review``) instead of completing a step its reviewer never saw. The
reviewed models (a class application, a subsidy claim) are ``Versioned`` (``.models``):
every save moves their version, and so does every status change (``core.workflow`` saves
the object).
"""

from __future__ import annotations

from dataclasses import dataclass

from chizheng.core.errors import DomainError


@dataclass(frozen=True)
class Seen:
    """The step a review request acts on and the version its reviewer saw."""

    level: str
    step: str
    version: int


class StaleReview(DomainError):
    code = "stale_review"
    http_status = 409


def check_seen(seen: Seen, *, level: str, step: str, version: int, pending: str, what: str) -> None:
    """Refuse unless the request saw this version and names the pending step (``pending``:
    its Chinese name, e.g. 行业主管部门初审; ``what``: 申请, 申领)."""
    detail = {
        "seen_version": seen.version,
        "version": version,
        "seen_step": {"level": seen.level, "step": seen.step},
        "step": {"level": level, "step": step},
    }
    if seen.version != version:
        raise StaleReview(
            f"您打开页面之后，该{what}已有变化（当前待办：{pending}），本次审核未提交。"
            "请刷新页面，查看最新情况后再审核",
            message_en=f"the {what} changed since you opened it (version {seen.version} → "
            f"{version}); reload and review again",
            detail=detail,
        )
    if (seen.level, seen.step) != (level, step):
        raise StaleReview(
            f"本次审核针对的不是当前待办的“{pending}”，未提交。请刷新页面后再审核",
            message_en=f"the request names {seen.level}/{seen.step}, the pending step is "
            f"{level}/{step}",
            code="wrong_step",
            detail=detail,
        )
