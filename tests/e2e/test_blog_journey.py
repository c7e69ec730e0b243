"""Journey: an advisor writes a post with pictures and schedules it; it appears at its time;
a reader comments on their phone; the advisor, told by email, approves; the comment shows.

Everything real: the browser, a Celery worker on Redis, an SMTP server receiving the mail.
Every page visited is checked with axe.
"""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageDraw
from playwright.sync_api import expect

from blog.models import Comment, Post
from tests.blog.factories import AdvisorProfileFactory
from tests.e2e.browsing import visit
from tests.factories import PASSWORD, UserFactory
from tests.services import assert_accessible, body_text, wait_until
from wellbeing.celery import app as celery_app

pytestmark = [pytest.mark.e2e, pytest.mark.services, pytest.mark.django_db(transaction=True)]

TITLE = "What a good day looks like"


def _cover_picture() -> dict:
    picture = PillowImage.new("RGB", (1400, 800), (216, 232, 245))
    ImageDraw.Draw(picture).ellipse((400, 150, 1000, 650), fill=(0, 94, 184))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return {"name": "kitchen-table.jpg", "mimeType": "image/jpeg", "buffer": out.getvalue()}


def test_a_post_is_scheduled_appears_on_time_takes_a_comment_and_the_advisor_approves_it(
    page, phone, settings, celery_worker, smtp_server
):
    settings.BLOG_COMMENT_MIN_SECONDS = 2
    writer = AdvisorProfileFactory(
        user=UserFactory(email="neil@example.org", display_name="Neil Fairbairn"),
        name="Neil Fairbairn",
        slug="neil-fairbairn",
        area="HR and wellbeing at work",
    )

    # The advisor signs in and writes a post with a cover picture.
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill("neil@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Blog").click()
    assert_accessible(page)
    page.get_by_role("link", name="Your posts and comments waiting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Write a post").click()
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Your post").fill(
        "When my mother's team first came, they asked her what a good day looked like.\n\n"
        "## What we learned\n\nListen first. Then plan the week together."
    )
    page.get_by_label("Cover picture (optional)").set_input_files(_cover_picture())
    # A picture for the text, added while writing: what is typed stays, the cover stays chosen.
    page.get_by_label("Add a picture to use in the text").set_input_files(_cover_picture())
    page.get_by_role("button", name="Upload picture").click()
    expect(page.get_by_text("Picture added")).to_be_in_viewport()
    assert_accessible(page)
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    expect(page.get_by_label("Your post")).to_have_value(re.compile("Listen first"))
    expect(page.get_by_text("Your cover picture is kept")).to_be_visible()
    page.get_by_label("Describe the cover picture").fill("A blue circle on a pale blue table")
    page.get_by_label("Tags (optional)").fill("co-production, families")
    page.get_by_label("A question for readers (optional)").fill("What does a good day look like?")

    # It is scheduled to go live shortly.
    page.get_by_label("Publish it at a time I choose").check()
    go_live = timezone.localtime() + timedelta(seconds=30)
    page.locator("#id_publish_at").evaluate(
        "(input, value) => { input.value = value; }", go_live.strftime("%Y-%m-%dT%H:%M:%S")
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("will be published on")).to_be_visible()
    assert_accessible(page)
    post = Post.objects.get(title=TITLE)
    assert post.status == Post.Status.SCHEDULED

    # Readers do not see it before its time...
    visit(phone, "/blog/")
    expect(phone.get_by_role("link", name=TITLE)).to_have_count(0)
    remaining = (post.published_at - timezone.now()).total_seconds()
    assert remaining > 0, "the post went live before the reader looked"
    time.sleep(remaining + 1)

    # Its time has come: beat sends the publishing task by name, the worker publishes it...
    celery_app.send_task(settings.CELERY_BEAT_SCHEDULE["blog-publish-due"]["task"])
    assert wait_until(
        lambda: Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED, timeout=30
    ), "the beat task did not publish the post"

    # ...and readers see it from then on, without anyone pressing a button.
    phone.reload()
    assert_accessible(phone)
    phone.get_by_role("link", name=TITLE).first.click()
    phone.wait_for_load_state()
    assert_accessible(phone)
    cover = phone.get_by_role("img", name="A blue circle on a pale blue table")
    expect(cover).to_be_visible()
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(phone.get_by_text("What does a good day look like?")).to_be_visible()

    # A reader comments.
    phone.get_by_label("Your name").fill("Elaine Booth")
    phone.get_by_label("Your email address").fill("elaine@example.net")
    phone.get_by_label("Your comment").fill("The open window and the radio: that is care.")
    time.sleep(settings.BLOG_COMMENT_MIN_SECONDS)
    phone.get_by_role("button", name="Send comment").click()
    # The thanks is where they were looking, by the comment form, not off-screen at the top.
    thanks = phone.locator("#comment-sent")
    expect(thanks).to_contain_text("It is waiting for the author to read it")
    expect(thanks).to_be_in_viewport()
    assert_accessible(phone)
    expect(phone.get_by_text("The open window and the radio")).to_have_count(0)

    # The advisor is emailed, follows the link and approves the comment.
    assert wait_until(lambda: smtp_server.to("neil@example.org"), timeout=30)
    mail = body_text(smtp_server.to("neil@example.org")[0])
    queue = re.sub(
        r"^https?://[^/]+", "", re.search(r"https?://\S+/blog/manage/comments/", mail).group(0)
    )
    visit(page, queue)
    expect(page.get_by_text("The open window and the radio")).to_be_visible()
    page.get_by_role("button", name="Approve the comment from Elaine Booth").click()
    expect(page.get_by_text("The comment from Elaine Booth is approved")).to_be_visible()
    assert_accessible(page)
    assert Comment.objects.get().status == Comment.Status.APPROVED

    # The reader sees it under the post.
    phone.goto(phone.base_url + post.get_absolute_url())
    expect(phone.get_by_text("The open window and the radio: that is care.")).to_be_visible()
    assert_accessible(phone)
    assert writer.posts.count() == 1
