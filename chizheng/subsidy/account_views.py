"""The page that shows an individual claim's full bank account once, to the city's finance
bureau that pays it (``services.individual_claim_reveal_account``, audited): the answer to
the claim page's form, never stored, cached or listed (ADR 0006)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chizheng.accounts.models import User
from chizheng.core.errors import ValidationError

from . import services


@login_required
@require_POST
@never_cache
def reveal_account(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Refused: 403 (not finance), 404 (not his city's, or not an individual claim); a
    missing reason or a claim not yet at finance: back to the claim page with the message."""
    actor = request.user
    assert isinstance(actor, User)
    try:
        account = services.individual_claim_reveal_account(
            actor=actor, claim_id=claim_id, reason=request.POST.get("reason", "")
        )
    except ValidationError as e:
        messages.error(request, e.message)
        return redirect("subsidy:detail", claim_id=claim_id)
    return render(
        request, "subsidy/account_reveal.html", {"claim_id": claim_id, "account": account}
    )
