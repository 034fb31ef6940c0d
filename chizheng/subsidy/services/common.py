"""The claim look-ups the subsidy services share, and the lock order they keep.

Lock order (PostgreSQL), to keep concurrent writers from deadlocking: the claim row first
(``_locked_claim``), then the fund rows of the year in primary-key order, then the class's
vouchers in primary-key order, then (inside ``audit.record``) the audit chain head. Every service that touches a claim and funds takes
them in that order.
"""

from __future__ import annotations

from chizheng.accounts.access import access_by_id
from chizheng.accounts.models import User

from ..models import Claim


def _locked_claim(actor: User, claim_id: int) -> Claim:
    """The claim, visible to the actor, row-locked (first in the lock order)."""
    return access_by_id(actor, Claim.objects.select_for_update(of=("self",)), claim_id)
