"""Journey (issue 16): a trainee on his phone opens his certificate's verification page from
his home; an employer, signed in nowhere, scans the QR code (the link it carries) and then
checks the certificate by its number and the holder's name, and sees the name masked."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, ViewportSize, expect

from chizheng import demo
from chizheng.accounts.models import User
from chizheng.assessment.models import Certificate

from .conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 412, "height": 915}


def test_a_trainee_shows_his_certificate_and_the_public_verifies_it(
    live_server, browser: Browser
) -> None:
    demo.build(people=30, areas=("registry", "plan", "training"))
    holder = User.objects.get(username="xueyuan").person
    assert holder is not None
    cert = Certificate.objects.filter(person=holder).exclude(number="").order_by("id").first()
    assert cert is not None

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("xueyuan")
    page.get_by_label("密码").fill(demo.PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_test_id("home-title").wait_for()
    # his home fits the phone: his tables are cards, nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-trainee-home")
    page.get_by_test_id(f"verify-link-{cert.pk}").click()
    card = page.get_by_test_id("verified")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("verified-number")).to_have_text(cert.number)
    masked = holder.name[0] + "*" * (len(holder.name) - 1)
    expect(page.get_by_test_id("verified-holder")).to_have_text(masked)
    expect(page.get_by_test_id("verify-qr").locator("svg")).to_be_visible()
    # the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-certificate-verify")
    link = page.get_by_test_id("verify-link").get_attribute("href")
    assert link and re.fullmatch(r"/verify/[^/]+/\?k=[0-9a-f]{16}", link)
    # the QR code as Chromium draws it reads back as this page's own address
    drawn = Image.open(io.BytesIO(page.get_by_test_id("verify-qr").locator("svg").screenshot()))
    (code,) = zxingcpp.read_barcodes(drawn)
    assert code.text == f"{live_server.url}{link}"
    phone.close()

    public = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True)
    page = public.new_page()
    page.goto(f"{live_server.url}{link}")  # what the QR code opens
    expect(page.get_by_test_id("verified-holder")).to_have_text(masked)
    expect(page.get_by_text(holder.name, exact=True)).to_have_count(0)
    page.goto(f"{live_server.url}/login/")
    page.get_by_test_id("public-links").get_by_role("link", name="证书查验").click()
    page.get_by_label("证书编号").fill(cert.number)
    page.get_by_label("持证人姓名").fill(holder.name[:1] + "某")
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("not-found")).to_be_visible()
    page.get_by_label("持证人姓名").fill(holder.name)
    page.get_by_role("button", name="查验").click()
    expect(page.get_by_test_id("verified-holder")).to_have_text(masked)
    shot(page, "public-certificate-verify")
    public.close()
