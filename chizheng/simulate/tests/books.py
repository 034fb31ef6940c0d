"""The books of a simulated year: every invariant holds but the one the planted unredeemed
voucher breaks (``record_plants.voucher_reversed``) — the books' own check reports that
voucher, and nothing else."""

from __future__ import annotations

from chizheng.books import checks
from chizheng.simulate.models import Planted


def broken_but_planted() -> list[str]:
    """The codes of the broken invariants, less ``voucher_redeemed`` when every example it
    gives names a planted voucher (the empty list when the books are as planted)."""
    vouchers = [
        str(s["label"])
        for p in Planted.objects.filter(kind=Planted.Kind.VOUCHER_NOT_REDEEMED)
        for s in p.subjects
        if s["kind"] == "voucher"
    ]
    out = []
    for r in checks.run():
        if r.ok:
            continue
        planted = vouchers and all(any(v in b for v in vouchers) for b in r.broken)
        if r.code == "voucher_redeemed" and planted:
            continue
        out.append(r.code)
    return out
