"""Writing and publishing: drafts stay private, scheduled posts go live at their time without
anyone pressing a button, and every change to a post is kept with who made it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog import selectors, services
from blog.models import Post, Series
from blog.tasks import posts_publish_due_task
from tests.blog.factories import PostFactory, picture_upload
from tests.blog.test_rendering import dangers

pytestmark = pytest.mark.django_db


def _write(by, author, **changes):
    content = {"title": "Living our values", "body": "First paragraph.\n\nSecond."} | changes
    return services.post_create(by=by, author=author, **content)


def test_a_new_post_is_a_private_draft_with_its_html_excerpt_and_reading_time(writer):
    post = _write(writer.user, writer, body="We **listen** first.\n\nThen we act.")
    assert post.status == Post.Status.DRAFT
    assert post.slug == "living-our-values"
    assert "<strong>listen</strong>" in post.body_html
    assert post.summary == "We listen first."
    assert post.reading_minutes == 1
    assert post not in selectors.public_posts()


def test_a_written_excerpt_is_used_instead_of_the_first_paragraph(writer):
    post = _write(writer.user, writer, excerpt="Why values come first.")
    assert post.summary == "Why values come first."


def test_a_picture_in_the_text_gets_every_width_we_stored_for_phones_to_choose_from(
    writer, settings
):
    settings.MEDIA_URL = "/media/"
    image = services.image_upload(upload=picture_upload(width=2000, height=1000), by=writer.user)
    body = (
        f'![A chart" onerror="alert(1)]({image.url})\n\n'
        "![Not one of ours](/media/blog/elsewhere/960.jpg)"
    )
    post = _write(writer.user, writer, body=body)
    ours, other = re.findall(r"<img [^>]*>", post.body_html)
    assert f'srcset="{image.srcset}"' in ours
    assert [w for w, _h, _n in image.renditions] == [480, 960, 1600]
    assert 'sizes="(min-width: 990px) 620px, 100vw"' in ours
    assert 'alt="A chart&quot; onerror=&quot;alert(1)"' in ours
    assert dangers(post.body_html) == []
    assert "srcset" not in other


def test_titles_that_make_the_same_slug_get_their_own(writer):
    first, second = _write(writer.user, writer), _write(writer.user, writer)
    assert (first.slug, second.slug) == ("living-our-values", "living-our-values-2")


def test_tags_are_shared_by_name_whatever_the_case(writer):
    first = _write(writer.user, writer, tags=["Values", " co-production "])
    second = _write(writer.user, writer, tags=["values"])
    assert sorted(t.name for t in first.tags.all()) == ["Values", "co-production"]
    assert list(second.tags.all()) == [first.tags.get(slug="values")]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "title"),
        ({"body": ""}, "text is empty"),
        ({"tags": [f"t{n}" for n in range(9)]}, "at most 8 tags"),
        ({"tags": ["!!!"]}, "cannot be a tag"),
        ({"introduction": "Here is Neil."}, "who wrote the introduction"),
        ({"series_position": 0, "series": "make"}, "starts at 1"),
    ],
)
def test_a_post_that_breaks_a_rule_is_refused_with_a_reason(writer, changes, message):
    if changes.get("series") == "make":
        changes["series"] = Series.objects.create(title="S", slug="s")
    with pytest.raises(services.BlogError, match=message):
        _write(writer.user, writer, **changes)
    assert not Post.objects.exists()


def test_a_cover_picture_needs_a_description(writer):
    cover = services.image_upload(upload=picture_upload(), by=writer.user)
    with pytest.raises(services.BlogError, match="Describe the cover"):
        _write(writer.user, writer, cover_image=cover)
    post = _write(writer.user, writer, cover_image=cover, cover_alt="A team round a table")
    assert post.cover_image == cover


def test_a_cover_must_be_a_picture_the_writer_uploaded(writer, other_writer):
    theirs = services.image_upload(upload=picture_upload(), by=other_writer.user)
    with pytest.raises(services.BlogError, match="picture you uploaded"):
        _write(writer.user, writer, cover_image=theirs, cover_alt="x")


def test_an_introduction_is_by_someone_other_than_the_author(writer, other_writer, editor):
    with pytest.raises(services.BlogError, match="someone other than the author"):
        _write(writer.user, writer, introduction="Hello", introduced_by=writer)
    post = _write(
        editor.user, writer, introduction="Here is Avi's first blog.", introduced_by=other_writer
    )
    assert "first blog" in post.introduction_html
    assert post.introduced_by == other_writer
    # The writer changes their words; the editor's introduction stays as it was.
    services.post_update(
        post=post,
        by=writer.user,
        title="Avi's first",
        body="Changed.",
        introduction=post.introduction,
        introduced_by=other_writer,
    )


def test_only_an_editor_puts_someone_elses_name_to_a_post(writer, other_writer):
    with pytest.raises(services.BlogError, match="Only an editor adds co-authors"):
        _write(writer.user, writer, co_authors=[other_writer])
    with pytest.raises(services.BlogError, match="introduction in someone else's name"):
        _write(writer.user, writer, introduction="Bea asked me.", introduced_by=other_writer)
    theirs = services.series_get_or_create(title="Living our values")
    _write(other_writer.user, other_writer, series=theirs)
    with pytest.raises(services.BlogError, match="ask an editor to add your post"):
        _write(writer.user, writer, series=theirs)
    assert not Post.objects.filter(author=writer).exists()
    mine = services.series_get_or_create(title="Notes from the road")
    assert _write(writer.user, writer, series=mine).series == mine


def test_posts_in_a_series_take_the_next_place_unless_told(writer):
    series = services.series_get_or_create(title="Living our values")
    first = _write(writer.user, writer, series=series)
    second = _write(writer.user, writer, series=series)
    assert (first.series_position, second.series_position) == (1, 2)
    assert services.series_get_or_create(title="living OUR values") == series


def test_an_advisor_writes_only_as_themselves(writer, other_writer):
    with pytest.raises(services.BlogError, match="as yourself"):
        _write(writer.user, other_writer)


def test_an_editor_may_put_up_a_post_for_another_advisor(editor, writer):
    assert _write(editor.user, writer).author == writer


def test_someone_who_is_not_an_advisor_cannot_write(outsider, writer):
    with pytest.raises(services.BlogError, match="Only advisors"):
        _write(outsider, writer)


def test_publishing_now_shows_the_post_and_keeps_its_first_date_when_republished(writer):
    post = _write(writer.user, writer)
    services.post_publish(post=post, by=writer.user)
    post.refresh_from_db()
    first_date = post.published_at
    assert post in selectors.public_posts()
    services.post_unpublish(post=post, by=writer.user)
    assert post not in selectors.public_posts()
    services.post_publish(post=post, by=writer.user)
    post.refresh_from_db()
    assert post.published_at == first_date


def test_a_scheduled_post_stays_hidden_until_its_time(writer):
    post = _write(writer.user, writer)
    at = timezone.now() + timedelta(hours=2)
    services.post_publish(post=post, by=writer.user, at=at)
    post.refresh_from_db()
    assert post.status == Post.Status.SCHEDULED
    assert post not in selectors.public_posts()
    assert services.posts_publish_due() == []


def test_the_beat_task_publishes_scheduled_posts_whose_time_has_come(writer):
    due = PostFactory(
        author=writer,
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() - timedelta(seconds=30),
    )
    later = PostFactory(
        author=writer,
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert posts_publish_due_task.delay().get() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Post.Status.PUBLISHED
    assert later.status == Post.Status.SCHEDULED
    assert list(selectors.public_posts()) == [due]
    # Running it again (a second beat, a retried task) changes nothing.
    assert posts_publish_due_task.delay().get() == 0


def test_the_beat_schedule_runs_publishing_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["blog-publish-due"]
    assert entry["task"] == "blog.tasks.posts_publish_due_task"
    assert entry["schedule"] == timedelta(minutes=1)


def test_a_post_cannot_be_scheduled_in_the_past_or_years_ahead(writer):
    post = _write(writer.user, writer)
    with pytest.raises(services.BlogError, match="within the next year"):
        services.post_publish(post=post, by=writer.user, at=timezone.now() + timedelta(days=400))
    with pytest.raises(services.BlogError, match="time in the future"):
        services.post_write(
            post=post,
            by=writer.user,
            when="schedule",
            publish_at=timezone.now() - timedelta(minutes=1),
            title="T",
            body="B",
        )


def test_published_posts_keep_every_revision_with_who_made_it(writer, editor):
    post = _write(writer.user, writer)
    services.post_publish(post=post, by=writer.user)
    services.post_update(
        post=post,
        by=editor.user,
        title="Living our values, revised",
        body="A better first paragraph.",
    )
    revisions = list(post.history.order_by("history_date"))
    assert [r.title for r in revisions][-1] == "Living our values, revised"
    assert revisions[-1].history_user == editor.user
    assert revisions[-2].status == Post.Status.PUBLISHED
    assert revisions[-2].history_user == writer.user
    assert "A better first paragraph." in revisions[-1].body


def test_an_advisor_cannot_change_another_advisors_post(writer, other_writer):
    theirs = PostFactory(author=other_writer)
    for change in (
        lambda: services.post_update(post=theirs, by=writer.user, title="Mine", body="x"),
        lambda: services.post_publish(post=theirs, by=writer.user),
        lambda: services.post_unpublish(post=theirs, by=writer.user),
        lambda: services.post_delete(post=theirs, by=writer.user),
    ):
        with pytest.raises(services.BlogError, match="your own"):
            change()
    theirs.refresh_from_db()
    assert theirs.title != "Mine"


def test_a_co_author_may_change_the_post(writer, other_writer):
    post = PostFactory(author=other_writer, co_authors=[writer])
    services.post_update(post=post, by=writer.user, title="Together", body="x")
    post.refresh_from_db()
    assert post.title == "Together"


def test_a_published_post_is_taken_off_before_it_can_be_deleted(writer):
    post = PostFactory(author=writer)
    with pytest.raises(services.BlogError, match="before deleting"):
        services.post_delete(post=post, by=writer.user)
    services.post_unpublish(post=post, by=writer.user)
    services.post_delete(post=post, by=writer.user)
    assert not Post.objects.exists()
