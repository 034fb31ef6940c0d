"""One pager for every list: page numbers around the current one and at the ends, links
that keep the list's filters, a box to jump to a page; a page that is not a number is
page 1, never an error (issue 16, item 4)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from chizheng.accounts.models import Role, User
from chizheng.web.templatetags.pager import numbers


def test_numbers_keep_the_ends_and_the_neighbours_and_mark_the_gaps() -> None:
    assert numbers(1, 1) == [1]
    assert numbers(1, 5) == [1, 2, 3, 4, 5]
    assert numbers(5, 968) == [1, 2, 3, 4, 5, 6, 7, None, 968]  # one page left out is shown
    assert numbers(50, 968) == [1, None, 48, 49, 50, 51, 52, None, 968]
    assert numbers(968, 968) == [1, None, 966, 967, 968]
    assert numbers(4, 9) == [1, 2, 3, 4, 5, 6, None, 9]


@pytest.mark.django_db
def test_a_long_list_links_its_pages_with_its_filters(
    occupations: None, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    page = client.get("/registry/occupations/?q=工&page=3").content.decode()
    pager = re.search(r'<nav class="pager".*?</nav>', page, re.S)
    assert pager is not None
    nav = pager.group(0)
    assert 'aria-current="page" class="current">3<' in nav
    links = re.findall(r'href="([^"]+)"', nav)
    assert links and all("q=%E5%B7%A5" in link for link in links)
    assert '<input type="hidden" name="q" value="工">' in nav  # the jump keeps the search
    assert client.get("/registry/occupations/?q=工&page=abc").status_code == 200


@pytest.mark.django_db
def test_the_class_list_takes_a_page_that_is_not_a_number(
    make_user: Callable[..., User],
) -> None:
    client = Client()
    client.force_login(make_user(Role.PROGRAMME_OFFICE))
    assert client.get("/classes/?page=abc").status_code == 200
    assert client.get("/classes/?page=-3").status_code == 200
