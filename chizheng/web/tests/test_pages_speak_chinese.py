"""Django's own pages (not found, the admin) speak the system's words (issue 16, item 1)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from chizheng.accounts.models import User

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_chinese(client: Client, make_user) -> None:
    client.force_login(make_user())
    r = client.get("/no-such-page/")
    assert r.status_code == 404
    body = r.content.decode()
    assert "页面不存在" in body and "Not Found" not in body


def test_the_admin_is_titled_in_the_systems_words(client: Client) -> None:
    admin = User.objects.create_superuser("root", password="a-long-enough-passw0rd!")
    client.force_login(admin)
    body = client.get("/admin/").content.decode()
    assert "持证 · 系统管理" in body and "Django" not in re.sub(r"<[^>]+>", " ", body)
