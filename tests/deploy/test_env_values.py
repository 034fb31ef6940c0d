"""The deployment settings read from the environment, and their refusals (config/env.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", []),
        ("127.0.0.1", ["127.0.0.1"]),
        (" 10.0.0.0/24 , ::1,192.168.1.5 ", ["10.0.0.0/24", "::1", "192.168.1.5"]),
        ("fd00::/8", ["fd00::/8"]),
    ],
)
def test_trusted_proxies_are_addresses_or_networks(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: list[str]
) -> None:
    monkeypatch.setenv("CHIZHENG_TRUSTED_PROXIES", raw)
    assert env.get_networks("CHIZHENG_TRUSTED_PROXIES") == expected


@pytest.mark.parametrize("bad", ["nginx", "10.0.0.300", "10.0.0.1/8", "127.0.0.1;10.0.0.1"])
def test_a_bad_trusted_proxy_stops_the_start(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv("CHIZHENG_TRUSTED_PROXIES", f"127.0.0.1,{bad}")
    with pytest.raises(ImproperlyConfigured, match="CHIZHENG_TRUSTED_PROXIES") as e:
        env.get_networks("CHIZHENG_TRUSTED_PROXIES")
    assert repr(bad) in str(e.value)


def test_trusted_proxies_setting_is_defined() -> None:
    from django.conf import settings

    assert settings.TRUSTED_PROXIES == []  # nothing trusted unless configured


def test_origins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "https://a.example.gov.cn,http://10.1.2.3:8443")
    assert env.get_origins("X") == ["https://a.example.gov.cn", "http://10.1.2.3:8443"]
    monkeypatch.setenv("X", "a.example.gov.cn")
    with pytest.raises(ImproperlyConfigured, match="not an origin"):
        env.get_origins("X")
    monkeypatch.setenv("X", "https://a.example.gov.cn/login/")
    with pytest.raises(ImproperlyConfigured, match="no path"):
        env.get_origins("X")


def test_proxy_ssl_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "X-Forwarded-Proto")
    assert env.get_proxy_ssl_header("X") == ("HTTP_X_FORWARDED_PROTO", "https")
    monkeypatch.setenv("X", "")
    assert env.get_proxy_ssl_header("X") is None
    monkeypatch.setenv("X", "X-Forwarded-Proto: https")
    with pytest.raises(ImproperlyConfigured, match="not a header name"):
        env.get_proxy_ssl_header("X")


def test_numbers_and_booleans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X", "31536000")
    assert env.get_int("X", 0) == 31536000
    for bad, reason in [("1e9", "not a whole number"), ("-1", "at least 0")]:
        monkeypatch.setenv("X", bad)
        with pytest.raises(ImproperlyConfigured, match=reason):
            env.get_int("X", 0)
    monkeypatch.setenv("X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        env.get_bool("X", default=False)
