"""Factories for the blog: advisors, posts rendered as the services would, comments, pictures."""

from __future__ import annotations

import io
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PillowImage

from blog import services
from blog.models import AdvisorProfile, Comment, Post, Tag
from tests.factories import UserFactory


class AdvisorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorProfile

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda profile: profile.user.display_name)
    slug = factory.Sequence(lambda n: f"advisor-{n}")
    area = "values"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda tag: slugify(tag.name))


class PostFactory(factory.django.DjangoModelFactory):
    """A published post, a day old, rendered from its Markdown like the services do."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(AdvisorProfileFactory)
    title = factory.Sequence(lambda n: f"Post number {n}")
    slug = factory.LazyAttribute(lambda post: slugify(post.title))
    body = "The first paragraph says what the post is about.\n\nA second paragraph."
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    @factory.post_generation
    def rendered(obj, create, extracted, **kwargs):
        services._render_into(obj)
        if create:
            obj.save()

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)

    @factory.post_generation
    def co_authors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.co_authors.set(extracted)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"reader{n}@example.net")
    body = "A thoughtful comment about the post."
    status = Comment.Status.APPROVED


def picture_bytes(
    width: int = 1200, height: int = 800, *, fmt: str = "PNG", mode: str = "RGB"
) -> bytes:
    picture = PillowImage.new(mode, (width, height), "teal" if mode != "1" else 1)
    out = io.BytesIO()
    picture.save(out, fmt)
    return out.getvalue()


def picture_upload(name: str = "photo.png", content: bytes | None = None, **kwargs):
    return SimpleUploadedFile(
        name, content if content is not None else picture_bytes(**kwargs), "image/png"
    )
