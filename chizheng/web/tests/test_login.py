"""Sign-in with throttling, the home page of each role, the language switch."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from chizheng.accounts.models import Role

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith(reverse("web:login"))


def test_login_then_home_shows_the_role(client: Client, make_user, make_institution) -> None:
    make_institution("410402")
    user = make_user(Role.PROGRAMME_OFFICE)
    r = client.post(reverse("web:login"), {"username": user.username, "password": "pw-Test-12345"})
    assert r.status_code == 302
    page = client.get("/").content.decode()
    assert "市人社局（领导小组办公室）" in page
    assert 'data-testid="count-institutions">1<' in page


def test_home_counts_are_scoped(client: Client, make_user, make_institution, county) -> None:
    make_institution("410402")
    make_institution("410482")
    make_institution("410482")
    user = make_user(Role.COUNTY_HR, county=county("410482"))
    client.force_login(user)
    page = client.get("/").content.decode()
    assert 'data-testid="count-institutions">2<' in page
    assert "汝州市" in page


def test_wrong_password_is_refused_in_chinese(client: Client, make_user) -> None:
    user = make_user()
    r = client.post(reverse("web:login"), {"username": user.username, "password": "nope"})
    assert r.status_code == 401
    assert "用户名或密码错误" in r.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_repeated_failures_lock_the_login(client: Client, make_user) -> None:
    user = make_user()
    for _ in range(3):
        client.post(reverse("web:login"), {"username": user.username, "password": "nope"})
    r = client.post(reverse("web:login"), {"username": user.username, "password": "pw-Test-12345"})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()


def test_passwords_are_hashed_with_argon2(make_user) -> None:
    from django.contrib.auth.hashers import make_password

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        assert make_password("secret-Pass-1").startswith("argon2")


def test_english_is_available(client: Client, make_user) -> None:
    client.force_login(make_user())
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Workbench" in page


def test_chinese_is_the_default(client: Client) -> None:
    page = client.get(reverse("web:login")).content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client: Client) -> None:
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in page and "Sign in" in page


def test_the_login_page_links_the_public_pages_which_open_without_sign_in(
    client: Client,
) -> None:
    page = client.get(reverse("web:login")).content.decode()
    links = re.findall(r'data-testid="public-links".*?</section>', page, re.S)
    assert links
    hrefs = re.findall(r'href="([^"]+)"', links[0])
    assert len(hrefs) == 4 and "/verify/" in hrefs  # notices, blacklist, catalogs, 证书查验
    assert "/registry/public/catalog/" in hrefs
    for href in hrefs:
        assert Client().get(href).status_code == 200
