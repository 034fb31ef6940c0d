"""Journey (issue 16): the institution puts the session's sign-in code on its screen; a
trainee scans it with his phone (412×915), takes a selfie and is signed in, and sees his
hours; the same code opened two minutes later is refused as expired; at the end of the class
the survey's code on the screen takes him to the survey, which he answers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, ViewportSize, expect

from chizheng.accounts.models import Role
from chizheng.core import clock
from chizheng.training import services as training
from chizheng.training.tests.conftest import START, build_world
from chizheng.training.tests.test_stills import picture

from .conftest import PASSWORD, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 412, "height": 915}
AT = timezone.make_aware(dt.datetime(START.year, START.month, START.day, 9, 0, 5))


def test_a_trainee_signs_in_by_scanning_the_screens_code(
    live_server, page: Page, browser: Browser, make_user, city
) -> None:
    base = live_server.url
    with clock.freeze(dt.date(2022, 5, 20)):
        w = build_world(make_user)
        training_class = w.approved()
    with clock.freeze(START):
        training.class_start(actor=w.applicant, class_id=training_class.pk)
        session = training.session_add(
            actor=w.applicant,
            class_id=training_class.pk,
            held_on=START,
            kind="theory",
            class_hours=4,
            minutes=180,
            recorded_minutes=180,
        )
    trainee = make_user(Role.WORKER, person=w.people[0])

    with clock.freeze(AT):
        login(page, base, w.applicant.username)
        page.goto(f"{base}/classes/{training_class.pk}/")
        page.get_by_test_id(f"sign-in-code-{session.pk}").click()
        shown = page.get_by_test_id("sign-in-qr")
        expect(shown.locator("svg")).to_be_visible()
        url = shown.get_attribute("data-url")
        assert url and f"/classes/sessions/{session.pk}/sign-in/?w=" in url
        # what the phone's camera reads off the screen is that address
        drawn = Image.open(io.BytesIO(shown.locator("svg").screenshot()))
        (code,) = zxingcpp.read_barcodes(drawn)
        assert code.text == url
        shot(page, "screen-sign-in-code")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    mobile = phone.new_page()
    login(mobile, base, trainee.username, PASSWORD)
    with clock.freeze(AT + dt.timedelta(seconds=20)):
        mobile.goto(url)
        mobile.get_by_label("拍一张自拍照（留作签到凭证）").set_input_files(
            {"name": "selfie.jpg", "mimeType": "image/jpeg", "buffer": picture(5)}
        )
        mobile.get_by_role("button", name="签到", exact=True).click()
        expect(mobile.get_by_test_id("signed-in")).to_contain_text("签到成功")
        expect(mobile.get_by_test_id(f"my-attendance-{training_class.pk}")).to_contain_text(
            "已签到 4 课时"
        )
        assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(mobile, "phone-signed-in")
        mobile.get_by_role("link", name="返回我的首页").click()
        expect(mobile.get_by_test_id(f"my-attendance-{training_class.pk}")).to_contain_text(
            "已签到 4/"
        )
    with clock.freeze(AT + dt.timedelta(minutes=2)):  # a screenshot passed on, opened later
        mobile.goto(url)
        expect(mobile.get_by_test_id("sign-in-error")).to_contain_text("已过期")
        shot(mobile, "phone-sign-in-expired")
    # the end of the class: the survey's code on the screen, answered on the phone (§19)
    with clock.freeze(AT + dt.timedelta(hours=3)):
        page.goto(f"{base}/classes/{training_class.pk}/")
        page.get_by_test_id("survey-code-link").click()
        survey = page.get_by_test_id("survey-qr").get_attribute("data-url")
        assert survey and survey.endswith(f"/classes/{training_class.pk}/survey/")
        mobile.goto(survey)
        mobile.get_by_label("满意", exact=True).check()
        mobile.get_by_role("button", name="提交").click()
        expect(mobile.get_by_test_id("survey-done")).to_be_visible()
        shot(mobile, "phone-survey-done")
    phone.close()
