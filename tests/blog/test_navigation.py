"""The blog is the one part of the product readers use without signing in: the header offers
it to them, and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from wellbeing.navigation import NavEntry, navigation, register

pytestmark = pytest.mark.django_db


def _labels(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    return [item["label"] for item in navigation(request)["nav_items"]]


def test_readers_who_are_not_signed_in_see_only_the_public_entries():
    assert _labels(AnonymousUser()) == ["Blog"]


def test_signed_in_people_see_the_blog_among_their_entries(member):
    labels = _labels(member)
    assert "Blog" in labels
    assert "Teams" in labels


def test_entries_are_for_signed_in_people_unless_they_say_otherwise():
    called = []
    register(NavEntry("Private thing", 999, lambda user: called.append(user) or "/private/"))
    try:
        assert "Private thing" not in _labels(AnonymousUser())
        assert called == []  # its link was never asked for an anonymous reader
    finally:
        from wellbeing import navigation as nav

        nav._entries[:] = [e for e in nav._entries if e.label != "Private thing"]
