"""The blog's records: advisors, their posts with tags and series, images, the public's comments.

Posts are written in Markdown; the sanitised HTML is made once, when the post is saved, so a
reader's page never renders Markdown. Comments and the addresses that wrote them are personal
data with no history table on purpose: a rejected comment is erased for good (see
`services.comments_purge_rejected`), and moderation itself is recorded on the comment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from wellbeing.accounts.models import Invitation

POST_BODY_MAX_LENGTH = 50_000
EXCERPT_MAX_LENGTH = 600
INTRODUCTION_MAX_LENGTH = 1_500
COMMENT_MAX_LENGTH = 2_000
COMMENT_NAME_MAX_LENGTH = 80


class Image(models.Model):
    """An uploaded picture, checked and re-encoded at a few widths for `srcset`.

    The original file is never kept: only re-encoded copies without metadata (a phone photo's
    location goes no further than the upload).
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # [[width, height, storage name], ...], narrowest first.
    renditions = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Image {self.pk} ({self.width}×{self.height})"

    def url_for(self, width: int) -> str:
        """The narrowest copy at least `width` wide (or the widest there is)."""
        chosen = self.renditions[-1]
        for rendition in self.renditions:
            if rendition[0] >= width:
                chosen = rendition
                break
        return default_storage.url(chosen[2])

    @property
    def url(self) -> str:
        return self.url_for(960)

    @property
    def small_url(self) -> str:
        return self.url_for(480)

    @property
    def srcset(self) -> str:
        return ", ".join(f"{default_storage.url(name)} {w}w" for w, _h, name in self.renditions)

    @property
    def display_height(self) -> int:
        """Height of the copy `url` gives, so the page reserves the right space."""
        for w, h, _name in self.renditions:
            if w >= 960:
                return h
        return self.renditions[-1][1]

    @property
    def display_width(self) -> int:
        for w, _h, _name in self.renditions:
            if w >= 960:
                return w
        return self.renditions[-1][0]


class AdvisorProfile(models.Model):
    """Someone who writes on the blog: a staff advisor or an invited guest.

    `is_editor` is the editor role: editors (and organisation admins) change any post and
    moderate every comment; other advisors their own posts and the comments on them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advisor_profile"
    )
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    area = models.CharField(
        "area they advise on",
        max_length=120,
        help_text="For example: values, HR, improvement, digital, co-production with families.",
    )
    bio = models.TextField(max_length=1000, blank=True)
    photo = models.ForeignKey(
        Image, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    links = models.JSONField(default=list, blank=True)
    is_guest = models.BooleanField(
        "guest writer",
        default=False,
        help_text="A guest, such as a co-production partner, rather than one of our staff.",
    )
    is_editor = models.BooleanField(
        "editor",
        default=False,
        help_text="Editors can change any post and moderate every comment.",
    )
    is_active = models.BooleanField(
        "writing", default=True, help_text="Advisors who no longer write keep their posts."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:advisor", args=[self.slug])


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blog:tag", args=[self.slug])


class Series(models.Model):
    """Posts meant to be read in order ("the first of a series on living our values")."""

    title = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(max_length=600, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:series", args=[self.slug])


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    author = models.ForeignKey(AdvisorProfile, on_delete=models.PROTECT, related_name="posts")
    co_authors = models.ManyToManyField(AdvisorProfile, blank=True, related_name="co_written_posts")
    excerpt = models.TextField(
        max_length=EXCERPT_MAX_LENGTH,
        blank=True,
        help_text="Shown on the blog's front page. Leave empty to use the first paragraph.",
    )
    body = models.TextField(max_length=POST_BODY_MAX_LENGTH)
    # Made from the fields above when the post is saved (services.py); never typed in.
    summary = models.TextField(editable=False, default="")
    body_html = models.TextField(editable=False, default="")
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    cover_image = models.ForeignKey(
        Image, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cover_alt = models.CharField(
        "cover image description",
        max_length=250,
        blank=True,
        help_text="What the picture shows, for people who cannot see it.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    series_position = models.PositiveSmallIntegerField(null=True, blank=True)
    introduction = models.TextField(max_length=INTRODUCTION_MAX_LENGTH, blank=True)
    introduction_html = models.TextField(editable=False, default="")
    introduced_by = models.ForeignKey(
        AdvisorProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
    )
    reader_question = models.CharField(
        "question for readers",
        max_length=300,
        blank=True,
        help_text="Shown above the comment form, such as “How could I improve this idea?”",
    )
    comments_open = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Every edit, including those after publishing, with who made it.
    history = HistoricalRecords(excluded_fields=["body_html", "introduction_html", "summary"])

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="blog_post_public")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="blog_post_scheduled_or_published_has_a_time",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("blog:post", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


class Commenter(models.Model):
    """An address that has commented. Confirmed once its owner follows the emailed link.

    A confirmed address with an approved comment has its later comments shown straight away;
    one a moderator marked as spam has its later comments set aside unseen.
    """

    email = models.EmailField(unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    spam_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    # Replies go one level deep: a reply's parent is never itself a reply.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    name = models.CharField(max_length=COMMENT_NAME_MAX_LENGTH)
    # Never shown on the blog; moderators see it.
    email = models.EmailField()
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_post_author = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "status", "created_at"], name="blog_comment_post")]

    def __str__(self) -> str:
        return f"Comment by {self.name} on {self.post_id}"


class AdvisorInvitation(models.Model):
    """What an invitation grants on the blog: an advisor profile, as a guest or staff."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="advisor_grant"
    )
    area = models.CharField(max_length=120)
    is_guest = models.BooleanField(default=True)
    is_editor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{'Guest advisor' if self.is_guest else 'Advisor'} on {self.area}"
