"""The audit's parameters, read from the policy (online.*), never literals in code.

One set of values applies to one audit run: the values in force on ``at``. When no date
is given, the audit takes the span of the data (first to last event day) and requires
one version of every parameter to cover it all; data spanning a policy change must be
audited per period (``--at`` or split input), so that no segment is judged by the
wrong year's numbers silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from chizheng.core.errors import DomainError
from chizheng.rules import params

NAMES: tuple[str, ...] = (
    "online.segment_gap_s",
    "online.max_rate",
    "online.tolerance_s",
    "online.popup_max_gap_s",
    "online.face_grace_s",
    "online.class_hour_s",
)


class PolicySpanError(DomainError):
    code = "online_policy_span"
    http_status = 422


@dataclass(frozen=True)
class AuditParams:
    segment_gap_s: int
    max_rate: Decimal
    tolerance_s: int
    popup_max_gap_s: int
    face_grace_s: int
    class_hour_s: int
    at: dt.date

    @property
    def segment_gap_ms(self) -> int:
        return self.segment_gap_s * 1000

    @property
    def popup_max_gap_ms(self) -> int:
        return self.popup_max_gap_s * 1000

    @property
    def face_grace_ms(self) -> int:
        return self.face_grace_s * 1000

    @property
    def class_hour_ms(self) -> int:
        return self.class_hour_s * 1000


def at(day: dt.date, policy: params.Policy | None = None) -> AuditParams:
    p = policy or params.current()
    return AuditParams(
        segment_gap_s=int(p.value("online.segment_gap_s", day)),
        max_rate=Decimal(p.value("online.max_rate", day)),
        tolerance_s=int(p.value("online.tolerance_s", day)),
        popup_max_gap_s=int(p.value("online.popup_max_gap_s", day)),
        face_grace_s=int(p.value("online.face_grace_s", day)),
        class_hour_s=int(p.value("online.class_hour_s", day)),
        at=day,
    )


def for_span(first: dt.date, last: dt.date, policy: params.Policy | None = None) -> AuditParams:
    """The parameters covering every day from ``first`` to ``last``, or ``PolicySpanError``."""
    p = policy or params.current()
    changed = [n for n in NAMES if p.version(n, first) is not p.version(n, last)]
    if changed:
        raise PolicySpanError(
            f"数据时间跨度 {first} 至 {last} 内以下参数有调整：{'、'.join(changed)}；"
            "请按政策期间分别审计（--at 指定日期或拆分数据）",
            message_en=f"parameters {', '.join(changed)} change between {first} and {last}; "
            "audit each policy period separately",
            detail={"first": first.isoformat(), "last": last.isoformat(), "parameters": changed},
        )
    return at(first, p)
