"""The demo blog shows every feature with made-up people, and running it again changes
nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blog.models import AdvisorProfile, Comment, Image, Post, Tag
from wellbeing.demo import seed_demo

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (AdvisorProfile, Post, Comment, Image, Tag))


def test_the_demo_blog_has_every_feature_and_runs_twice(client, settings):
    sign_ins = seed_demo()
    first = _counts()
    seed_demo()
    assert _counts() == first

    advisors = AdvisorProfile.objects.all()
    assert advisors.count() >= 4
    assert advisors.filter(is_guest=True).count() == 1
    assert advisors.filter(is_editor=True).exists()
    assert all(advisor.photo_id for advisor in advisors)
    guest = advisors.get(is_guest=True)
    assert any(sign_in.email == guest.user.email for sign_in in sign_ins)

    published = Post.objects.filter(status="published")
    assert published.count() >= 6
    assert Post.objects.filter(status="scheduled").count() >= 1
    assert Post.objects.filter(status="draft").count() >= 1
    assert published.filter(author=guest).exists()
    for post in published:  # its history says who published it
        assert post.history.filter(status="published", history_user=post.author.user).exists()
    assert Post.objects.exclude(introduction="").filter(introduced_by__isnull=False).exists()
    series_posts = published.filter(series__isnull=False).order_by("series_position")
    assert [p.series_position for p in series_posts] == [1, 2, 3]
    assert published.exclude(reader_question="").exists()
    assert all(post.tags.exists() for post in Post.objects.all())
    assert Comment.objects.filter(status="pending").count() >= 3
    assert Comment.objects.filter(by_post_author=True, status="approved").exists()
    assert Image.objects.count() >= 10
    assert published.filter(body_html__contains="srcset=").exists()  # a chart in the text
    for image in Image.objects.all():
        for _w, _h, name in image.renditions:
            assert (settings.MEDIA_ROOT / name).exists()

    home = client.get(reverse("blog:home"))
    assert home.status_code == 200
    for post in published:
        assert client.get(post.get_absolute_url()).status_code == 200
