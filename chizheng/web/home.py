"""What each role's home page shows (a selector: reads only, scoped by the actor)."""

from __future__ import annotations

from typing import Any

from chizheng.accounts.models import User
from chizheng.core import clock
from chizheng.org.selectors import county_list
from chizheng.registry.selectors import institution_list, person_list


def home_for(*, actor: User) -> dict[str, Any]:
    institutions = institution_list(actor=actor)
    people = person_list(actor=actor)
    return {
        "today": clock.today(),
        "scope_label": actor.get_scope_label() if hasattr(actor, "get_scope_label") else "",
        "counts": {
            "institutions": institutions.count(),
            "people": people.count(),
            "counties": county_list(actor=actor).count(),
        },
        "institutions": institutions[:10],
    }
