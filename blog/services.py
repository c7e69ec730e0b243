"""Writes on the blog: posts and their publishing, images, comments and moderation, advisors.

Every change a reader could see retires the cached anonymous pages once its transaction
commits (`caching.blog_changed`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from io import BytesIO
from typing import Required, TypedDict, Unpack

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from wellbeing.accounts.models import Invitation, User, hash_token, new_token
from wellbeing.accounts.services import InvitationError, invitation_create, invitation_send
from wellbeing.errors import DomainError
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue

from . import images, permissions, rendering
from .caching import blog_changed
from .models import (
    COMMENT_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    EXCERPT_MAX_LENGTH,
    INTRODUCTION_MAX_LENGTH,
    POST_BODY_MAX_LENGTH,
    AdvisorInvitation,
    AdvisorProfile,
    Comment,
    Commenter,
    Image,
    Post,
    Series,
    Tag,
)

TITLE_MAX_LENGTH = Post._meta.get_field("title").max_length
MAX_TAGS = 8
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
MAX_SCHEDULE_AHEAD = timedelta(days=366)
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class BlogError(DomainError):
    """A rule of the blog was broken; the message says which, for a person to read."""


def _changed() -> None:
    transaction.on_commit(blog_changed)


def _unique_slug(model, text: str, *, max_length: int, exclude_pk: int | None = None) -> str:
    base = slugify(text)[: max_length - 6].strip("-") or "post"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Images ------------------------------------------------------------------------------------


def image_upload(*, upload: UploadedFile | BytesIO, by: User) -> Image:
    """Check, re-encode and store a picture. Raises BlogError saying what was wrong."""
    if not permissions.can_write(by):
        raise BlogError("Only advisors can upload pictures.")
    try:
        width, height, renditions = images.store_picture(upload)
    except images.ImageRejected as exc:
        raise BlogError(str(exc)) from exc
    return Image.objects.create(uploaded_by=by, width=width, height=height, renditions=renditions)


def _check_image_owner(*, image: Image | None, by: User, current: Image | None = None) -> None:
    if image is None or image == current:
        return
    if image.uploaded_by_id != by.pk and not permissions.is_editor(by):
        raise BlogError("Choose a picture you uploaded.")


def _check_names_of_others(
    post: Post,
    *,
    by: User,
    co_authors: list[AdvisorProfile],
    introduced_by: AdvisorProfile | None,
    series: Series | None,
) -> None:
    """Only an editor puts someone else's name to a post: as a co-author, as the one who
    introduces it, or by adding it to a series other advisors write in. A writer keeps what an
    editor set, and may start or add to a series of their own."""
    if permissions.is_editor(by):
        return
    current_co_authors = set(post.co_authors.values_list("pk", flat=True)) if post.pk else set()
    if {profile.pk for profile in co_authors} - current_co_authors:
        raise BlogError("Only an editor adds co-authors: ask one to add them to your post.")
    if introduced_by is not None and introduced_by.pk not in (
        post.introduced_by_id if post.pk else None,
        post.author_id,
    ):
        raise BlogError(
            "Only an editor puts an introduction in someone else's name: ask one to add it."
        )
    if (
        series is not None
        and (not post.pk or series.pk != post.series_id)
        and series.posts.exclude(author_id=post.author_id).exists()
    ):
        raise BlogError(
            f"Other advisors write in “{series}”: ask an editor to add your post to it."
        )


# --- Posts --------------------------------------------------------------------------------------


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    cleaned: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > TAG_MAX_LENGTH:
            raise BlogError(f"Keep each tag to {TAG_MAX_LENGTH} characters or fewer.")
        slug = slugify(name)
        if not slug:
            raise BlogError(f"“{name}” cannot be a tag: use letters or numbers.")
        cleaned.setdefault(slug, name)
    if len(cleaned) > MAX_TAGS:
        raise BlogError(f"Choose at most {MAX_TAGS} tags.")
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=cleaned)}
    tags = []
    for slug, name in cleaned.items():
        tag = existing.get(slug)
        if tag is None:
            tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    return tags


def _srcsets_for(addresses: list[str]) -> dict[str, str]:
    """The srcset of each uploaded picture among `addresses` (one query, when there are any).

    Every rendition of a picture sits in one folder of its own (`images.store_picture`)."""
    names = {
        address: address.removeprefix(settings.MEDIA_URL)
        for address in addresses
        if settings.MEDIA_URL and address.startswith(settings.MEDIA_URL)
    }
    folders = {name.rsplit("/", 1)[0] for name in names.values() if "/" in name}
    if not folders:
        return {}
    matches = Q()
    for folder in folders:
        matches |= Q(renditions__icontains=f"{folder}/")
    by_name = {
        rendition[2]: image
        for image in Image.objects.filter(matches)
        for rendition in image.renditions
    }
    return {
        address: by_name[name].srcset
        for address, name in names.items()
        if name in by_name and len(by_name[name].renditions) > 1
    }


def _render_markdown_with_pictures(text: str) -> str:
    fragment = rendering.render_markdown(text)
    return rendering.responsive_pictures(fragment, _srcsets_for(rendering.media_pictures(fragment)))


def _render_into(post: Post) -> None:
    post.body_html = _render_markdown_with_pictures(post.body)
    post.introduction_html = (
        _render_markdown_with_pictures(post.introduction) if post.introduction else ""
    )
    post.summary = (
        rendering.shorten(" ".join(post.excerpt.split()), limit=EXCERPT_MAX_LENGTH)
        if post.excerpt.strip()
        else rendering.first_paragraph_text(post.body_html, limit=300)
    )
    post.reading_minutes = rendering.reading_minutes(post.body_html)


def _check_content(
    *,
    title: str,
    body: str,
    excerpt: str,
    cover_image: Image | None,
    cover_alt: str,
    introduction: str,
    introduced_by: AdvisorProfile | None,
    author: AdvisorProfile,
    reader_question: str,
) -> None:
    if not title:
        raise BlogError("Give the post a title.")
    if len(title) > TITLE_MAX_LENGTH:
        raise BlogError(f"Keep the title to {TITLE_MAX_LENGTH} characters or fewer.")
    if not body:
        raise BlogError("Write the post: the text is empty.")
    if len(body) > POST_BODY_MAX_LENGTH:
        raise BlogError(f"Keep the post to {POST_BODY_MAX_LENGTH:,} characters or fewer.")
    if len(excerpt) > EXCERPT_MAX_LENGTH:
        raise BlogError(f"Keep the excerpt to {EXCERPT_MAX_LENGTH} characters or fewer.")
    if cover_image is not None and not cover_alt:
        raise BlogError("Describe the cover picture for people who cannot see it.")
    if len(introduction) > INTRODUCTION_MAX_LENGTH:
        raise BlogError(
            f"Keep the introduction to {INTRODUCTION_MAX_LENGTH:,} characters or fewer."
        )
    if introduction and introduced_by is None:
        raise BlogError("Say who wrote the introduction.")
    if introduced_by is not None and introduced_by.pk == author.pk:
        raise BlogError("An introduction is written by someone other than the author.")
    if len(reader_question) > Post._meta.get_field("reader_question").max_length:
        raise BlogError("Keep the question for readers to 300 characters or fewer.")


def _series_position(
    series: Series | None, position: int | None, post_pk: int | None
) -> int | None:
    if series is None:
        return None
    if position is not None:
        if position < 1:
            raise BlogError("The place in the series starts at 1.")
        return position
    last = series.posts.exclude(pk=post_pk).aggregate(last=Max("series_position"))["last"]
    return (last or 0) + 1


def series_get_or_create(*, title: str) -> Series:
    title = " ".join(title.split())
    if not title:
        raise BlogError("Give the series a title.")
    series = Series.objects.filter(title__iexact=title).first()
    if series is None:
        series = Series.objects.create(
            title=title[:150], slug=_unique_slug(Series, title, max_length=160)
        )
    return series


class PostContent(TypedDict, total=False):
    """What a writer types into a post; `post_create` and `post_update` take these."""

    title: Required[str]
    body: Required[str]
    excerpt: str
    tags: Iterable[str]
    cover_image: Image | None
    cover_alt: str
    series: Series | None
    series_position: int | None
    introduction: str
    introduced_by: AdvisorProfile | None
    reader_question: str
    co_authors: Iterable[AdvisorProfile]
    comments_open: bool


@transaction.atomic
def post_create(*, by: User, author: AdvisorProfile, **content: Unpack[PostContent]) -> Post:
    """A new draft. Advisors write as themselves; editors may write for any advisor."""
    if not permissions.can_write(by):
        raise BlogError("Only advisors can write posts.")
    own = permissions.advisor_profile_for(by)
    if (own is None or author.pk != own.pk) and not permissions.is_editor(by):
        raise BlogError("You can only write posts as yourself.")
    if not author.is_active:
        raise BlogError(f"{author.name} is not writing for the blog at the moment.")
    return _post_fill_and_save(Post(author=author), by=by, **content)


@transaction.atomic
def post_update(*, post: Post, by: User, **content: Unpack[PostContent]) -> Post:
    """Change a post. Once published, every change is kept in its history with who made it."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_edit_post(by, post):
        raise BlogError("You can only change your own posts.")
    return _post_fill_and_save(post, by=by, **content)


def _post_fill_and_save(
    post: Post,
    *,
    by: User,
    title: str,
    body: str,
    excerpt: str = "",
    tags: Iterable[str] = (),
    cover_image: Image | None = None,
    cover_alt: str = "",
    series: Series | None = None,
    series_position: int | None = None,
    introduction: str = "",
    introduced_by: AdvisorProfile | None = None,
    reader_question: str = "",
    co_authors: Iterable[AdvisorProfile] = (),
    comments_open: bool = True,
) -> Post:
    title, body, excerpt = title.strip(), body.strip(), excerpt.strip()
    cover_alt, introduction = cover_alt.strip(), introduction.strip()
    reader_question = reader_question.strip()
    _check_content(
        title=title,
        body=body,
        excerpt=excerpt,
        cover_image=cover_image,
        cover_alt=cover_alt,
        introduction=introduction,
        introduced_by=introduced_by if introduction else None,
        author=post.author,
        reader_question=reader_question,
    )
    _check_image_owner(image=cover_image, by=by, current=post.cover_image if post.pk else None)
    co_authors = [profile for profile in co_authors if profile.pk != post.author_id]
    _check_names_of_others(
        post,
        by=by,
        co_authors=co_authors,
        introduced_by=introduced_by if introduction else None,
        series=series,
    )
    tag_objects = _tags_from_names(tags)
    post.title, post.body, post.excerpt = title, body, excerpt
    post.cover_image, post.cover_alt = cover_image, cover_alt if cover_image else ""
    post.series = series
    post.series_position = _series_position(series, series_position, post.pk)
    post.introduction = introduction
    post.introduced_by = introduced_by if introduction else None
    post.reader_question, post.comments_open = reader_question, comments_open
    if not post.pk:
        post.slug = _unique_slug(Post, title, max_length=220)
    _render_into(post)
    post._history_user = by
    post.save()
    post.tags.set(tag_objects)
    post.co_authors.set(co_authors)
    if post.status != Post.Status.DRAFT:
        _changed()
    return post


@transaction.atomic
def post_publish(*, post: Post, by: User, at: datetime | None = None) -> Post:
    """Publish now (`at` empty or past) or schedule for a time to come.

    A post published before keeps its first publication date when it is published again.
    """
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_edit_post(by, post):
        raise BlogError("You can only publish your own posts.")
    now = timezone.now()
    if at is not None and at > now:
        if at > now + MAX_SCHEDULE_AHEAD:
            raise BlogError("Schedule the post within the next year.")
        post.status, post.published_at = Post.Status.SCHEDULED, at
    else:
        already = post.published_at if post.published_at and post.published_at <= now else None
        post.status, post.published_at = Post.Status.PUBLISHED, already or now
    post._history_user = by
    post.save(update_fields=["status", "published_at", "updated_at"])
    _changed()
    return post


@transaction.atomic
def post_unpublish(*, post: Post, by: User) -> Post:
    """Back to a draft: off the blog, its feeds and search, until published again."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_edit_post(by, post):
        raise BlogError("You can only change your own posts.")
    was_published = post.published_at and post.published_at <= timezone.now()
    post.status = Post.Status.DRAFT
    if not was_published:
        post.published_at = None
    post._history_user = by
    post.save(update_fields=["status", "published_at", "updated_at"])
    _changed()
    return post


@transaction.atomic
def post_delete(*, post: Post, by: User) -> None:
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not permissions.can_edit_post(by, post):
        raise BlogError("You can only delete your own posts.")
    if post.status == Post.Status.PUBLISHED:
        raise BlogError("Take the post off the blog (back to a draft) before deleting it.")
    post._history_user = by
    post.delete()
    _changed()


def posts_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled post whose time has come. Safe to run twice, or at once in two
    processes: each post is claimed with a locked, conditional read."""
    now = now or timezone.now()
    published: list[int] = []
    with transaction.atomic():
        due = (
            Post.objects.select_for_update(skip_locked=True)
            .filter(status=Post.Status.SCHEDULED, published_at__lte=now)
            .order_by("published_at")
        )
        for post in due:
            post.status = Post.Status.PUBLISHED
            post._history_user = None
            post.save(update_fields=["status", "updated_at"])
            published.append(post.pk)
        if published:
            _changed()
    return published


# --- Comments -----------------------------------------------------------------------------------


def _clean_comment(*, name: str, email: str, body: str) -> tuple[str, str, str]:
    name, email, body = " ".join(name.split()), email.strip().lower(), body.strip()
    if not name:
        raise BlogError("Enter your name.")
    if len(name) > COMMENT_NAME_MAX_LENGTH:
        raise BlogError(f"Keep your name to {COMMENT_NAME_MAX_LENGTH} characters or fewer.")
    if _LINK.search(name):
        raise BlogError("Enter your name, not a web address.")
    if not email:
        raise BlogError("Enter your email address.")
    if len(body) < settings.BLOG_COMMENT_MIN_LENGTH:
        raise BlogError("Write a comment of a few words at least.")
    if len(body) > COMMENT_MAX_LENGTH:
        raise BlogError(f"Keep your comment to {COMMENT_MAX_LENGTH:,} characters or fewer.")
    links = len(_LINK.findall(body))
    if links > settings.BLOG_COMMENT_MAX_LINKS:
        raise BlogError(
            f"A comment can have at most {settings.BLOG_COMMENT_MAX_LINKS} links. "
            "Remove some and send it again."
        )
    return name, email, body


def _comment_status(
    *, post: Post, commenter: Commenter, user: User | None, address_proven: bool
) -> tuple[str, bool]:
    """The status a new comment starts in, and whether it is the post author's own.

    A comment skips moderation only when whoever sends it has shown they own its address (a
    signed-in account, or a browser that followed the confirmation link) and that address has
    had a comment approved before. Typing a trusted reader's address earns nothing.
    """
    if user is not None and user.is_authenticated and permissions.can_edit_post(user, post):
        return Comment.Status.APPROVED, permissions.is_post_author(user, post)
    owner = (user is not None and user.is_authenticated) or (
        address_proven and commenter.confirmed_at is not None
    )
    if commenter.spam_at is not None:
        # Anyone can type an address, so a spam mark on it silences only those who cannot show
        # it is theirs; its owner (signed in, or a confirmed browser) is read by a moderator.
        return (Comment.Status.PENDING if owner else Comment.Status.SPAM), False
    if (
        owner
        and Comment.objects.filter(email=commenter.email, status=Comment.Status.APPROVED).exists()
    ):
        return Comment.Status.APPROVED, False
    return Comment.Status.PENDING, False


def _moderators(post: Post) -> list[User]:
    """Who is told a comment waits: the post's writers, or the editors if none can."""
    writers = [post.author, *post.co_authors.all()]
    people = [p.user for p in writers if p.is_active and p.user.is_active]
    if not people:
        editors = AdvisorProfile.objects.filter(is_editor=True, is_active=True).select_related(
            "user"
        )
        people = [p.user for p in editors if p.user.is_active]
    return people


def _tell_moderators(comment: Comment) -> None:
    for person in _moderators(comment.post):
        email_queue(
            to=person.email,
            template="blog/comment_waiting",
            context={
                "person": person,
                "post": comment.post,
                "comment": comment,
                "queue_url": absolute_reverse("blog:moderation"),
                "post_url": absolute_reverse("blog:post", args=[comment.post.slug]),
            },
            idempotency_key=f"blog-comment-waiting:{comment.pk}:{person.pk}",
        )


def _ask_to_confirm(commenter: Commenter, post: Post) -> None:
    """Offer the address's owner to confirm it from the browser they comment in, at most once
    a day, so their later comments show straight away. The email carries nothing the
    commenter typed, so the form cannot be used to send anyone a message."""
    now = timezone.now()
    if commenter.confirmation_sent_at and now - commenter.confirmation_sent_at < timedelta(days=1):
        return
    token = new_token()
    commenter.token_hash, commenter.confirmation_sent_at = hash_token(token), now
    commenter.save(update_fields=["token_hash", "confirmation_sent_at"])
    email_queue(
        to=commenter.email,
        template="blog/commenter_confirm",
        context={
            "post": post,
            "confirm_url": absolute_reverse("blog:commenter_confirm", args=[token]),
            "valid_days": settings.BLOG_COMMENTER_CONFIRM_DAYS,
        },
        idempotency_key=f"blog-commenter-confirm:{commenter.pk}:{int(now.timestamp())}",
        sensitive=True,
    )


@transaction.atomic
def comment_submit(
    *,
    post: Post,
    name: str,
    email: str,
    body: str,
    parent: Comment | None = None,
    user: User | None = None,
    address_proven: bool = False,
) -> Comment:
    """Take a comment from a reader. It waits for moderation unless the sender has shown they
    own its address (`address_proven`: their browser followed our confirmation link) and the
    address has had a comment approved before; the post's writers and editors are never held.
    """
    if not post.is_public:
        raise BlogError("This post is not published, so it cannot take comments.")
    if not post.comments_open:
        raise BlogError("Comments on this post are closed.")
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        name, email = name or user.display_name, user.email
    name, email, body = _clean_comment(name=name, email=email, body=body)
    if parent is not None and (
        parent.post_id != post.pk
        or parent.parent_id is not None
        or parent.status != Comment.Status.APPROVED
    ):
        raise BlogError("You can only reply to a comment shown on this post.")
    commenter, _ = Commenter.objects.get_or_create(email=email)
    status, by_author = _comment_status(
        post=post, commenter=commenter, user=user, address_proven=address_proven
    )
    now = timezone.now()
    comment = Comment.objects.create(
        post=post,
        parent=parent,
        name=name,
        email=email,
        body=body,
        user=user if signed_in else None,
        by_post_author=by_author,
        status=status,
        moderated_at=now if status == Comment.Status.APPROVED and signed_in else None,
        moderated_by=user if status == Comment.Status.APPROVED and signed_in else None,
    )
    if status == Comment.Status.APPROVED:
        _changed()
    elif status == Comment.Status.PENDING:
        _tell_moderators(comment)
        if not signed_in and not address_proven:
            _ask_to_confirm(commenter, post)
    return comment


MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}


@transaction.atomic
def comment_moderate(*, comment: Comment, by: User, action: str) -> Comment:
    """Approve, reject or mark as spam. Spam also sets aside that address's later comments."""
    if action not in MODERATION_ACTIONS:
        raise BlogError("Choose approve, reject or spam.")
    comment = (
        permissions.comments_moderated_by(by)
        .select_for_update()
        .select_related("post")
        .filter(pk=comment.pk)
        .first()
    )
    if comment is None:
        raise BlogError("You can only moderate comments on your own posts.")
    was_shown = comment.status == Comment.Status.APPROVED
    comment.status = MODERATION_ACTIONS[action]
    comment.moderated_at, comment.moderated_by = timezone.now(), by
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    if action == "spam" and comment.user_id is None:
        commenter, _ = Commenter.objects.get_or_create(email=comment.email)
        if commenter.spam_at is None:
            commenter.spam_at = timezone.now()
            commenter.save(update_fields=["spam_at"])
    if was_shown or comment.status == Comment.Status.APPROVED:
        _changed()
    return comment


@transaction.atomic
def commenter_confirm(*, token: str) -> Commenter:
    """Follow the emailed link: the address is its owner's. The caller gives the browser that
    followed it proof of that (`commenters.remember_address`)."""
    commenter = (
        Commenter.objects.select_for_update().filter(token_hash=hash_token(token)).first()
        if token
        else None
    )
    valid_for = timedelta(days=settings.BLOG_COMMENTER_CONFIRM_DAYS)
    if (
        commenter is None
        or commenter.confirmation_sent_at is None
        or timezone.now() - commenter.confirmation_sent_at > valid_for
    ):
        raise BlogError(
            "This confirmation link does not work: it may be old or already used. Your next "
            "comment will send a new one."
        )
    commenter.confirmed_at, commenter.token_hash = timezone.now(), ""
    commenter.save(update_fields=["confirmed_at", "token_hash"])
    return commenter


def comments_purge_rejected(*, now: datetime | None = None) -> int:
    """Erase rejected and spam comments once moderators no longer need them."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.BLOG_REJECTED_COMMENTS_KEEP_DAYS)
    deleted, _ = Comment.objects.filter(
        status__in=[Comment.Status.REJECTED, Comment.Status.SPAM], created_at__lt=cutoff
    ).delete()
    return deleted


# --- Advisors -----------------------------------------------------------------------------------


def _clean_links(links: Iterable[str]) -> list[str]:
    cleaned = []
    for link in links:
        link = link.strip()
        if not link:
            continue
        if not link.startswith(("https://", "http://")) or len(link) > 300:
            raise BlogError(f"“{link[:60]}” is not a web address starting with https://")
        cleaned.append(link)
    if len(cleaned) > 5:
        raise BlogError("Give at most five links.")
    return cleaned


@transaction.atomic
def advisor_profile_update(
    *,
    profile: AdvisorProfile,
    by: User,
    name: str,
    area: str,
    bio: str,
    links: Iterable[str],
    photo: Image | None,
) -> AdvisorProfile:
    if profile.user_id != by.pk and not permissions.is_editor(by):
        raise BlogError("You can only change your own profile.")
    name, area, bio = " ".join(name.split()), area.strip(), bio.strip()
    if not name:
        raise BlogError("Enter the name readers will see.")
    if not area:
        raise BlogError("Say what you advise on.")
    _check_image_owner(image=photo, by=by, current=profile.photo)
    profile.name, profile.area, profile.bio = name, area, bio
    profile.links, profile.photo = _clean_links(links), photo
    profile._history_user = by
    profile.save()
    _changed()
    return profile


def _new_profile(*, user: User, area: str, is_guest: bool, is_editor: bool) -> AdvisorProfile:
    return AdvisorProfile.objects.create(
        user=user,
        name=user.display_name or user.email.split("@")[0],
        slug=_unique_slug(AdvisorProfile, user.display_name or "advisor", max_length=160),
        area=area.strip() or "Advice",
        is_guest=is_guest,
        is_editor=is_editor,
    )


def _require_editor(by: User) -> None:
    if not permissions.is_editor(by):
        raise BlogError("Only an editor or an organisation admin can do this.")


@transaction.atomic
def advisor_add(
    *, user: User, by: User, area: str, is_guest: bool = False, is_editor: bool = False
) -> AdvisorProfile:
    """Make someone who already has an account an advisor."""
    _require_editor(by)
    if AdvisorProfile.objects.filter(user=user).exists():
        raise BlogError(f"{user} is an advisor already.")
    profile = _new_profile(user=user, area=area, is_guest=is_guest, is_editor=is_editor)
    _changed()
    return profile


@transaction.atomic
def advisor_set_roles(
    *, profile: AdvisorProfile, by: User, is_editor: bool, is_active: bool
) -> AdvisorProfile:
    _require_editor(by)
    if profile.user_id == by.pk and not by.is_org_admin and not is_editor:
        raise BlogError("You cannot remove your own editor role; ask another editor.")
    profile.is_editor, profile.is_active = is_editor, is_active
    profile._history_user = by
    profile.save(update_fields=["is_editor", "is_active", "updated_at"])
    _changed()
    return profile


@transaction.atomic
def advisor_invitation_send(
    *,
    email: str,
    display_name: str,
    invited_by: User,
    area: str,
    is_guest: bool = True,
    is_editor: bool = False,
) -> Invitation:
    """Invite someone to write for the blog, such as a co-production partner."""
    _require_editor(invited_by)
    if not area.strip():
        raise InvitationError("Say what they will write about.")
    invitation, token = invitation_create(
        email=email, display_name=display_name, invited_by=invited_by
    )
    AdvisorInvitation.objects.create(
        invitation=invitation, area=area.strip(), is_guest=is_guest, is_editor=is_editor
    )
    invitation_send(invitation=invitation, token=token)
    return invitation


def advisor_invitation_fulfil(invitation: Invitation, user: User) -> None:
    """Called when any invitation is accepted: give the blog part of what it promised."""
    grant = AdvisorInvitation.objects.filter(invitation=invitation).first()
    if grant is None or AdvisorProfile.objects.filter(user=user).exists():
        return
    _new_profile(user=user, area=grant.area, is_guest=grant.is_guest, is_editor=grant.is_editor)
    _changed()


def advisor_invitation_describe(invitation: Invitation) -> list[str]:
    grant = AdvisorInvitation.objects.filter(invitation=invitation).first()
    if grant is None:
        return []
    who = "a guest writer" if grant.is_guest else "an advisor"
    return [f"{who} on our blog, about {grant.area}"]


@transaction.atomic
def post_write(
    *,
    post: Post | None,
    by: User,
    when: str,
    publish_at: datetime | None = None,
    author: AdvisorProfile | None = None,
    new_series: str = "",
    **content: Unpack[PostContent],
) -> Post:
    """Everything the editor page saves at once: the post, then when readers see it.

    `when` is "draft" (kept or taken off the blog), "now" (published, keeping its first date
    if it was published before) or "schedule" (at `publish_at`, which must be to come).
    `new_series`, when given, starts a series (or finds one with that title) for the post.
    """
    if when not in {"draft", "now", "schedule"}:
        raise BlogError("Choose when readers should see the post.")
    if when == "schedule" and (publish_at is None or publish_at <= timezone.now()):
        raise BlogError("Choose a time in the future, or publish it now.")
    if new_series.strip():
        content["series"] = series_get_or_create(title=new_series)
    if post is None:
        author = author or permissions.advisor_profile_for(by)
        if author is None:
            raise BlogError("Only advisors can write posts.")
        post = post_create(by=by, author=author, **content)
    else:
        post = post_update(post=post, by=by, **content)
    if when == "now":
        return post_publish(post=post, by=by)
    if when == "schedule":
        return post_publish(post=post, by=by, at=publish_at)
    if post.status != Post.Status.DRAFT:
        return post_unpublish(post=post, by=by)
    return post
