"""The demo: `chizheng demo --no-serve` prepares everything, and running it twice changes nothing."""

import dataclasses
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.books import checks
from chizheng.cli import ensure_local_env
from chizheng.demo import simulate as demo_simulate
from chizheng.org.models import County
from chizheng.registry.models import Institution, Person
from chizheng.simulate.tests.books import broken_but_planted

pytestmark = pytest.mark.django_db


def test_demo_no_serve_prints_logins_and_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    # the simulated slice, two units of it: its own tests cover the rest (chizheng/simulate)
    monkeypatch.setattr(
        demo_simulate,
        "SCALE",
        dataclasses.replace(
            demo_simulate.SCALE, classes_per_county=12, counties=("410402", "410425")
        ),
    )
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "演示账号（密码均为 Chizheng@2022）" in text
    assert "city" in text and "xinhua" in text
    # the survey's respondents have no password: they are not offered as logins
    respondents = User.objects.filter(username__startswith="xy")
    assert respondents.exists() and not any(u.has_usable_password() for u in respondents)
    assert not any(line.strip().startswith("xy") for line in text.splitlines())
    counts = (User.objects.count(), Institution.objects.count(), Person.objects.count())
    assert County.objects.count() == 12
    assert counts[0] >= 13 and counts[2] >= 600
    call_command("demo", "--no-serve", stdout=StringIO())
    assert (User.objects.count(), Institution.objects.count(), Person.objects.count()) == counts
    # the supervision scan ran once over the demo's year: its findings page is not empty
    from chizheng.supervision.models import Finding

    assert Finding.objects.filter(year=2022).exists()
    # the demo's books balance: every invariant across areas holds (chizheng check-books)
    # but the one the simulation's planted unredeemed voucher breaks, which names it
    from chizheng.simulate.models import Planted

    books = StringIO()
    planted = Planted.objects.filter(kind=Planted.Kind.VOUCHER_NOT_REDEEMED).exists()
    try:
        call_command("check_books", stdout=books)  # exits 1 if any is broken
        exited = False
    except SystemExit:
        exited = True
    assert exited == planted
    assert books.getvalue().count("✓") == len(checks.CHECKS) - planted
    assert broken_but_planted() == []


def test_demo_users_can_sign_in() -> None:
    demo.build(people=5, areas=())
    assert User.objects.get(username="city").check_password(demo.PASSWORD)


def test_local_env_is_generated_once(tmp_path: Path) -> None:
    path = ensure_local_env(tmp_path)
    first = path.read_text()
    assert "CHIZHENG_DATA_KEY=" in first and "CHIZHENG_SECRET_KEY=" in first
    assert "CHIZHENG_TODAY=2022-05-10" in first
    ensure_local_env(tmp_path)
    assert path.read_text() == first
    path.write_text("CHIZHENG_SECRET_KEY=kept\n")
    ensure_local_env(tmp_path)
    kept = path.read_text()
    assert kept.startswith("CHIZHENG_SECRET_KEY=kept\n") and kept.count("CHIZHENG_SECRET_KEY") == 1
    assert "CHIZHENG_DATA_KEY=" in kept
    assert oct(path.stat().st_mode)[-3:] == "600"


def test_demo_hands_over_to_the_production_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` serves through `chizheng serve` (gunicorn), never runserver."""
    from chizheng.web import server

    started: list[server.Options] = []
    real_build = demo.build
    monkeypatch.setattr(demo, "build", lambda: real_build(people=5, areas=()))
    monkeypatch.setattr(server, "collect_static", lambda: False)
    monkeypatch.setattr(server, "serve", started.append)
    out = StringIO()
    call_command("demo", "--port", "18123", stdout=out)
    assert [(o.host, o.port, o.workers) for o in started] == [("127.0.0.1", 18123, 2)]
    assert "网站地址：http://127.0.0.1:18123/" in out.getvalue()
