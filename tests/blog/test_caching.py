"""Anonymous readers get pages rendered once and revalidated cheaply; any change they could
see retires every cached page at once; signed-in people never get a shared page."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.caching import blog_changed, form_started_token
from blog.models import Comment, Post
from tests.blog.factories import CommentFactory, PostFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(writer, fresh_pages):
    return PostFactory(author=writer, title="Trust in practice")


def test_a_second_anonymous_visit_is_served_without_touching_the_database(
    client, post, django_assert_num_queries
):
    client.get(reverse("blog:home"))
    client.get(post.get_absolute_url())
    with django_assert_num_queries(0):
        home = client.get(reverse("blog:home"))
        page = client.get(post.get_absolute_url())
    assert "Trust in practice" in home.content.decode()
    assert "Trust in practice" in page.content.decode()


def test_a_browser_revalidating_gets_304_with_the_etag_or_the_date(client, post):
    first = client.get(reverse("blog:home"))
    assert first["ETag"]
    assert first["Last-Modified"]
    assert "Cookie" in first["Vary"]
    again = client.get(reverse("blog:home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    dated = client.get(reverse("blog:home"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert dated.status_code == 304


def test_list_pages_may_be_kept_briefly_and_post_pages_only_by_the_readers_browser(client, post):
    home = client.get(reverse("blog:home"))
    assert home["Cache-Control"] == "public, max-age=60"
    page = client.get(post.get_absolute_url())
    # It holds this reader's form token: private, and revalidated every time.
    assert set(page["Cache-Control"].split(", ")) == {"private", "no-cache"}


@pytest.mark.parametrize(
    "change",
    [
        lambda post, writer: services.post_update(
            post=post, by=writer.user, title="Trust, revised", body=post.body
        ),
        lambda post, writer: services.comment_moderate(
            comment=CommentFactory(post=post, status="pending", body="Trust, revised"),
            by=writer.user,
            action="approve",
        ),
        lambda post, writer: services.advisor_profile_update(
            profile=writer,
            by=writer.user,
            name="Trust, revised",
            area="values",
            bio="",
            links=[],
            photo=None,
        ),
    ],
    ids=["post edited", "comment approved", "advisor renamed"],
)
def test_a_change_readers_could_see_retires_the_cached_pages_at_once(
    client, post, writer, change, django_capture_on_commit_callbacks
):
    before = {url: client.get(url) for url in (reverse("blog:home"), post.get_absolute_url())}
    with django_capture_on_commit_callbacks(execute=True):
        change(post, writer)
    for url, old in before.items():
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=old["ETag"])
        assert revalidated.status_code == 200, url
        assert revalidated["ETag"] != old["ETag"]
    assert "Trust, revised" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "change",
    [
        lambda client, post: client.post(
            reverse("admin:blog_advisorprofile_change", args=[post.author.pk]),
            {"name": "Renamed in the admin", "area": "values", "bio": "", "is_active": "on"},
        ),
        lambda client, post: client.post(
            reverse("admin:blog_tag_change", args=[post.tags.get().pk]),
            {"name": "Renamed in the admin", "slug": "renamed"},
        ),
        lambda client, post: client.post(
            reverse("admin:blog_comment_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [post.comments.get().pk],
                "post": "yes",
            },
        ),
    ],
    ids=["advisor renamed", "tag renamed", "comment deleted"],
)
def test_a_change_made_in_the_admin_also_retires_the_cached_pages(
    client, client_for, admin, post, change, django_capture_on_commit_callbacks
):
    post.tags.add(TagFactory(name="Trust"))
    CommentFactory(post=post, status="approved", body="Shown until taken down.")
    blog_changed()
    before = client.get(post.get_absolute_url())
    staff = Client()
    staff.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(staff, post).status_code == 302
    after = client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    page = after.content.decode()
    assert "Renamed in the admin" in page or "Shown until taken down." not in page


def test_a_comment_waiting_for_moderation_changes_nothing_readers_see(
    client, post, django_capture_on_commit_callbacks, quick_readers
):
    first = client.get(post.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_submit(post=post, name="R", email="r@example.net", body="Hello there")
    assert client.get(post.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_signed_in_people_never_get_a_cached_page_and_nothing_is_stored_for_them(
    client, client_for, post, writer
):
    client.get(post.get_absolute_url())  # now cached for anonymous readers
    signed_in = Client()
    signed_in.force_login(writer.user)
    response = signed_in.get(post.get_absolute_url())
    assert "no-store" in response["Cache-Control"]
    assert "ETag" not in response
    assert "Edit the post" in response.content.decode()
    assert "Edit the post" not in client.get(post.get_absolute_url()).content.decode()


def test_each_reader_gets_their_own_form_token_from_a_shared_page(post, quick_readers):
    readers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for n, reader in enumerate(readers):
        page = reader.get(post.get_absolute_url()).content.decode()
        assert "placeholder" not in page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        started = re.search(r'name="started" value="([^"]+)"', page).group(1)
        tokens.append(token)
        response = reader.post(
            reverse("blog:comment", args=[post.slug]),
            {
                "csrfmiddlewaretoken": token,
                "started": started,
                "name": f"Reader {n}",
                "email": f"reader{n}@example.net",
                "body": "Thank you for this post.",
                "website": "",
            },
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert tokens[0] != tokens[1]
    assert Comment.objects.count() == 2


def test_a_form_token_of_one_reader_is_refused_for_another(post, quick_readers):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get(post.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    second.get(post.get_absolute_url())
    response = second.post(
        reverse("blog:comment", args=[post.slug]),
        {"csrfmiddlewaretoken": token, "name": "X", "email": "x@example.net", "body": "Hi!"},
    )
    assert response.status_code == 403


def test_the_comment_form_start_time_is_fresh_in_every_copy_of_a_shared_page(client, post):
    def started() -> str:
        page = client.get(post.get_absolute_url()).content.decode()
        return re.search(r'name="started" value="([^"]+)"', page).group(1)

    first = started()
    time.sleep(1.1)
    assert started() != first


def test_a_reader_with_a_message_waiting_gets_their_own_page(client, post, quick_readers):
    client.get(post.get_absolute_url())
    response = client.post(
        reverse("blog:comment", args=[post.slug]),
        {
            "name": "R",
            "email": "r@example.net",
            "body": "Hello there",
            "website": "",
            "started": re.search(
                r'name="started" value="([^"]+)"',
                client.get(post.get_absolute_url()).content.decode(),
            ).group(1),
        },
    )
    page = client.get(response.url).content.decode()
    assert "Thank you for your comment" in page
    assert (
        "Thank you for your comment" not in Client().get(post.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize(
    "storage",
    [
        "django.contrib.messages.storage.fallback.FallbackStorage",
        "django.contrib.messages.storage.session.SessionStorage",
    ],
)
def test_the_thanks_for_a_comment_is_never_kept_in_a_page_for_others(
    client, post, quick_readers, settings, storage
):
    settings.MESSAGE_STORAGE = storage
    response = client.post(
        reverse("blog:comment", args=[post.slug]),
        {
            "name": "R",
            "email": "r@example.net",
            "body": "Hello there",
            "website": "",
            "started": form_started_token(),
        },
    )
    page = client.get(response.url)
    assert "waiting for the author to read it" in page.content.decode()
    assert "private" in page["Cache-Control"]
    for reader in (Client(), client):
        assert "waiting for the author" not in reader.get(post.get_absolute_url()).content.decode()


def test_a_scheduled_post_appears_at_its_time_even_before_the_beat_task_runs(
    client, writer, monkeypatch
):
    at = timezone.now() + timedelta(hours=1)
    soon = PostFactory(
        author=writer, title="Right on time", status=Post.Status.SCHEDULED, published_at=at
    )
    blog_changed()
    assert "Right on time" not in client.get(reverse("blog:home")).content.decode()
    # An hour passes; the beat task has not run.
    later = at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", later.timestamp)
    assert "Right on time" in client.get(reverse("blog:home")).content.decode()
    soon.refresh_from_db()
    assert soon.status == Post.Status.PUBLISHED


def test_head_requests_and_feeds_are_served_the_same_way(client, post):
    assert client.head(reverse("blog:home")).status_code == 200
    feed = client.get(reverse("blog:feed_rss"))
    assert client.get(reverse("blog:feed_rss"), HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304


def test_each_page_of_the_sitemap_is_kept_apart(client, post):
    """The sitemap pages with "p": a cached first page must not answer for the second."""
    first = client.get(reverse("blog:sitemap"))
    assert first.status_code == 200
    assert client.get(reverse("blog:sitemap"), {"p": "2"}).status_code == 404
    assert client.get(reverse("blog:sitemap"), {"p": "x"}).status_code == 404
