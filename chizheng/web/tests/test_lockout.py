"""Finding 2 of issue 11: one sign-in lockout for every way in (/login/, /admin/login/, any
``authenticate`` call), keyed on the real client address behind the trusted proxies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from chizheng.accounts.addresses import client_address
from chizheng.accounts.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Test-12345"  # conftest.make_user's


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    user = make_user(Role.PROGRAMME_OFFICE)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _site(client: Client, user: User, password: str, **meta: Any) -> int:
    r = client.post(reverse("web:login"), {"username": user.username, "password": password}, **meta)
    return r.status_code


def _admin(client: Client, user: User, password: str, **meta: Any) -> int:
    r = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": password, "next": "/admin/"},
        **meta,
    )
    return r.status_code


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_lock_on_the_site_login_also_closes_the_admin_login(client: Client, staff: User) -> None:
    assert [_site(client, staff, "nope") for _ in range(3)] == [401, 401, 429]  # locked at 3
    assert _admin(client, staff, PASSWORD) == 429
    assert not _signed_in(client)
    assert "登录失败次数过多" in client.get("/admin/").content.decode() or not _signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_lock_on_the_admin_login_also_closes_the_site_login(client: Client, staff: User) -> None:
    for _ in range(3):
        _admin(client, staff, "nope")
    r = client.post(reverse("web:login"), {"username": staff.username, "password": PASSWORD})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    assert not _signed_in(client)


@override_settings(LOGIN_MAX_FAILURES=3)
def test_the_admin_lockout_page_says_why_in_chinese(client: Client, staff: User) -> None:
    for _ in range(3):
        _admin(client, staff, "nope")
    r = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()


@override_settings(LOGIN_MAX_FAILURES=3)
def test_a_right_password_before_the_limit_signs_in_and_clears_the_count(
    client: Client, staff: User
) -> None:
    for _ in range(2):
        _site(client, staff, "nope")
    assert _site(client, staff, PASSWORD) == 302
    client.post(reverse("web:logout"))
    for _ in range(2):
        _site(client, staff, "nope")
    assert _site(client, staff, PASSWORD) == 302  # the earlier failures no longer count


@override_settings(LOGIN_MAX_FAILURES=3, TRUSTED_PROXIES=[])
def test_a_spoofed_forwarded_for_from_an_untrusted_address_does_not_dodge_the_lock(
    client: Client, staff: User
) -> None:
    for n in range(3):
        _site(
            client,
            staff,
            "nope",
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    status = _site(
        client, staff, PASSWORD, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert status == 429
    # Another address is another client: not locked out by this one's failures.
    assert _site(Client(), staff, PASSWORD, REMOTE_ADDR="203.0.113.6") == 302


@override_settings(LOGIN_MAX_FAILURES=3, TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(
    client: Client, staff: User
) -> None:
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(3):  # what the client puts left of its own address changes nothing
        _site(client, staff, "nope", **proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 198.51.100.7")
    assert _site(client, staff, PASSWORD, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7") == 429
    assert _admin(client, staff, PASSWORD, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7") == 429
    # Another client behind the same proxy is not locked out.
    other = Client()
    assert _site(other, staff, PASSWORD, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.8") == 302


class _Request:
    def __init__(self, remote: str, forwarded: str | None = None) -> None:
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.7", "203.0.113.5"),  # an untrusted sender's header is ignored
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the right-most untrusted
        ("10.0.0.2", "198.51.100.7, 10.1.2.3", "198.51.100.7"),  # past a second trusted hop
        ("10.0.0.2", "198.51.100.7:5123", "198.51.100.7"),  # a port some proxies add
        ("10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", "10.9.9.9", "10.9.9.9"),  # every hop trusted: the farthest one
        ("10.0.0.2", " , ", "10.0.0.2"),
        ("::ffff:10.0.0.2", "198.51.100.7", "198.51.100.7"),  # IPv4-mapped IPv6 proxy address
    ],
)
def test_client_address(remote: str, forwarded: str | None, expected: str, settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_Request(remote, forwarded)) == expected  # type: ignore[arg-type]


def test_the_trusted_proxies_setting_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from config.env import get_networks

    def networks(raw: str) -> list[str]:
        monkeypatch.setenv("X", raw)
        return get_networks("X")

    assert networks("10.0.0.0/8, 192.0.2.1 ,2001:db8::/32") == [
        "10.0.0.0/8",
        "192.0.2.1",
        "2001:db8::/32",
    ]
    assert networks("") == []
    with pytest.raises(ImproperlyConfigured, match="X"):
        networks("10.0.0.0/33")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.example"):
        networks("proxy.example")
