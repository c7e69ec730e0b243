"""The header's navigation: apps register entries with the core, which shows each user theirs."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from wellbeing import navigation as nav

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """The entries and filters as the apps left them, restored after the test."""
    entries, filters = list(nav._entries), list(nav._filters)
    yield
    nav._entries[:] = entries
    nav._filters[:] = filters


def _items(user, path: str = "/") -> list[dict]:
    request = RequestFactory().get(path)
    request.user = user
    return nav.navigation(request)["nav_items"]


def test_entries_stand_in_their_order_and_registering_a_label_again_replaces_it(registry, member):
    nav.register(nav.NavEntry("Zeta", 5, lambda user: "/zeta/"))
    nav.register(nav.NavEntry("Zeta", 6, lambda user: "/zeta-again/"))
    labels = [item["label"] for item in _items(member)]
    assert labels.count("Zeta") == 1
    assert labels.index("Home") < labels.index("Zeta") < labels.index("Your account")
    (zeta,) = [item for item in _items(member) if item["label"] == "Zeta"]
    assert zeta["url"] == "/zeta-again/"


def test_an_entry_whose_link_is_none_is_not_shown(registry, member):
    nav.register(nav.NavEntry("Only for some", 5, lambda user: None))
    assert "Only for some" not in [item["label"] for item in _items(member)]


def test_the_longest_section_the_page_is_under_is_the_current_one(registry, member):
    nav.register(nav.NavEntry("Things", 5, lambda user: "/things/"))
    nav.register(nav.NavEntry("Thing parts", 6, lambda user: "/things/parts/"))
    current = [item["label"] for item in _items(member, "/things/parts/7/") if item["current"]]
    assert current == ["Thing parts"]
    current = [item["label"] for item in _items(member, "/things/7/") if item["current"]]
    assert current == ["Things"]


def test_a_filter_narrows_what_a_request_shows(registry, member):
    nav.register_filter(lambda request, entries: [e for e in entries if e.label == "Home"])
    assert [item["label"] for item in _items(member)] == ["Home"]
