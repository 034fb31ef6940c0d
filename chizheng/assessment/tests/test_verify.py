"""证书查验 (issue 16): the number and the holder's name, or the QR code's number and keyed
check, show the certificate with the name masked; anything else finds nothing, the same way;
no sign-in; nothing personal leaks."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from chizheng.assessment import verification
from chizheng.assessment.models import Certificate
from chizheng.assessment.services import certificate_record
from chizheng.core import clock, qr, rate_limit
from chizheng.core.models import ClientHit
from chizheng.org.models import County
from chizheng.registry.models import Institution
from chizheng.rules import params

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(make_person: Any, make_institution: Any) -> Certificate:
    holder = make_person(name="王小明")
    evaluator = make_institution(kind=Institution.Kind.EVALUATOR, name="平顶山市职业技能鉴定中心")
    return certificate_record(
        actor=None,
        person=holder,
        occupation_code="6-18-02-05",
        kind="skill_level",
        channel="social",
        issued_on=dt.date(2022, 4, 20),
        county=County.objects.get(code="410402"),
        issuing_institution=evaluator,
        skill_level=4,
    )


def _number(c: Certificate) -> Certificate:
    Certificate.objects.filter(pk=c.pk).update(number="S2022000123004")
    c.refresh_from_db()
    return c


def test_number_and_name_show_the_certificate_masked(certificate: Certificate) -> None:
    c = _number(certificate)
    client = Client()  # nobody signed in
    page = client.post("/verify/", {"number": " S2022000123004 ", "name": "王小明"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="verified"' in text and "王**" in text and "王小明" not in text
    assert "四级/中级工" in text and "平顶山市职业技能鉴定中心" in text and "2022-04-20" in text
    assert c.person.id_masked not in text and "410402" not in text.split("verified")[1][:400]
    assert verification.check_of(c.number) in text  # the QR code's own link is on the page


@pytest.mark.parametrize(
    ("number", "name"),
    [
        ("S2022000123004", "王小"),  # a wrong name
        ("S2022000123005", "王小明"),  # a wrong number
        ("S2022000123004", "王小明 "),  # trimmed: found (control)
    ],
)
def test_any_mismatch_finds_nothing_the_same_way(
    certificate: Certificate, number: str, name: str
) -> None:
    _number(certificate)
    text = Client().post("/verify/", {"number": number, "name": name}).content.decode()
    if name.strip() == "王小明" and number.endswith("004"):
        assert 'data-testid="verified"' in text
    else:
        assert 'data-testid="not-found"' in text and 'data-testid="verified"' not in text
        assert "王**" not in text


@pytest.mark.parametrize(
    ("number", "name", "message"),
    [
        ("", "王小明", "请填写证书编号"),
        ("S1", "", "请填写持证人姓名"),
        ("S" * 61, "王小明", "证书编号不超过 60 个字符"),
        ("S1", "王" * 51, "姓名不超过 50 个字符"),
        ("S1\x00", "王小明", "证书编号"),
        ("S1", "王\x1b小明", "姓名"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(
    certificate: Certificate, number: str, name: str, message: str
) -> None:
    page = Client().post("/verify/", {"number": number, "name": name})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="verify-error"' in text and message in text
    assert 'data-testid="verified"' not in text


def test_the_qr_code_opens_the_certificate_and_a_forged_check_does_not(
    certificate: Certificate,
) -> None:
    c = _number(certificate)
    path = verification.verify_path(c)
    assert path == f"/verify/S2022000123004/?k={verification.check_of(c.number)}"
    page = Client().get(path)
    assert page.status_code == 200 and "王**" in page.content.decode()
    assert 'data-testid="verify-form"' not in page.content.decode()
    forged = "0" * verification.CHECK_CHARS
    assert Client().get(f"/verify/S2022000123004/?k={forged}").status_code == 404
    assert Client().get("/verify/S2022000123004/").status_code == 404
    # a check is bound to its number: another certificate's check opens nothing
    assert (
        Client().get(f"/verify/S2022000123005/?k={verification.check_of(c.number)}").status_code
        == 404
    )


def test_the_holder_sees_his_certificates_qr_link_on_his_home(
    certificate: Certificate, make_user: Any
) -> None:
    c = _number(certificate)
    from chizheng.accounts.models import Role

    worker = make_user(Role.WORKER, person=c.person)
    client = Client()
    client.force_login(worker)
    text = client.get("/").content.decode()
    assert (
        verification.verify_path(c).replace("&", "&amp;") in text
        or verification.verify_path(c) in text
    )


@pytest.mark.parametrize(
    "text",
    [
        "https://example.invalid/verify/S1/?k=0123456789abcdef",
        "http://127.0.0.1:8000/verify/" + "S" * 60 + "/?k=" + "f" * 16,
    ],
)
def test_the_qr_svg_reads_back_as_its_text(text: str) -> None:
    """Drawn module by module from the SVG's path, a decoder reads the text back."""
    svg = qr.svg(text)
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    scale = 8
    image = Image.new("L", (side * scale, side * scale), 255)
    for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", svg):
        x0, y0 = int(x) * scale, int(y) * scale
        image.paste(0, (x0, y0, x0 + scale, y0 + scale))
    (code,) = zxingcpp.read_barcodes(image)
    assert code.text == text


def test_the_qr_svg_is_a_square_of_modules_with_a_quiet_zone() -> None:
    svg = qr.svg("https://example.invalid/verify/S1/?k=0123456789abcdef", label="证书查验")
    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))  # type: ignore[union-attr]
    modules = re.findall(r"M(\d+),(\d+)h1v1h-1z", svg)
    assert (side - 2 * qr.QUIET) % 4 == 1  # 21, 25, 29 … modules a side (versions 1–40)
    xs = [int(x) for x, _ in modules]
    assert min(xs) == qr.QUIET and max(xs) == side - qr.QUIET - 1
    assert 'aria-label="证书查验"' in svg
    # the three finder patterns: a 7×7 dark ring at the top-left corner
    dark = {(int(x), int(y)) for x, y in modules}
    q = qr.QUIET
    assert all((q + i, q) in dark and (q, q + i) in dark for i in range(7))
    assert (q + 1, q + 1) not in dark and (q + 2, q + 2) in dark


def test_one_client_checks_at_most_the_policys_lookups_an_hour(certificate: Certificate) -> None:
    """Guessing names or numbers one by one stops at the limit; another address is not
    held back, nor is the certificate's own QR page."""
    _number(certificate)
    limit = params.current().value("assessment.verify_lookups_per_hour", clock.today())
    ask = {"number": "S2022000123005", "name": "王小明"}
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit):
        assert client.post("/verify/", ask).status_code == 200
    refused = client.post("/verify/", {"number": "S2022000123004", "name": "王小明"})
    assert refused.status_code == 429
    text = refused.content.decode()
    assert f"每小时最多查验 {limit} 次" in text and 'data-testid="verified"' not in text
    other = Client(REMOTE_ADDR="203.0.113.8")
    page = other.post("/verify/", {"number": "S2022000123004", "name": "王小明"})
    assert 'data-testid="verified"' in page.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.7").get("/verify/").status_code == 200  # the form


def test_the_limits_window_turns_over() -> None:
    assert rate_limit.allow("k", limit=1, window_seconds=60, now=0)
    assert not rate_limit.allow("k", limit=1, window_seconds=60, now=59)
    assert rate_limit.allow("k", limit=1, window_seconds=60, now=60)
    assert rate_limit.allow("k", limit=1, window_seconds=60, now=200)  # and old ones go
    assert ClientHit.objects.count() == 1
