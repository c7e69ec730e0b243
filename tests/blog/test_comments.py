"""Comments from the public: held for moderation unless the address has earned trust, shown
as plain text, and protected from robots and floods."""

from __future__ import annotations

import re
import time
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blog import services
from blog.caching import form_started_token
from blog.commenters import COOKIE_NAME
from blog.models import Comment, Commenter, Post
from tests.blog.factories import CommentFactory, PostFactory
from tests.services import redis_url
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(writer):
    return PostFactory(author=writer, title="Kindness is a skill", reader_question="How?")


def _comment(client, post, *, started=None, remote="203.0.113.7", **fields):
    data = {
        "name": "Rosa Reader",
        "email": "rosa@example.net",
        "body": "This made me think about our own team.",
        "website": "",
        "started": started if started is not None else form_started_token(),
    } | fields
    return client.post(reverse("blog:comment", args=[post.slug]), data, REMOTE_ADDR=remote)


def _shown(client, post) -> str:
    return client.get(reverse("blog:post", args=[post.slug])).content.decode()


def test_a_readers_comment_waits_for_moderation_and_the_author_is_emailed(
    client, post, quick_readers
):
    response = _comment(client, post)
    assert response.status_code == 302
    assert response.url.endswith("#comment-sent")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "This made me think" not in _shown(client, post)
    to_author = OutboxEmail.objects.get(to=post.author.user.email)
    assert "Kindness is a skill" in to_author.subject
    assert reverse("blog:moderation") in to_author.body_text
    # The commenter is offered to confirm the address; the email repeats nothing they typed.
    to_reader = OutboxEmail.objects.get(to="rosa@example.net")
    assert "/blog/comments/confirm/" in to_reader.body_text
    assert "This made me think" not in to_reader.body_text
    assert "Rosa" not in to_reader.body_text


def test_the_thank_you_is_shown_by_the_comment_form_saying_it_waits_for_the_author(
    client, post, quick_readers
):
    response = _comment(client, post)
    assert response.url.endswith("#comment-sent")
    page = client.get(response.url).content.decode()
    comments = page[page.index('id="comments"') :]
    thanks = comments.index('id="comment-sent"')
    assert thanks < comments.index('id="comment-form"')
    assert "It is waiting for the author to read it" in comments[thanks:]
    # Once, in the comments: not again at the top, and not "be the first" beside it.
    assert page.count("Thank you for your comment") == 1
    assert "Yours could be the first" not in page
    # Shown once: the next visit is the page as every reader sees it.
    again = _shown(client, post)
    assert "Thank you for your comment" not in again
    assert "Yours could be the first" in again


def test_the_thank_you_for_a_reply_is_shown_by_the_comment_form_too(client, post, quick_readers):
    parent = CommentFactory(post=post)
    response = client.post(
        reverse("blog:comment_reply", args=[post.slug, parent.pk]),
        {
            "name": "Rosa Reader",
            "email": "rosa@example.net",
            "body": "A reply.",
            "website": "",
            "started": form_started_token(),
        },
    )
    assert response.url.endswith("#comment-sent")
    page = client.get(response.url).content.decode()
    assert "It is waiting for the author to read it" in page[page.index('id="comment-sent"') :]


def _confirm_in(client, email="rosa@example.net"):
    """Follow the confirmation link emailed to `email` in this reader's browser."""
    body = OutboxEmail.objects.filter(to=email).latest("created_at").body_text
    response = client.get(re.search(r"/blog/comments/confirm/\S+/", body).group(0))
    assert response.status_code == 302
    return response


@pytest.fixture
def trusted_reader(client, post, writer, quick_readers):
    """Rosa commented, confirmed her address from her browser, and a writer approved her."""
    _comment(client, post, body="My first thought on this.")
    _confirm_in(client)
    services.comment_moderate(
        comment=Comment.objects.get(body="My first thought on this."),
        by=writer.user,
        action="approve",
    )
    OutboxEmail.objects.all().delete()
    return client


def test_a_reader_who_confirmed_here_and_was_approved_before_is_shown_straight_away(
    trusted_reader, post
):
    _comment(trusted_reader, post, body="My second thought on this.")
    assert Comment.objects.get(body="My second thought on this.").status == "approved"
    assert "My second thought on this." in _shown(Client(), post)
    assert not OutboxEmail.objects.exists()


def test_someone_else_typing_a_trusted_address_waits_for_moderation(trusted_reader, post):
    _comment(Client(), post, body="Pretending to be Rosa here.", remote="198.51.100.66")
    assert Comment.objects.get(body="Pretending to be Rosa here.").status == "pending"
    assert OutboxEmail.objects.filter(to=post.author.user.email).exists()


def test_a_forged_or_borrowed_proof_of_address_earns_nothing(trusted_reader, post):
    proof = trusted_reader.cookies[COOKIE_NAME].value
    for name, email, cookie in [
        ("forged", "rosa@example.net", proof[:-4] + "abcd"),
        ("borrowed", "someone.else@example.net", proof),
    ]:
        other = Client()
        other.cookies[COOKIE_NAME] = cookie
        _comment(other, post, body=f"A {name} proof.", email=email, remote="198.51.100.67")
        assert Comment.objects.get(body=f"A {name} proof.").status == "pending", name


def test_a_trusted_reader_on_a_new_device_waits_and_is_asked_to_confirm_there(trusted_reader, post):
    Commenter.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=2))
    phone = Client()
    _comment(phone, post, body="From my phone this time.", remote="198.51.100.68")
    assert Comment.objects.get(body="From my phone this time.").status == "pending"
    _confirm_in(phone)
    _comment(phone, post, body="From my phone, confirmed.", remote="198.51.100.68")
    assert Comment.objects.get(body="From my phone, confirmed.").status == "approved"


@pytest.mark.parametrize(
    ("confirmed", "approved_before"), [(True, False), (False, True), (False, False)]
)
def test_without_both_a_confirmed_address_and_an_approved_comment_it_waits(
    client, post, quick_readers, confirmed, approved_before
):
    _comment(client, post, body="The first one, waiting.")
    if confirmed:
        _confirm_in(client)
    if approved_before:
        Comment.objects.filter(body="The first one, waiting.").update(status="approved")
    _comment(client, post, body="Waiting, as it should.")
    assert Comment.objects.get(body="Waiting, as it should.").status == "pending"


def test_an_address_marked_as_spam_has_its_comments_set_aside_unseen(
    client, post, writer, quick_readers
):
    first = CommentFactory(post=post, email="rosa@example.net", status="pending")
    services.comment_moderate(comment=first, by=writer.user, action="spam")
    OutboxEmail.objects.all().delete()
    _comment(client, post, body="Buy my things now please.")
    assert Comment.objects.get(body="Buy my things now please.").status == "spam"
    assert not OutboxEmail.objects.exists()


def test_a_stranger_marked_as_spam_under_someones_address_does_not_silence_its_owner(
    client_for, post, writer, member, quick_readers
):
    """Anyone can type Mina's address; once their comment is marked spam, Mina herself,
    signed in, still reaches a moderator rather than being set aside unseen."""
    strangers = CommentFactory(post=post, email=member.email, status="pending")
    services.comment_moderate(comment=strangers, by=writer.user, action="spam")
    client_for(member).post(
        reverse("blog:comment", args=[post.slug]),
        {"body": "My own words, signed in.", "started": form_started_token()},
    )
    assert Comment.objects.get(body="My own words, signed in.").status == "pending"


def test_the_post_authors_reply_is_shown_at_once_and_marked(
    client_for, post, writer, quick_readers
):
    parent = CommentFactory(post=post, name="Rosa Reader")
    client = client_for(writer.user)
    response = client.post(
        reverse("blog:comment_reply", args=[post.slug, parent.pk]),
        {"body": "Thank you, Rosa.", "started": form_started_token()},
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.by_post_author, reply.name) == ("approved", True, "Avi Advisor")
    page = _shown(client, post)
    assert re.search(r"Avi Advisor</strong> <strong[^>]*>Author</strong>", page)


def test_an_editors_reply_is_shown_but_not_marked_as_the_authors(
    client_for, post, editor, quick_readers
):
    parent = CommentFactory(post=post)
    client_for(editor.user).post(
        reverse("blog:comment_reply", args=[post.slug, parent.pk]),
        {"body": "From the editors.", "started": form_started_token()},
    )
    reply = Comment.objects.get(parent=parent)
    assert (reply.status, reply.by_post_author) == ("approved", False)


def test_replies_go_one_level_deep_and_only_to_shown_comments(client, post, quick_readers):
    parent = CommentFactory(post=post)
    reply = CommentFactory(post=post, parent=parent)
    waiting = CommentFactory(post=post, status="pending")
    elsewhere = CommentFactory()
    for target in (reply, waiting, elsewhere):
        url = reverse("blog:comment_reply", args=[post.slug, target.pk])
        assert client.get(url).status_code == 404
    with pytest.raises(services.BlogError, match="reply to a comment shown"):
        services.comment_submit(post=post, name="A", email="a@b.net", body="Hi!", parent=reply)


def test_a_draft_takes_no_comments(client, writer, quick_readers):
    draft = PostFactory(author=writer, status=Post.Status.DRAFT, published_at=None)
    assert _comment(client, draft).status_code == 404
    assert not Comment.objects.exists()


def test_a_post_with_comments_closed_says_so_and_takes_none(client, writer, quick_readers):
    closed = PostFactory(author=writer, comments_open=False)
    assert "Comments on this post are closed" in _shown(client, closed)
    response = _comment(client, closed)
    assert response.status_code == 400
    assert "Comments on this post are closed" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_is_kept(
    client, post, quick_readers
):
    response = _comment(client, post, website="https://spam.example")
    assert response.status_code == 302
    assert not Comment.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_a_comment_sent_faster_than_a_person_reads_is_refused_and_kept_on_the_page(
    client, post, settings
):
    settings.BLOG_COMMENT_MIN_SECONDS = 30
    response = _comment(client, post, body="Very fast typing indeed.")
    assert response.status_code == 400
    page = response.content.decode()
    assert "That was very quick" in page
    assert "Very fast typing indeed." in page
    assert not Comment.objects.exists()


def test_a_form_opened_long_enough_ago_is_accepted(client, post, settings, monkeypatch):
    settings.BLOG_COMMENT_MIN_SECONDS = 30
    started = form_started_token()
    later = time.time() + 31
    monkeypatch.setattr(time, "time", lambda: later)
    assert _comment(client, post, started=started).status_code == 302


def test_a_comment_form_open_for_days_is_shown_again_and_can_be_sent_straight_back(
    client, post, settings, monkeypatch
):
    settings.BLOG_COMMENT_MIN_SECONDS = 30
    now = time.time()
    with monkeypatch.context() as earlier:
        earlier.setattr(time, "time", lambda: now - settings.BLOG_COMMENT_FORM_MAX_AGE - 60)
        stale = form_started_token()
    response = _comment(client, post, started=stale, body="Thought about this all weekend.")
    assert response.status_code == 400
    page = response.content.decode()
    assert "open for a long time" in page
    assert "Thought about this all weekend." in page
    assert not Comment.objects.exists()
    new_stamp = re.search(r'name="started" value="([^"]+)"', page).group(1)
    assert new_stamp != stale
    response = _comment(client, post, started=new_stamp, body="Thought about this all weekend.")
    assert response.status_code == 302
    assert Comment.objects.get().body == "Thought about this all weekend."


@pytest.mark.parametrize("started", ["", "forged", "1700000000:abc"])
def test_a_missing_or_forged_start_time_is_refused(client, post, quick_readers, started):
    response = _comment(client, post, started=started)
    assert response.status_code == 400
    assert "open for a long time" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body": "x" * 2001}, "at most 2000 characters"),
        ({"body": "a"}, "a few words"),
        ({"body": "See http://a.example http://b.example www.c.example"}, "at most 2 links"),
        ({"name": "Visit www.spam.example"}, "not a web address"),
        ({"name": "n" * 81}, "at most 80 characters"),
        ({"email": "not-an-address"}, "email address like"),
        ({"name": ""}, "Enter your name"),
    ],
)
def test_comments_outside_the_limits_are_refused_with_the_reason(
    client, post, quick_readers, fields, message
):
    response = _comment(client, post, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_shown_as_text_never_html_and_without_the_email(client, post):
    CommentFactory(
        post=post,
        name="<b>Bold</b> Reader",
        email="secret.reader@example.net",
        body='<script>alert(1)</script>\n<a href="javascript:x">link</a>',
    )
    page = _shown(client, post)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; Reader" in page
    assert "secret.reader@example.net" not in page


def test_too_many_comments_from_one_address_are_refused_for_a_while(client, post, quick_readers):
    for n in range(5):
        assert _comment(client, post, email=f"r{n}@example.net").status_code == 302
    response = _comment(client, post, email="r9@example.net", body="The sixth try here.")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Wait a few minutes" in page
    assert "The sixth try here." in page
    # Another reader, from another address, is not held back.
    assert _comment(client, post, email="new@example.net", remote="198.51.100.2").status_code == 302


def test_too_many_comments_from_one_email_address_are_refused_from_any_client(
    client, post, quick_readers
):
    for n in range(3):
        assert _comment(client, post, remote=f"198.51.100.{n}").status_code == 302
    assert _comment(client, post, remote="198.51.100.99").status_code == 429
    assert Comment.objects.count() == 3


@pytest.mark.services
def test_the_limits_are_counted_in_redis_so_every_web_process_sees_them(
    client, post, quick_readers, settings
):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    for n in range(3):
        assert _comment(client, post, remote=f"198.51.100.{n}").status_code == 302
    # A fresh connection, as another web process would have, finds the same count.
    caches["default"].close()
    del caches["default"]
    assert _comment(client, post, remote="198.51.100.50").status_code == 429


def test_moderators_approve_reject_and_mark_spam(client, post, writer):
    waiting = [CommentFactory(post=post, status="pending", body=f"Comment {n}") for n in range(3)]
    for comment, action in zip(waiting, ["approve", "reject", "spam"], strict=True):
        services.comment_moderate(comment=comment, by=writer.user, action=action)
    page = _shown(client, post)
    assert "Comment 0" in page
    assert "Comment 1" not in page
    assert "Comment 2" not in page
    assert Commenter.objects.get(email=waiting[2].email).spam_at is not None
    assert Comment.objects.get(pk=waiting[0].pk).moderated_by == writer.user


def test_an_advisor_cannot_moderate_comments_on_another_advisors_post(post, other_writer):
    comment = CommentFactory(post=post, status="pending")
    with pytest.raises(services.BlogError, match="your own posts"):
        services.comment_moderate(comment=comment, by=other_writer.user, action="approve")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_an_editor_moderates_every_post(post, editor):
    comment = CommentFactory(post=post, status="pending")
    services.comment_moderate(comment=comment, by=editor.user, action="approve")
    comment.refresh_from_db()
    assert comment.status == "approved"


def test_the_confirmation_link_confirms_once_and_leaves_no_token_in_the_address(
    client, post, quick_readers
):
    _comment(client, post)
    body = OutboxEmail.objects.get(to="rosa@example.net").body_text
    link = re.search(r"/blog/comments/confirm/\S+/", body).group(0)
    response = client.get(link)
    assert response.status_code == 302
    assert "confirm" not in response.url
    assert Commenter.objects.get(email="rosa@example.net").confirmed_at is not None
    assert response.cookies[COOKIE_NAME]["httponly"]
    again = client.get(link)
    assert again.status_code == 410
    assert "does not work" in again.content.decode()


def test_an_old_or_forged_confirmation_link_is_refused(client, post, quick_readers):
    _comment(client, post)
    link = re.search(
        r"/blog/comments/confirm/\S+/", OutboxEmail.objects.get(to="rosa@example.net").body_text
    ).group(0)
    Commenter.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=8))
    assert client.get(link).status_code == 410
    assert client.get("/blog/comments/confirm/forged/").status_code == 410
    assert Commenter.objects.get().confirmed_at is None


def test_an_address_is_asked_to_confirm_at_most_once_a_day(client, post, quick_readers):
    _comment(client, post)
    _comment(client, post, body="And another thought.")
    assert OutboxEmail.objects.filter(to="rosa@example.net").count() == 1


def test_rejected_and_spam_comments_are_erased_after_a_month(post, settings):
    settings.BLOG_REJECTED_COMMENTS_KEEP_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    CommentFactory(post=post, status="rejected", created_at=old)
    CommentFactory(post=post, status="spam", created_at=old)
    kept = [
        CommentFactory(post=post, status="approved", created_at=old),
        CommentFactory(post=post, status="rejected"),
    ]
    assert services.comments_purge_rejected() == 2
    assert set(Comment.objects.all()) == set(kept)
