"""The blog's API: published posts and tags for anyone; advisors manage their own posts and
pictures under the web's rules, with the API's usual error format."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Image, Post
from tests.blog.factories import PostFactory, TagFactory, picture_upload

pytestmark = pytest.mark.django_db


def test_anyone_reads_published_posts_newest_first_paginated(client, writer):
    PostFactory(author=writer, title="Older", published_at=timezone.now() - timedelta(days=2))
    PostFactory(author=writer, title="Newer")
    PostFactory(author=writer, title="Draft", status=Post.Status.DRAFT, published_at=None)
    body = client.get("/api/v1/blog/posts/").json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert [post["title"] for post in body["results"]] == ["Newer", "Older"]
    first = body["results"][0]
    assert first["author"]["name"] == "Avi Advisor"
    assert first["url"].endswith(f"/blog/posts/{first['slug']}/")
    assert "body_html" not in first


def test_a_published_post_is_read_by_its_slug_with_its_html(client, writer):
    post = PostFactory(author=writer, body="We **listen**.")
    body = client.get(f"/api/v1/blog/posts/{post.slug}/").json()
    assert "<strong>listen</strong>" in body["body_html"]
    draft = PostFactory(author=writer, status=Post.Status.DRAFT, published_at=None)
    assert client.get(f"/api/v1/blog/posts/{draft.slug}/").status_code == 404


def test_posts_are_filtered_by_tag_and_advisor(client, writer, other_writer):
    values = TagFactory(name="Values")
    PostFactory(author=writer, title="Tagged", tags=[values])
    PostFactory(author=other_writer, title="Theirs")
    tagged = client.get("/api/v1/blog/posts/", {"tag": "values"}).json()["results"]
    assert [post["title"] for post in tagged] == ["Tagged"]
    by = client.get("/api/v1/blog/posts/", {"advisor": other_writer.slug}).json()["results"]
    assert [post["title"] for post in by] == ["Theirs"]
    assert client.get("/api/v1/blog/posts/", {"tag": "nope"}).json()["count"] == 0


def test_tags_are_listed_with_their_published_post_counts(client, writer):
    values = TagFactory(name="Values")
    PostFactory(author=writer, tags=[values])
    PostFactory(author=writer, tags=[values], status=Post.Status.DRAFT, published_at=None)
    TagFactory(name="Unused")
    assert client.get("/api/v1/blog/tags/").json()["results"] == [
        {"name": "Values", "slug": "values", "post_count": 1}
    ]


def test_reading_is_public_but_writing_is_refused_to_anonymous_callers(client, writer):
    post = PostFactory(author=writer)
    assert client.post("/api/v1/blog/posts/", {"title": "x"}).status_code in {401, 403, 405}
    assert client.get("/api/v1/blog/my-posts/").status_code in {401, 403}
    assert client.patch(
        f"/api/v1/blog/my-posts/{post.pk}/", {"title": "x"}, content_type="application/json"
    ).status_code in {401, 403}


def test_an_advisor_writes_and_schedules_a_post_through_the_api(client_for, writer):
    client = client_for(writer.user)
    image = client.post("/api/v1/blog/images/", {"file": picture_upload()}).json()
    at = (timezone.now() + timedelta(days=1)).isoformat()
    response = client.post(
        "/api/v1/blog/my-posts/",
        {
            "title": "Written by API",
            "body": "Hello **world**.",
            "tags": ["values"],
            "cover_image": image["id"],
            "cover_alt": "A picture",
            "when": "schedule",
            "publish_at": at,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["tags"]) == ("scheduled", ["values"])
    assert "<strong>world</strong>" in body["body_html"]
    post = Post.objects.get()
    assert post.author == writer
    assert post.cover_image_id == image["id"]
    patched = client.patch(
        f"/api/v1/blog/my-posts/{post.pk}/", {"when": "now"}, content_type="application/json"
    )
    assert patched.json()["status"] == "published"
    assert patched.json()["tags"] == ["values"]  # what was not sent is kept


def test_broken_rules_are_400s_with_a_readable_message(client_for, writer):
    client = client_for(writer.user)
    missing = client.post("/api/v1/blog/my-posts/", {"title": "x"}, content_type="application/json")
    assert missing.status_code == 400
    assert {"body", "when"} <= set(missing.json())
    past = client.post(
        "/api/v1/blog/my-posts/",
        {
            "title": "T",
            "body": "B",
            "when": "schedule",
            "publish_at": (timezone.now() - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert past.status_code == 400
    assert "time in the future" in past.json()["detail"]
    bad_type = client.post(
        "/api/v1/blog/my-posts/",
        {"title": ["x"], "body": 3, "when": 7},
        content_type="application/json",
    )
    assert bad_type.status_code == 400


def test_advisor_a_cannot_see_or_change_advisor_bs_posts_or_pictures(
    client_for, writer, other_writer
):
    theirs = PostFactory(author=other_writer, title="Bea's post")
    their_picture = (
        client_for(other_writer.user)
        .post("/api/v1/blog/images/", {"file": picture_upload()})
        .json()
    )
    client = client_for(writer.user)
    assert client.get("/api/v1/blog/my-posts/").json()["count"] == 0
    assert client.get(f"/api/v1/blog/my-posts/{theirs.pk}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/blog/my-posts/{theirs.pk}/",
            {"title": "Mine"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/blog/my-posts/{theirs.pk}/").status_code == 404
    assert client.get(f"/api/v1/blog/images/{their_picture['id']}/").status_code == 404
    borrowed = client.post(
        "/api/v1/blog/my-posts/",
        {
            "title": "T",
            "body": "B",
            "when": "draft",
            "cover_image": their_picture["id"],
            "cover_alt": "x",
        },
        content_type="application/json",
    )
    assert borrowed.status_code == 400
    assert "picture you uploaded" in borrowed.json()["detail"]
    theirs.refresh_from_db()
    assert theirs.title == "Bea's post"


def test_an_editor_changes_any_post_through_the_api(client_for, editor, writer):
    post = PostFactory(author=writer)
    response = client_for(editor.user).patch(
        f"/api/v1/blog/my-posts/{post.pk}/",
        {"title": "Edited"},
        content_type="application/json",
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.title == "Edited"
    assert post.status == "published"


def test_someone_who_is_not_an_advisor_cannot_use_the_writing_api(client_for, outsider):
    client = client_for(outsider)
    assert client.get("/api/v1/blog/my-posts/").status_code == 403
    assert client.post("/api/v1/blog/images/", {"file": picture_upload()}).status_code == 403


def test_a_hostile_picture_is_a_400_saying_why(client_for, writer):
    response = client_for(writer.user).post(
        "/api/v1/blog/images/", {"file": picture_upload("x.png", b"GIF89a<script>")}
    )
    assert response.status_code == 400
    assert "not a picture" in response.json()["detail"]
    assert not Image.objects.exists()


def test_a_published_post_cannot_be_deleted_through_the_api_until_taken_off(client_for, writer):
    post = PostFactory(author=writer)
    client = client_for(writer.user)
    refused = client.delete(f"/api/v1/blog/my-posts/{post.pk}/")
    assert refused.status_code == 400
    client.patch(
        f"/api/v1/blog/my-posts/{post.pk}/", {"when": "draft"}, content_type="application/json"
    )
    assert client.delete(f"/api/v1/blog/my-posts/{post.pk}/").status_code == 204


def test_the_public_list_runs_fixed_queries(client, writer, other_writer, assert_fixed_queries):
    def grow():
        tags = [TagFactory(name=f"T{n}") for n in range(3)]
        for _ in range(5):
            PostFactory(author=writer, tags=tags, co_authors=[other_writer])

    PostFactory(author=writer)
    assert_fixed_queries(lambda: client.get("/api/v1/blog/posts/"), grow, most=5)


def test_the_writing_list_runs_fixed_queries(
    client_for, writer, other_writer, assert_fixed_queries
):
    client = client_for(writer.user)

    def grow():
        tags = [TagFactory(name=f"T{n}") for n in range(3)]
        for _ in range(5):
            PostFactory(author=writer, tags=tags, co_authors=[other_writer])

    PostFactory(author=writer)
    assert_fixed_queries(lambda: client.get("/api/v1/blog/my-posts/"), grow, most=10)


def test_the_blog_is_in_the_api_schema(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in (
        "/api/v1/blog/posts/",
        "/api/v1/blog/tags/",
        "/api/v1/blog/my-posts/",
        "/api/v1/blog/images/",
    ):
        assert path in schema["paths"]
