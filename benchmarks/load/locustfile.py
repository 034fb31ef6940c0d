"""The role journeys of the load test (``benchmarks/load_test.py`` runs this with locust).

Each simulated user signs in once as one of the demo's accounts, in turn, and then walks
that role's pages — the lists, a detail page found on them, the queue, the dashboard —
with a pause between pages, as an official at work would. Pages are grouped by their route
(``/classes/<id>/``), so the report has one line per kind of page. A response is a failure
when it is not 200 or when it is the sign-in page (the session was lost).
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable

from locust import HttpUser, between, task
from locust.clients import HttpSession

PASSWORD = "Chizheng@2022"  # noqa: S105 - every demo account's (chizheng.demo.PASSWORD)

# What each role opens, in order: (route name, path or a function of the user that finds one).
Step = tuple[str, "str | Callable[[RoleUser], str | None]"]

CLASS_LINK = re.compile(r'href="(/classes/(\d+)/)"')
CLAIM_LINK = re.compile(r'href="(/subsidy/claims/(\d+)/)"')
PERSON_LINK = re.compile(r'href="(/registry/people/(\d+)/)"')
INSTITUTION_LINK = re.compile(r'href="(/registry/institutions/(\d+)/)"')


def _first(page: str, pattern: re.Pattern[str]) -> str | None:
    m = pattern.search(page)
    return m.group(1) if m else None


def found_on(list_path: str, pattern: re.Pattern[str]) -> Callable[[RoleUser], str | None]:
    """The first detail link of a list page the user opened (remembered per user)."""

    def find(user: RoleUser) -> str | None:
        if list_path not in user.seen:
            r = user.client.get(list_path, name=list_path)
            user.seen[list_path] = r.text if r.status_code == 200 else ""
        return _first(user.seen[list_path], pattern)

    return find


OFFICE: list[Step] = [
    ("/", "/"),
    ("/registry/", "/registry/"),
    ("/registry/people/", "/registry/people/"),
    ("/registry/people/<id>/", found_on("/registry/people/", PERSON_LINK)),
    ("/registry/institutions/<id>/", found_on("/registry/", INSTITUTION_LINK)),
    ("/classes/", "/classes/"),
    ("/classes/queue/", "/classes/queue/"),
    ("/classes/<id>/", found_on("/classes/", CLASS_LINK)),
    ("/plan/", "/plan/"),
    ("/subsidy/", "/subsidy/"),
    ("/subsidy/claims/<id>/", found_on("/subsidy/", CLAIM_LINK)),
    ("/online/", "/online/"),
    ("/jobs/", "/jobs/"),
]
JOURNEYS: dict[str, list[Step]] = {
    "city": [*OFFICE, ("/subsidy/funds/", "/subsidy/funds/"), ("/calendar/", "/calendar/")],
    "xinhua": OFFICE,
    "ruzhou": OFFICE,
    "leader": [("/", "/"), ("/plan/", "/plan/"), ("/classes/", "/classes/")],
    "miit1": [
        ("/", "/"),
        ("/classes/queue/", "/classes/queue/"),
        ("/classes/", "/classes/"),
        ("/classes/<id>/", found_on("/classes/", CLASS_LINK)),
        ("/subsidy/", "/subsidy/"),
    ],
    "finance": [
        ("/", "/"),
        ("/subsidy/", "/subsidy/"),
        ("/subsidy/claims/<id>/", found_on("/subsidy/", CLAIM_LINK)),
        ("/subsidy/funds/", "/subsidy/funds/"),
        ("/subsidy/bulletin/", "/subsidy/bulletin/"),
    ],
    "inspector": [
        ("/", "/"),
        ("/classes/inspections/", "/classes/inspections/"),
        ("/classes/", "/classes/"),
        ("/classes/<id>/", found_on("/classes/", CLASS_LINK)),
    ],
    "jsxy": [
        ("/", "/"),
        ("/classes/", "/classes/"),
        ("/classes/<id>/", found_on("/classes/", CLASS_LINK)),
        ("/classes/new/", "/classes/new/"),
        ("/subsidy/", "/subsidy/"),
        ("/registry/", "/registry/"),
    ],
    "jdzx": [
        ("/", "/"),
        ("/classes/", "/classes/"),
        ("/classes/<id>/", found_on("/classes/", CLASS_LINK)),
    ],
    "worker": [("/", "/")],
    "xueyuan": [("/", "/")],
}
PUBLIC: list[Step] = [
    ("/healthz", "/healthz"),  # the floor: one query (the report's baseline)
    ("/notices/", "/notices/"),
    ("/registry/public/blacklist/", "/registry/public/blacklist/"),
]

_accounts = itertools.cycle(JOURNEYS)
_lock = threading.Lock()


def _sign_in(client: HttpSession, username: str) -> None:
    client.get("/login/", name="/login/")
    token = client.cookies.get("csrftoken", "")
    with client.post(
        "/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{client.base_url}/login/"},
        name="/login/ (POST)",
        catch_response=True,
    ) as r:
        if r.status_code != 200 or r.url.rstrip("/").endswith("/login"):
            r.failure(f"sign-in as {username} failed: {r.status_code}")


class RoleUser(HttpUser):
    wait_time = between(1, 3)  # seconds between two pages

    def on_start(self) -> None:
        with _lock:
            self.username = next(_accounts)
        self.seen: dict[str, str] = {}
        self.steps = itertools.cycle([*JOURNEYS[self.username], *PUBLIC])
        _sign_in(self.client, self.username)

    @task
    def next_page(self) -> None:
        name, where = next(self.steps)
        path = where if isinstance(where, str) else where(self)
        if path is None:  # nothing of that kind in his scope: the list was opened instead
            return
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:  # 0: no answer at all; the error says why
                r.failure(f"{r.status_code} {r.error or ''}".strip())
            elif "/login/" in r.url and not path.startswith("/login"):
                r.failure("signed out")
