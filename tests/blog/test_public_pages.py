"""What readers see: the front page with "Read more", posts that read well with everything
around them, tags, advisors and series; pages that cost the same whatever the blog's size."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.caching import blog_changed
from blog.models import Image, Post
from tests.blog.factories import (
    AdvisorProfileFactory,
    CommentFactory,
    PostFactory,
    TagFactory,
    picture_upload,
)

pytestmark = pytest.mark.django_db


def _page(client, name, *args, **query) -> str:
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_front_page_lists_published_posts_newest_first_with_read_more(client, writer):
    older = PostFactory(
        author=writer, title="Older thoughts", published_at=timezone.now() - timedelta(days=3)
    )
    newer = PostFactory(author=writer, title="Newer thoughts")
    PostFactory(author=writer, title="A private draft", status=Post.Status.DRAFT, published_at=None)
    PostFactory(
        author=writer,
        title="Coming soon",
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=1),
    )
    page = _page(client, "blog:home")
    assert page.index("Newer thoughts") < page.index("Older thoughts")
    assert "A private draft" not in page
    assert "Coming soon" not in page
    assert f'href="{newer.get_absolute_url()}">Read more' in page
    assert older.summary in page
    # On a phone the search and topics come last: the page says where they are.
    assert '<a href="#find-posts">Search the blog or browse by topic</a>' in page
    assert 'id="find-posts"' in page


def test_the_front_page_is_paginated(client, writer):
    for n in range(12):
        PostFactory(
            author=writer, title=f"Post {n:02}", published_at=timezone.now() - timedelta(hours=n)
        )
    first = _page(client, "blog:home")
    second = _page(client, "blog:home", page=2)
    assert "Post 00" in first
    assert "Post 10" not in first
    assert "Post 10" in second
    assert "Page 1 of 2" in second


def test_a_tag_page_shows_only_its_posts(client, writer):
    values = TagFactory(name="Values")
    PostFactory(author=writer, title="On values", tags=[values])
    PostFactory(author=writer, title="On rotas")
    page = _page(client, "blog:tag", "values")
    assert "On values" in page
    assert "On rotas" not in page


def test_an_advisor_page_shows_their_profile_and_the_posts_they_wrote_or_co_wrote(
    client, writer, other_writer
):
    writer.bio = "Twenty years in community care."
    writer.save()
    PostFactory(author=writer, title="Mine alone")
    PostFactory(author=other_writer, title="Written together", co_authors=[writer])
    PostFactory(author=other_writer, title="Not mine")
    page = _page(client, "blog:advisor", writer.slug)
    assert "Twenty years in community care." in page
    assert "Mine alone" in page
    assert "Written together" in page
    assert "Not mine" not in page


def test_the_advisors_page_marks_guest_writers(client, writer):
    AdvisorProfileFactory(name="Grace Guest", slug="grace", is_guest=True)
    page = _page(client, "blog:advisors")
    assert re.search(r"Grace Guest</a> <strong[^>]*>Guest</strong>", page)


def test_a_post_page_has_its_author_card_tags_date_reading_time_and_neighbours(client, writer):
    tag = TagFactory(name="Co-production")
    before = PostFactory(
        author=writer, title="The one before", published_at=timezone.now() - timedelta(days=5)
    )
    post = PostFactory(
        author=writer,
        title="The one in the middle",
        tags=[tag],
        published_at=timezone.now() - timedelta(days=3),
        body="word " * 450,
    )
    after = PostFactory(author=writer, title="The one after")
    page = _page(client, "blog:post", post.slug)
    assert "About the author" in page
    assert writer.name in page
    assert 'href="/blog/tags/co-production/">Co-production</a>' in page
    assert "3 minutes to read" in page
    assert timezone.localtime(post.published_at).strftime("%-d %B %Y") in page
    assert f'href="{before.get_absolute_url()}" rel="next"' in page
    assert f'href="{after.get_absolute_url()}" rel="prev"' in page


def test_each_co_author_has_a_card_under_the_post(client, writer, other_writer):
    post = PostFactory(author=writer, co_authors=[other_writer])
    page = _page(client, "blog:post", post.slug)
    assert page.index("About the author: <a") < page.index(
        f'Written with: <a href="{other_writer.get_absolute_url()}">Bea Writer</a>'
    )


def test_an_introduction_by_someone_else_is_shown_apart_from_the_post(
    client, writer, other_writer, editor
):
    post = services.post_create(
        by=editor.user,
        author=writer,
        title="My first blog",
        body="The author's own words.",
        introduction="Here is Avi's first blog with us.",
        introduced_by=other_writer,
    )
    services.post_publish(post=post, by=writer.user)
    page = _page(client, "blog:post", post.slug)
    intro = page.index("Here is Avi")
    assert page.index('class="nhsuk-inset-text wb-post__introduction"') < intro
    assert intro < page.index('<div class="wb-prose">') < page.rindex("own words.")
    assert f'— <a href="{other_writer.get_absolute_url()}">{other_writer.name}</a>' in page


def test_a_post_in_a_series_links_the_others_in_order(client, writer):
    series = services.series_get_or_create(title="Living our values")
    posts = [
        PostFactory(
            author=writer,
            title=f"Part {n}",
            series=series,
            series_position=n,
            published_at=timezone.now() - timedelta(days=10 - n),
        )
        for n in (1, 2, 3)
    ]
    page = _page(client, "blog:post", posts[1].slug)
    listing = page[page.index("Part of a series") :]
    assert listing.index("Part 1") < listing.index("Part 2") < listing.index("Part 3")
    assert '<strong aria-current="page">Part 2</strong>' in listing
    series_page = _page(client, "blog:series", series.slug)
    assert series_page.index("Part 1") < series_page.index("Part 3")


def test_the_readers_question_is_the_prompt_above_the_comment_form(client, writer):
    post = PostFactory(author=writer, reader_question="How could I improve this idea?")
    page = _page(client, "blog:post", post.slug)
    question = page.index("How could I improve this idea?")
    assert page.index("Leave a comment") < question < page.index('name="body"')
    assert page.index("Avi Advisor asks you:") < question


def test_replies_sit_under_their_comment(client, writer):
    post = PostFactory(author=writer)
    parent = CommentFactory(post=post, body="The first thought.")
    CommentFactory(post=post, parent=parent, body="A reply to it.", by_post_author=True)
    CommentFactory(post=post, body="Held back.", status="pending")
    page = _page(client, "blog:post", post.slug)
    assert "Comments (2)" in page
    assert (
        page.index("The first thought.")
        < page.index('class="wb-comment__replies"')
        < page.index("A reply to it.")
    )
    assert "Held back." not in page


def test_a_post_has_a_canonical_address_and_open_graph_tags_against_site_url(
    client, writer, settings
):
    settings.SITE_URL = "https://care.example.org"
    cover = services.image_upload(upload=picture_upload(width=1800, height=1000), by=writer.user)
    post = PostFactory(
        author=writer, title="Seen from outside", cover_image=cover, cover_alt="A kitchen table"
    )
    page = client.get(reverse("blog:post", args=[post.slug]), HTTP_HOST="localhost").content
    page = page.decode()
    url = f"https://care.example.org/blog/posts/{post.slug}/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Seen from outside">' in page
    assert '<meta property="og:type" content="article">' in page
    assert re.search(
        r'<meta property="og:image" content="https://care\.example\.org/media/blog/\w+/1600\.jpg">',
        page,
    )
    assert '<meta property="og:image:alt" content="A kitchen table">' in page
    assert f'<meta name="description" content="{post.summary}">' in page


def test_the_cover_picture_is_responsive_with_its_description(client, writer):
    cover = services.image_upload(upload=picture_upload(width=1800, height=1000), by=writer.user)
    post = PostFactory(author=writer, cover_image=cover, cover_alt="A team at a table")
    page = _page(client, "blog:post", post.slug)
    assert re.search(
        r'srcset="/media/blog/\w+/480\.jpg 480w, /media/blog/\w+/960\.jpg 960w, '
        r'/media/blog/\w+/1600\.jpg 1600w"',
        page,
    )
    assert 'alt="A team at a table"' in page
    assert client.get(cover.url).status_code == 200


def test_drafts_and_scheduled_posts_are_not_found_by_readers(
    client, client_for, writer, other_writer
):
    draft = PostFactory(author=writer, status=Post.Status.DRAFT, published_at=None)
    scheduled = PostFactory(
        author=writer, status=Post.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=2)
    )
    for post in (draft, scheduled):
        assert client.get(reverse("blog:post", args=[post.slug])).status_code == 404
        assert client_for(other_writer.user).get(post.get_absolute_url()).status_code == 404


def test_a_writer_previews_their_draft_at_its_address_marked_as_not_published(client_for, writer):
    draft = PostFactory(
        author=writer, title="Still thinking", status=Post.Status.DRAFT, published_at=None
    )
    response = client_for(writer.user).get(draft.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Not published" in page
    assert "Still thinking" in page
    assert '<meta name="robots" content="noindex">' in page
    assert "Leave a comment" not in page
    assert "no-store" in response["Cache-Control"]


def test_search_finds_posts_by_their_words(client, writer):
    PostFactory(author=writer, title="Kindness at work", body="Small acts of kindness.")
    PostFactory(author=writer, title="Rotas", body="Planning the week together.")
    PostFactory(author=writer, title="Kindness draft", status=Post.Status.DRAFT, published_at=None)
    page = _page(client, "blog:search", q="kindness")
    assert "Kindness at work" in page
    assert "Rotas" not in page
    assert "Kindness draft" not in page
    assert "1 post found" in page
    assert "No posts found" in _page(client, "blog:search", q="zebra crossing")


def test_search_without_postgresql_matches_every_word_anywhere_in_the_post(
    client, writer, monkeypatch
):
    """The embedded default runs on SQLite, which has no full-text search."""
    from django.db import connection

    monkeypatch.setattr(connection, "vendor", "sqlite")
    PostFactory(author=writer, title="Kindness at work", body="Small acts, every day.")
    PostFactory(author=writer, title="Rotas", body="Planning the week with KINDNESS.")
    PostFactory(author=writer, title="Kindness only", body="Nothing about the week.")
    page = _page(client, "blog:search", q="kindness week")
    assert "Rotas" in page
    assert "Kindness only" in page
    assert "Kindness at work" not in page
    assert "2 posts found" in page


def test_search_copes_with_odd_queries(client, writer):
    PostFactory(author=writer, title="Values")
    for query in ['"unclosed', "a & | ! ( )", "x" * 5000, "'; DROP TABLE blog_post; --", "  "]:
        assert client.get(reverse("blog:search"), {"q": query}).status_code == 200


def test_odd_page_numbers_are_answered_not_refused(client, writer):
    PostFactory(author=writer)
    for number in ["0", "-1", "abc", "9" * 30, "99"]:
        assert client.get(reverse("blog:home"), {"page": number}).status_code == 200


def test_the_blog_is_in_the_header_for_readers_who_are_not_signed_in(client, writer):
    page = _page(client, "blog:home")
    assert re.search(
        r'<a class="nhsuk-header__navigation-link" href="/blog/" '
        r'aria-current="page"><strong[^>]*>Blog</strong></a>',
        page,
    )
    assert "Invite people" not in page
    assert ">Teams<" not in page
    # Advisors find their way in from the blog itself.
    assert 'href="/accounts/login/?next=/blog/manage/">Advisors: sign in to write</a>' in page
    home = client.get("/").content.decode()
    assert 'href="/blog/"' in home


def test_the_sitemap_lists_published_posts_tags_and_advisors_against_site_url(
    client, writer, settings
):
    settings.SITE_URL = "https://care.example.org"
    tag = TagFactory(name="Values")
    post = PostFactory(author=writer, tags=[tag])
    draft = PostFactory(author=writer, status=Post.Status.DRAFT, published_at=None)
    body = client.get(reverse("blog:sitemap"), HTTP_HOST="localhost").content.decode()
    assert f"<loc>https://care.example.org/blog/posts/{post.slug}/</loc>" in body
    assert "<loc>https://care.example.org/blog/tags/values/</loc>" in body
    assert f"<loc>https://care.example.org/blog/advisors/{writer.slug}/</loc>" in body
    assert draft.slug not in body
    assert "localhost" not in body


# --- Queries ---------------------------------------------------------------------------------


def _grow(writer, other_writer, n: int = 6) -> None:
    tags = [TagFactory(name=f"Grown {k}") for k in range(3)]
    for k in range(n):
        post = PostFactory(
            author=writer if k % 2 else other_writer,
            tags=tags,
            co_authors=[other_writer if k % 2 else writer],
            published_at=timezone.now() - timedelta(days=k + 2),
        )
        parent = CommentFactory(post=post)
        CommentFactory(post=post, parent=parent)
    blog_changed()


def test_the_front_page_runs_the_same_queries_however_many_posts(
    client, writer, other_writer, assert_fixed_queries, fresh_pages
):
    PostFactory(author=writer, tags=[TagFactory(name="First")], co_authors=[other_writer])
    blog_changed()
    assert_fixed_queries(
        lambda: client.get(reverse("blog:home")),
        lambda: _grow(writer, other_writer),
        most=6,
    )


def test_a_post_page_runs_the_same_queries_however_many_posts_tags_and_comments(
    client, writer, other_writer, assert_fixed_queries, fresh_pages
):
    series = services.series_get_or_create(title="A series")
    post = PostFactory(
        author=writer,
        series=series,
        series_position=1,
        tags=[TagFactory(name="First")],
        co_authors=[other_writer],
        published_at=timezone.now() - timedelta(days=1, hours=1),
    )
    CommentFactory(post=post)
    blog_changed()

    def grow():
        _grow(writer, other_writer)
        for k in range(5):
            parent = CommentFactory(post=post)
            CommentFactory(post=post, parent=parent, body=f"reply {k}")
        post.tags.add(*[TagFactory(name=f"More {k}") for k in range(4)])
        photo = {"width": 480, "height": 480, "renditions": [[480, 480, "blog/p/480.png"]]}
        post.co_authors.add(
            *[AdvisorProfileFactory(photo=Image.objects.create(**photo)) for _k in range(3)]
        )
        PostFactory(author=writer, series=series, series_position=2)
        blog_changed()

    assert_fixed_queries(lambda: client.get(reverse("blog:post", args=[post.slug])), grow, most=9)


@pytest.mark.parametrize(
    ("page", "most"),
    [
        (lambda w, s: reverse("blog:tag", args=["grown-0"]), 6),
        (lambda w, s: reverse("blog:advisor", args=[w.slug]), 6),
        (lambda w, s: reverse("blog:series", args=[s.slug]), 4),
        (lambda w, s: reverse("blog:advisors"), 1),
        (lambda w, s: reverse("blog:search") + "?q=paragraph", 5),
    ],
    ids=["tag", "advisor", "series", "advisors", "search"],
)
def test_the_other_reading_pages_run_the_same_queries_however_much_is_written(
    client, writer, other_writer, assert_fixed_queries, fresh_pages, page, most
):
    series = services.series_get_or_create(title="A series")
    PostFactory(author=writer, tags=[TagFactory(name="Grown 0")], series=series, series_position=1)
    blog_changed()

    def grow():
        _grow(writer, other_writer)
        for k in range(3):
            AdvisorProfileFactory(name=f"New advisor {k}")
            PostFactory(author=writer, series=series, series_position=k + 2)
        blog_changed()

    assert_fixed_queries(lambda: client.get(page(writer, series)), grow, most=most)


def test_pages_for_signed_in_readers_also_run_fixed_queries(
    client_for, writer, other_writer, assert_fixed_queries, fresh_pages
):
    post = PostFactory(author=writer)
    client = client_for(other_writer.user)
    assert_fixed_queries(
        lambda: client.get(reverse("blog:post", args=[post.slug])),
        lambda: _grow(writer, other_writer),
        most=14,
    )
    assert_fixed_queries(
        lambda: client.get(reverse("blog:home")), lambda: _grow(writer, other_writer), most=10
    )


def test_search_ranks_a_match_in_the_title_above_one_in_the_text(client, writer, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ranking is PostgreSQL's full-text search; SQLite matches words only")
    PostFactory(
        author=writer,
        title="A week of rotas",
        body="Something about gardening.",
        published_at=timezone.now() - timedelta(days=1),
    )
    PostFactory(
        author=writer,
        title="Gardening together",
        body="Plants and people.",
        published_at=timezone.now() - timedelta(days=5),
    )
    page = _page(client, "blog:search", q="gardens")  # stemmed: gardens finds gardening
    assert page.index("Gardening together") < page.index("A week of rotas")
