"""API of the registries (scoped through the access layer; ID numbers and phones masked),
one module per part, each with its own router mounted here in a fixed order (the order of
the OpenAPI document's paths):

- ``reference``: counties and the occupational classification;
- ``institutions``: institutions, listing and registering them;
- ``sanctions``: sanctions on institutions, imposing and lifting them;
- ``catalog``: the year's catalog (目录清单);
- ``staff``: teachers and sites;
- ``people``: people (masked);
- ``files``: imports of registry files and Excel exports of the lists.
"""

from __future__ import annotations

from ninja import Router

from . import catalog, files, institutions, people, reference, sanctions, staff

router = Router(tags=["registry"])
for part in (reference, institutions, sanctions, catalog, staff, people, files):
    router.add_router("", part.router)
