"""Reads for the blog's pages, feeds and API, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from wellbeing.accounts.models import User

from . import permissions
from .models import AdvisorProfile, Comment, Post, Series, Tag

SEARCH_MAX_LENGTH = 200


def public_posts() -> QuerySet[Post]:
    return Post.objects.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())


def _for_lists(posts: QuerySet[Post]) -> QuerySet[Post]:
    return (
        posts.select_related("author", "author__photo", "cover_image", "series")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("co_authors", queryset=AdvisorProfile.objects.order_by("name")),
        )
        .defer("body", "body_html", "introduction", "introduction_html")
        .order_by("-published_at", "-pk")
    )


def post_list(
    *,
    tag: Tag | None = None,
    advisor: AdvisorProfile | None = None,
    series: Series | None = None,
) -> QuerySet[Post]:
    """Published posts, newest first, ready for cards (author, cover, tags, co-authors)."""
    posts = public_posts()
    if tag is not None:
        posts = posts.filter(tags=tag)
    if advisor is not None:
        posts = posts.filter(Q(author=advisor) | Q(co_authors=advisor)).distinct()
    if series is not None:
        return _for_lists(posts.filter(series=series)).order_by("series_position", "published_at")
    return _for_lists(posts)


def post_search(*, query: str) -> QuerySet[Post]:
    """Full-text search, ranked, on PostgreSQL; a plain contains-match on SQLite."""
    query = " ".join(query.split())[:SEARCH_MAX_LENGTH]
    if not query:
        return Post.objects.none()
    posts = public_posts()
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            _for_lists(posts)
            .annotate(document=vector, rank=SearchRank(vector, search))
            .filter(document=search)
            .order_by("-rank", "-published_at")
        )
    matches = Q()
    for word in query.split()[:10]:
        matches &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    return _for_lists(posts.filter(matches))


def tag_list() -> QuerySet[Tag]:
    """Tags with at least one published post, with how many."""
    now = timezone.now()
    published = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=now)
    return (
        Tag.objects.annotate(post_count=Count("posts", filter=published))
        .filter(post_count__gt=0)
        .order_by("name")
    )


def advisor_list() -> QuerySet[AdvisorProfile]:
    """Advisors with at least one published post, or who write for us now."""
    now = timezone.now()
    published = Q(posts__status=Post.Status.PUBLISHED, posts__published_at__lte=now)
    return (
        AdvisorProfile.objects.select_related("photo")
        .annotate(post_count=Count("posts", filter=published))
        .filter(Q(post_count__gt=0) | Q(is_active=True))
        .order_by("name")
    )


@dataclass
class PostPage:
    post: Post
    comments: list[Comment] = field(default_factory=list)
    comment_count: int = 0
    previous: Post | None = None
    next: Post | None = None
    series_posts: list[Post] = field(default_factory=list)


def _with_everything(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.select_related(
        "author", "author__photo", "cover_image", "series", "introduced_by"
    ).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")),
        # With their photos: each co-author has a card under the post.
        Prefetch(
            "co_authors", queryset=AdvisorProfile.objects.select_related("photo").order_by("name")
        ),
    )


def post_for_reader(*, slug: str, user: User | AnonymousUser) -> Post | None:
    """The post behind a slug: published, or any state for those who may edit it."""
    post = _with_everything(Post.objects.filter(slug=slug)).first()
    if post is None:
        return None
    if post.is_public or permissions.can_edit_post(user, post):
        return post
    return None


def post_page(*, post: Post) -> PostPage:
    """Everything around a post: approved comments with their replies, the posts either side,
    and the rest of its series."""
    approved = list(
        Comment.objects.filter(post=post, status=Comment.Status.APPROVED).order_by(
            "created_at", "pk"
        )
    )
    top = [comment for comment in approved if comment.parent_id is None]
    replies: dict[int, list[Comment]] = {}
    for comment in approved:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment.shown_replies = replies.get(comment.pk, [])
    page = PostPage(post=post, comments=top, comment_count=len(approved))
    if post.is_public:
        around = public_posts().only("title", "slug", "published_at")
        page.previous = (
            around.filter(
                Q(published_at__lt=post.published_at)
                | Q(published_at=post.published_at, pk__lt=post.pk)
            )
            .order_by("-published_at", "-pk")
            .first()
        )
        page.next = (
            around.filter(
                Q(published_at__gt=post.published_at)
                | Q(published_at=post.published_at, pk__gt=post.pk)
            )
            .order_by("published_at", "pk")
            .first()
        )
    if post.series_id:
        page.series_posts = list(
            public_posts()
            .filter(series_id=post.series_id)
            .only("title", "slug", "series_position", "published_at")
            .order_by("series_position", "published_at")
        )
    return page


def feed_posts(
    *, tag: Tag | None = None, advisor: AdvisorProfile | None = None, limit: int = 20
) -> list[Post]:
    return list(post_list(tag=tag, advisor=advisor)[:limit])


def manage_post_list(*, user: User) -> QuerySet[Post]:
    """The posts a writer may change: their own, or every post for editors."""
    return (
        permissions.posts_editable_by(user)
        .select_related("author")
        .annotate(
            waiting=Count("comments", filter=Q(comments__status=Comment.Status.PENDING)),
        )
        .defer("body", "body_html", "introduction", "introduction_html")
        .order_by("-updated_at")
    )


def moderation_queue(*, user: User) -> QuerySet[Comment]:
    """Comments waiting for this moderator, oldest first, with what they reply to."""
    return (
        permissions.comments_moderated_by(user)
        .filter(status=Comment.Status.PENDING)
        .select_related("post", "parent")
        .order_by("created_at", "pk")
    )


def recently_moderated(*, user: User, limit: int = 20) -> list[Comment]:
    return list(
        permissions.comments_moderated_by(user)
        .exclude(status=Comment.Status.PENDING)
        # Writers' own replies were never waiting: they are not moderation.
        .filter(user__isnull=True)
        .select_related("post", "moderated_by")
        .order_by("-moderated_at", "-pk")[:limit]
    )
