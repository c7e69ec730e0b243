from __future__ import annotations

import pytest
from django.core.cache import cache

from blog.caching import blog_changed
from tests.blog.factories import AdvisorProfileFactory
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    """Local-memory caches share one store per process: start each test with it empty, so
    no cached page or rate-limit count is left from another test."""
    cache.clear()


@pytest.fixture
def writer(advisor):
    """The cast's advisor, with a profile to write on the blog."""
    return AdvisorProfileFactory(user=advisor, name="Avi Advisor", slug="avi-advisor")


@pytest.fixture
def other_writer(db):
    return AdvisorProfileFactory(
        user=UserFactory(display_name="Bea Writer"), name="Bea Writer", slug="bea-writer"
    )


@pytest.fixture
def editor(db):
    return AdvisorProfileFactory(
        user=UserFactory(display_name="Eddie Editor"),
        name="Eddie Editor",
        slug="eddie-editor",
        is_editor=True,
    )


@pytest.fixture
def fresh_pages(db):
    """Start from a known cache state, so each request's queries are its own."""
    blog_changed()


@pytest.fixture
def quick_readers(settings):
    """Readers who fill the comment form faster than the real minimum allows."""
    settings.BLOG_COMMENT_MIN_SECONDS = 0
