"""How a model reaches its owners, declared once per model as ``access_scope``.

Each field is a Django lookup path from the model to the owner (``"county"``,
``"training_class__institution"`` …), or several paths of which any may match (a class is seen by
the institution that runs it and by the evaluation institution that assesses it); ``None``
means that kind of actor never sees the model.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Scope:
    city: Path = None
    county: Path = None
    department: Path = None
    institution: Path = None
    person: Path = None
    # Reference data (counties, departments, occupations): every signed-in user reads all.
    reference: bool = False
