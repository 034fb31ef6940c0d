"""Registry pages, under /registry/: thin views over the selectors (reads) and services
(writes), one module per part of the registry:

- ``lists``: the lists of every registry table, their filters and Excel exports;
- ``occupations``: an entry of the occupational classification;
- ``institutions``: an institution's page, its form, its filing and catalog decisions,
  evaluation scopes and catalog entries;
- ``staff``: teachers and sites (with their workstations);
- ``people``: people and rosters;
- ``sanctions``: sanctions, their lifting, and the public blacklist;
- ``uploads``: the import of registry files and its templates.

``common`` holds what they share (the actor, downloads, running a service for a form).
"""
