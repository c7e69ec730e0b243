"""Writing and moderating pages: an advisor reaches their own posts and the comments on them,
editors reach everything, everybody else nothing; and the editor page works end to end."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import AdvisorProfile, Comment, Image, Post
from tests.blog.factories import CommentFactory, PostFactory, picture_upload
from tests.factories import PASSWORD
from wellbeing.accounts.models import Invitation
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(writer):
    return PostFactory(author=writer, title="Avi's post")


@pytest.fixture
def comment(post):
    return CommentFactory(post=post, status="pending", body="Please approve me.")


def _pages(post, comment):
    """Every writing page: (method, url, whose: "any writer" | "post" | "editor")."""
    return [
        ("get", reverse("blog:manage"), "any writer"),
        ("get", reverse("blog:post_new"), "any writer"),
        ("post", reverse("blog:post_new"), "any writer"),
        ("get", reverse("blog:moderation"), "any writer"),
        ("get", reverse("blog:post_edit", args=[post.pk]), "post"),
        ("post", reverse("blog:post_edit", args=[post.pk]), "post"),
        ("get", reverse("blog:post_delete", args=[post.pk]), "post"),
        ("post", reverse("blog:post_delete", args=[post.pk]), "post"),
        ("get", reverse("blog:post_history", args=[post.pk]), "post"),
        ("post", reverse("blog:moderate", args=[comment.pk]), "post"),
        ("get", reverse("blog:advisors_manage"), "editor"),
        ("get", reverse("blog:advisor_edit", args=[post.author.pk]), "editor"),
        ("post", reverse("blog:advisor_roles", args=[post.author.pk]), "editor"),
    ]


def test_people_who_are_not_signed_in_are_sent_to_sign_in_from_every_writing_page(
    client, post, comment
):
    for method, url, _whose in _pages(post, comment):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_someone_who_is_not_an_advisor_is_refused_every_writing_page(
    client_for, outsider, post, comment
):
    client = client_for(outsider)
    for method, url, _whose in _pages(post, comment):
        assert getattr(client, method)(url).status_code in {403, 404}, url
    assert client.get(reverse("blog:profile")).status_code == 403


def test_advisor_b_cannot_reach_advisor_as_post_or_its_comments(
    client_for, other_writer, post, comment
):
    client = client_for(other_writer.user)
    for method, url, whose in _pages(post, comment):
        status = getattr(client, method)(url).status_code
        if whose == "any writer":
            assert status in {200, 302, 400}, url
        else:
            assert status in {403, 404}, url
    post.refresh_from_db()
    comment.refresh_from_db()
    assert Post.objects.filter(pk=post.pk).exists()
    assert comment.status == "pending"
    assert "Please approve me." not in client.get(reverse("blog:moderation")).content.decode()


def test_an_editor_reaches_every_writing_page(client_for, editor, post, comment):
    client = client_for(editor.user)
    for method, url, _whose in _pages(post, comment):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_an_admin_is_an_editor_without_a_profile(client_for, admin, post):
    client = client_for(admin)
    assert client.get(reverse("blog:post_edit", args=[post.pk])).status_code == 200
    assert client.get(reverse("blog:advisors_manage")).status_code == 200


def _form(**changes):
    return {
        "title": "Living our values",
        "body": "The first paragraph.\n\nThe second.",
        "excerpt": "",
        "cover_alt": "",
        "tags": "values, people",
        "reader_question": "How could I improve this?",
        "series": "",
        "new_series": "",
        "series_position": "",
        "introduction": "",
        "introduced_by": "",
        "comments_open": "on",
        "when": "draft",
        "publish_at": "",
    } | changes


def test_an_advisor_writes_a_draft_with_a_cover_then_schedules_it(client_for, writer):
    client = client_for(writer.user)
    response = client.post(
        reverse("blog:post_new"),
        _form(cover=picture_upload(width=1300, height=800), cover_alt="A kitchen table"),
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("blog:post_edit", args=[post.pk])
    assert (post.status, post.author, post.cover_alt) == ("draft", writer, "A kitchen table")
    assert post.cover_image.uploaded_by == writer.user
    assert "Draft saved" in client.get(response.url).content.decode()
    at = timezone.localtime() + timedelta(days=2)
    client.post(
        response.url,
        _form(when="schedule", publish_at=at.strftime("%Y-%m-%dT%H:%M"), cover_alt="A table"),
    )
    post.refresh_from_db()
    assert post.status == "scheduled"
    assert post.cover_image is not None  # kept when no new picture is chosen
    assert timezone.localtime(post.published_at).strftime("%H:%M") == at.strftime("%H:%M")
    page = client.get(response.url).content.decode()
    assert "will be published on" in page


def test_save_and_see_it_opens_the_draft_as_readers_will_see_it(client_for, writer):
    client = client_for(writer.user)
    response = client.post(
        reverse("blog:post_new"), _form(title="A draft to read over", then="preview")
    )
    post = Post.objects.get()
    assert response.url == post.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "A draft to read over" in page
    assert "This is a draft. Only its writers and the editors can see it." in page


@pytest.mark.parametrize(
    ("changes", "message", "field_status"),
    [
        ({"title": ""}, "Give the post a title", 400),
        ({"when": "schedule", "publish_at": ""}, "Choose when to publish", 400),
        ({"when": "schedule", "publish_at": "2020-01-01T10:00"}, "time in the future", 400),
        ({"when": "schedule", "publish_at": "next tuesday"}, "Enter a date and time", 400),
        ({"cover": "not-a-file"}, "", 400),
        (
            {"series": "", "new_series": "S", "introduction": "Hi"},
            "who wrote the introduction",
            400,
        ),
    ],
)
def test_a_post_form_with_mistakes_says_what_to_fix_and_keeps_the_text(
    client_for, writer, changes, message, field_status
):
    if changes.get("cover") == "not-a-file":
        changes["cover"] = picture_upload("notes.png", b"just some text")
        message = "not a picture"
    response = client_for(writer.user).post(
        reverse("blog:post_new"), _form(body="My precious words.", **changes)
    )
    assert response.status_code == field_status
    page = response.content.decode()
    assert message in page
    assert "My precious words." in page
    assert not Post.objects.exists()


def _chosen_cover(page: str) -> str | None:
    found = re.search(r'name="chosen_cover" value="(\d+)"', page)
    return found.group(1) if found else None


@pytest.mark.parametrize("editing", [False, True])
def test_adding_a_picture_for_the_text_keeps_what_was_typed_and_saves_nothing(
    client_for, writer, post, editing
):
    client = client_for(writer.user)
    url = reverse("blog:post_edit", args=[post.pk]) if editing else reverse("blog:post_new")
    response = client.post(
        url,
        _form(
            title="Half-written thoughts",
            body="My precious words.",
            picture=picture_upload(),
            add_picture="1",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Half-written thoughts"' in page
    assert "My precious words." in page
    assert "There is a problem" not in page
    image = Image.objects.get()
    assert image.uploaded_by == writer.user
    assert f"![what the picture shows]({image.url})" in page
    assert "Picture added" in page
    post.refresh_from_db()
    assert post.title == "Avi's post"
    assert Post.objects.count() == 1


def test_adding_a_picture_before_writing_anything_asks_for_nothing_else(client_for, writer):
    response = client_for(writer.user).post(
        reverse("blog:post_new"),
        _form(title="", body="", picture=picture_upload(), add_picture="1"),
    )
    assert response.status_code == 200
    assert "There is a problem" not in response.content.decode()
    assert Image.objects.count() == 1
    assert not Post.objects.exists()


def test_a_refused_picture_for_the_text_says_why_and_keeps_what_was_typed(client_for, writer):
    response = client_for(writer.user).post(
        reverse("blog:post_new"),
        _form(
            body="My precious words.",
            picture=picture_upload("x.png", b"<svg onload=alert(1)>"),
            add_picture="1",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not a picture we can use" in page
    assert "My precious words." in page
    assert not Image.objects.exists()


def test_a_picture_chosen_for_the_text_is_added_when_the_post_is_saved_too(client_for, writer):
    client = client_for(writer.user)
    response = client.post(reverse("blog:post_new"), _form(picture=picture_upload()))
    assert response.status_code == 302
    image = Image.objects.get()
    page = client.get(response.url).content.decode()
    assert "Draft saved" in page
    assert f"![what the picture shows]({image.url})" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cover_alt": ""}, "Describe the cover picture"),
        ({"cover_alt": "A kitchen table", "introduction": "Hi"}, "who wrote the introduction"),
        ({"cover_alt": "A kitchen table", "title": ""}, "Give the post a title"),
    ],
)
def test_a_cover_chosen_with_a_refused_post_stays_chosen(client_for, writer, changes, message):
    client = client_for(writer.user)
    response = client.post(
        reverse("blog:post_new"), _form(cover=picture_upload(width=1300, height=800), **changes)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    cover = Image.objects.get()
    assert _chosen_cover(page) == str(cover.pk)
    assert "Your cover picture is kept" in page
    assert cover.small_url in page
    assert not Post.objects.exists()
    # Sent again with the mistake put right and no file chosen: the kept cover is used.
    fixed = _form(cover_alt="A kitchen table", chosen_cover=_chosen_cover(page))
    response = client.post(reverse("blog:post_new"), fixed)
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.cover_image, post.cover_alt) == (cover, "A kitchen table")
    assert Image.objects.count() == 1


def test_a_kept_cover_can_be_left_out_after_all(client_for, writer):
    client = client_for(writer.user)
    page = client.post(reverse("blog:post_new"), _form(cover=picture_upload())).content.decode()
    assert "Remove the cover picture" in page
    client.post(
        reverse("blog:post_new"), _form(chosen_cover=_chosen_cover(page), remove_cover="on")
    )
    assert Post.objects.get().cover_image is None


def test_a_cover_kept_while_editing_replaces_the_old_one_once_saved(client_for, writer, post):
    client = client_for(writer.user)
    url = reverse("blog:post_edit", args=[post.pk])
    client.post(url, _form(cover=picture_upload(), cover_alt="The first cover"))
    post.refresh_from_db()
    first = post.cover_image
    page = client.post(url, _form(cover=picture_upload(width=700, height=700))).content.decode()
    assert "Describe the cover picture" in page
    kept = Image.objects.exclude(pk=first.pk).get()
    assert _chosen_cover(page) == str(kept.pk)
    post.refresh_from_db()
    assert post.cover_image == first
    client.post(url, _form(chosen_cover=str(kept.pk), cover_alt="The second cover"))
    post.refresh_from_db()
    assert post.cover_image == kept


def test_a_cover_that_cannot_be_kept_is_asked_for_again(client_for, writer, other_writer):
    client = client_for(writer.user)
    refused = client.post(
        reverse("blog:post_new"),
        _form(cover=picture_upload("notes.png", b"just some text"), cover_alt="Notes"),
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "not a picture we can use. Choose a JPEG, PNG, WebP or GIF image." in page
    assert _chosen_cover(page) is None
    # A kept picture that is no longer there, or was never theirs, is not used.
    gone = client.post(reverse("blog:post_new"), _form(cover=picture_upload())).content.decode()
    Image.objects.filter(pk=_chosen_cover(gone)).delete()
    theirs = Image.objects.create(uploaded_by=other_writer.user, width=1, height=1)
    for chosen in (_chosen_cover(gone), str(theirs.pk)):
        response = client.post(
            reverse("blog:post_new"), _form(chosen_cover=chosen, cover_alt="A table")
        )
        assert response.status_code == 400
        assert "choose the file again" in response.content.decode()
    assert not Post.objects.exists()


def test_the_history_page_lists_every_saved_version(client_for, writer, editor):
    client = client_for(writer.user)
    client.post(reverse("blog:post_new"), _form(when="now"))
    post = Post.objects.get()
    client_for(editor.user).post(
        reverse("blog:post_edit", args=[post.pk]), _form(title="Edited by the editor", when="now")
    )
    page = client_for(writer.user).get(reverse("blog:post_history", args=[post.pk]))
    text = page.content.decode()
    assert "by Eddie Editor" in text
    assert "by Avi Advisor" in text
    assert "Edited by the editor" in text


def test_the_moderation_queue_shows_waiting_comments_with_the_email_and_acts_on_them(
    client_for, writer, post, comment
):
    client = client_for(writer.user)
    page = client.get(reverse("blog:moderation")).content.decode()
    assert "Please approve me." in page
    assert comment.email in page
    response = client.post(reverse("blog:moderate", args=[comment.pk]), {"action": "approve"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert "Please approve me." in client.get(post.get_absolute_url()).content.decode()


def test_an_unknown_moderation_action_changes_nothing(client_for, writer, comment):
    client_for(writer.user).post(reverse("blog:moderate", args=[comment.pk]), {"action": "eat"})
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_an_advisor_edits_their_profile_and_photo(client_for, writer):
    client = client_for(writer.user)
    response = client.post(
        reverse("blog:profile"),
        {
            "name": "Avi A.",
            "area": "co-production",
            "bio": "Hello.",
            "links": "https://example.org/avi\n",
            "photo": picture_upload(width=600, height=600),
        },
    )
    assert response.status_code == 302
    writer.refresh_from_db()
    assert (writer.name, writer.area, writer.links) == (
        "Avi A.",
        "co-production",
        ["https://example.org/avi"],
    )
    assert writer.photo is not None
    bad = client.post(
        reverse("blog:profile"), {"name": "Avi", "area": "x", "links": "javascript:alert(1)"}
    )
    assert bad.status_code == 400
    assert "not a web address" in bad.content.decode()


def test_an_editor_invites_a_guest_writer_who_accepts_and_can_write(client_for, editor, client):
    response = client_for(editor.user).post(
        reverse("blog:advisors_manage"),
        {
            "invite": "1",
            "display_name": "Grace Partner",
            "email": "grace@example.net",
            "area": "co-production with families",
            "is_guest": "on",
        },
    )
    assert response.status_code == 302
    email = OutboxEmail.objects.get(to="grace@example.net")
    assert "a guest writer on our blog, about co-production with families" in email.body_text
    link = re.search(r"/accounts/invitation/\S+/", email.body_text).group(0)
    client.logout()
    accepted = client.post(
        link, {"display_name": "Grace Partner", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert accepted.status_code == 302
    profile = AdvisorProfile.objects.get(user__email="grace@example.net")
    assert profile.is_guest
    assert not profile.is_editor
    assert profile.area.startswith("co-prod")
    assert client.get(reverse("blog:post_new")).status_code == 200


def test_only_editors_invite_writers(client_for, writer):
    response = client_for(writer.user).post(
        reverse("blog:advisors_manage"),
        {"invite": "1", "display_name": "X", "email": "x@example.net", "area": "y"},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_an_editor_adds_someone_with_an_account_and_grants_the_editor_role(
    client_for, editor, member
):
    client = client_for(editor.user)
    response = client.post(
        reverse("blog:advisors_manage"),
        {"add": "1", "existing_email": member.email.upper(), "existing_area": "rotas"},
    )
    assert response.status_code == 302
    profile = AdvisorProfile.objects.get(user=member)
    client.post(
        reverse("blog:advisor_roles", args=[profile.pk]), {"is_editor": "on", "is_active": "on"}
    )
    profile.refresh_from_db()
    assert profile.is_editor
    unknown = client.post(
        reverse("blog:advisors_manage"), {"add": "1", "existing_email": "nobody@example.net"}
    )
    assert unknown.status_code == 400
    assert "Invite them instead" in unknown.content.decode()


def test_an_advisor_who_stops_writing_keeps_their_posts_but_cannot_write(
    client_for, editor, writer, post
):
    client_for(editor.user).post(reverse("blog:advisor_roles", args=[writer.pk]), {})
    writer.refresh_from_db()
    assert not writer.is_active
    assert client_for(writer.user).get(reverse("blog:post_new")).status_code == 403
    assert client_for(writer.user).get(post.get_absolute_url()).status_code == 200


def test_the_writers_list_runs_fixed_queries(client_for, writer, assert_fixed_queries):
    client = client_for(writer.user)

    def grow():
        for _n in range(5):
            post = PostFactory(author=writer)
            CommentFactory(post=post, status="pending")

    PostFactory(author=writer)
    assert_fixed_queries(lambda: client.get(reverse("blog:manage")), grow, most=12)
    assert_fixed_queries(lambda: client.get(reverse("blog:moderation")), grow, most=12)
