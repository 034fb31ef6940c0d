"""How a model reaches its owners, declared once per model as ``access_scope``.

Each field is a Django lookup path from the model to the owner (``"county"``,
``"klass__institution"`` …); ``None`` means that kind of actor never sees the model.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    city: str | None = None
    county: str | None = None
    department: str | None = None
    institution: str | None = None
    person: str | None = None
    # Reference data (counties, departments, occupations): every signed-in user reads all.
    reference: bool = False
