"""RSS and Atom, for the whole blog, a tag and an advisor, read by a real feed parser, with
every link absolute against SITE_URL."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Post
from tests.blog.factories import PostFactory, TagFactory

pytestmark = pytest.mark.django_db

SITE = "https://care.example.org"


@pytest.fixture
def posts(writer, other_writer, settings):
    settings.SITE_URL = SITE
    values = TagFactory(name="Values")
    return {
        "older": PostFactory(
            author=writer,
            title="Older post",
            tags=[values],
            published_at=timezone.now() - timedelta(days=4),
        ),
        "newer": PostFactory(
            author=other_writer,
            title="Newer post",
            co_authors=[writer],
            published_at=timezone.now() - timedelta(days=1),
        ),
        "other": PostFactory(author=other_writer, title="Someone else's"),
        "draft": PostFactory(
            author=writer, title="Unfinished", status=Post.Status.DRAFT, published_at=None
        ),
        "scheduled": PostFactory(
            author=writer,
            title="Next week",
            status=Post.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(days=7),
        ),
    }


def _parse(client, name, *args):
    response = client.get(reverse(name, args=args), HTTP_HOST="localhost")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize(
    ("name", "version"), [("blog:feed_rss", "rss20"), ("blog:feed_atom", "atom10")]
)
def test_the_site_feed_lists_published_posts_newest_first(client, posts, name, version):
    response, feed = _parse(client, name)
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == ["Someone else's", "Newer post", "Older post"]
    newer = feed.entries[1]
    assert newer.link == f"{SITE}/blog/posts/{posts['newer'].slug}/"
    assert newer.summary == posts["newer"].summary
    assert "Avi Advisor" in newer.author
    assert feed.feed.link == f"{SITE}/blog/"
    assert "localhost" not in response.content.decode()
    assert "application/" in response["Content-Type"]


@pytest.mark.parametrize("name", ["blog:tag_feed_rss", "blog:tag_feed_atom"])
def test_a_tag_feed_has_only_that_tags_posts(client, posts, name):
    _, feed = _parse(client, name, "values")
    assert [entry.title for entry in feed.entries] == ["Older post"]
    assert [tag.term for tag in feed.entries[0].tags] == ["Values"]
    assert feed.feed.link == f"{SITE}/blog/tags/values/"


@pytest.mark.parametrize("name", ["blog:advisor_feed_rss", "blog:advisor_feed_atom"])
def test_an_advisor_feed_has_the_posts_they_wrote_or_co_wrote(client, posts, writer, name):
    _, feed = _parse(client, name, writer.slug)
    assert [entry.title for entry in feed.entries] == ["Newer post", "Older post"]


def test_the_atom_feed_links_to_itself_and_dates_every_entry(client, posts):
    _, feed = _parse(client, "blog:feed_atom")
    assert any(
        link.rel == "self" and link.href == f"{SITE}/blog/feed/atom/" for link in feed.feed.links
    )
    assert all(entry.published_parsed and entry.updated_parsed for entry in feed.entries)
    assert len({entry.id for entry in feed.entries}) == 3


def test_an_unknown_tag_or_advisor_feed_is_not_found(client, posts):
    assert client.get(reverse("blog:tag_feed_rss", args=["nope"])).status_code == 404
    assert client.get(reverse("blog:advisor_feed_atom", args=["nobody"])).status_code == 404


def test_pages_announce_their_feeds(client, posts, writer):
    page = client.get(reverse("blog:advisor", args=[writer.slug])).content.decode()
    feed = f"/blog/advisors/{writer.slug}/feed/rss/"
    assert f'type="application/rss+xml" title="Posts by Avi Advisor (RSS)" href="{feed}"' in page


def test_feeds_run_the_same_queries_however_many_posts(
    client, posts, writer, other_writer, assert_fixed_queries, fresh_pages
):
    from blog.caching import blog_changed

    def grow():
        tags = [TagFactory(name=f"T{n}") for n in range(3)]
        for _n in range(5):
            PostFactory(author=writer, tags=tags, co_authors=[other_writer])
        blog_changed()

    assert_fixed_queries(lambda: client.get(reverse("blog:feed_atom")), grow, most=4)
