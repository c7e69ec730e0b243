"""The blog's public pages: the front page, posts, tags, advisors, series, search, comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wellbeing.links import absolute_reverse, absolute_url

from .. import abuse, commenters, permissions, selectors, services
from ..caching import public_page, reader_form_values
from ..forms import CommentForm
from ..models import AdvisorProfile, Comment, Image, Post, Series, Tag

POSTS_PER_PAGE = 10
# Marks the thanks for a comment, and names the place on the post page where it is shown.
COMMENT_SENT = "comment-sent"


def absolute_image_url(image: Image | None, width: int = 1600) -> str:
    """A picture's address for other sites (Open Graph): storage URLs may be paths."""
    if image is None:
        return ""
    url = image.url_for(width)
    return url if url.startswith(("https://", "http://")) else absolute_url(url)


def _list_context(request: HttpRequest, posts, **extra) -> dict:
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    canonical = request.path + (f"?page={page.number}" if page.number > 1 else "")
    return {
        "page": page,
        "tags": selectors.tag_list(),
        "can_write": permissions.can_write(request.user),
        "canonical_url": absolute_url(canonical),
        **extra,
    }


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "blog/home.html",
        _list_context(
            request,
            selectors.post_list(),
            feed_rss=reverse("blog:feed_rss"),
            feed_atom=reverse("blog:feed_atom"),
        ),
    )


@public_page
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return render(
        request,
        "blog/tag.html",
        _list_context(
            request,
            selectors.post_list(tag=tag),
            tag=tag,
            feed_rss=reverse("blog:tag_feed_rss", args=[tag.slug]),
            feed_atom=reverse("blog:tag_feed_atom", args=[tag.slug]),
        ),
    )


@public_page
def advisor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    advisor = get_object_or_404(AdvisorProfile.objects.select_related("photo"), slug=slug)
    return render(
        request,
        "blog/advisor.html",
        _list_context(
            request,
            selectors.post_list(advisor=advisor),
            advisor=advisor,
            og_image=absolute_image_url(advisor.photo),
            feed_rss=reverse("blog:advisor_feed_rss", args=[advisor.slug]),
            feed_atom=reverse("blog:advisor_feed_atom", args=[advisor.slug]),
        ),
    )


@public_page
def advisor_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "blog/advisors.html",
        {
            "advisors": selectors.advisor_list(),
            "canonical_url": absolute_reverse("blog:advisors"),
        },
    )


@public_page
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = get_object_or_404(Series, slug=slug)
    return render(
        request,
        "blog/series.html",
        {
            "series": series,
            "posts": selectors.post_list(series=series),
            "canonical_url": absolute_reverse("blog:series", args=[series.slug]),
        },
    )


@never_cache
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.SEARCH_MAX_LENGTH].strip()
    posts = selectors.post_search(query=query) if query else Post.objects.none()
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "blog/search.html",
        {"query": query, "page": page, "tags": selectors.tag_list()},
    )


def _post_context(
    request: HttpRequest, post: Post, form: CommentForm, comment_sent: Message | None = None
) -> dict:
    user = request.user
    can_edit = permissions.can_edit_post(user, post) if user.is_authenticated else False
    return {
        "post_page": selectors.post_page(post=post),
        "post": post,
        "form": form,
        "comment_sent": comment_sent,
        "can_edit": can_edit,
        "canonical_url": absolute_reverse("blog:post", args=[post.slug]),
        "og_image": absolute_image_url(post.cover_image),
        **reader_form_values(request, shown_again=form.shown_again),
    }


def _reader_post(request: HttpRequest, slug: str) -> Post:
    post = selectors.post_for_reader(slug=slug, user=request.user)
    if post is None:
        raise Http404("No such post")
    return post


def _comment_sent(request: HttpRequest) -> Message | None:
    """The thanks for a comment this reader has just sent. The page shows it beside the
    comment form, where they were: at the top of a long page, on a phone, it is out of sight.
    It is theirs alone: `public_page` never shares a page rendered with a message waiting."""
    for message in messages.get_messages(request):
        if COMMENT_SENT in message.extra_tags.split():
            return message
    return None


@public_page
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    post = _reader_post(request, slug)
    form = CommentForm(signed_in=request.user.is_authenticated)
    return render(
        request, "blog/post.html", _post_context(request, post, form, _comment_sent(request))
    )


def _comment_received(request: HttpRequest, post: Post, comment: Comment | None) -> HttpResponse:
    if comment is not None and comment.status == Comment.Status.APPROVED:
        thanks = "Thank you. Your comment is on the page."
        anchor = f"#comment-{comment.pk}"
    else:
        # A robot's comment (comment is None) reads exactly like a person's held one.
        thanks = (
            "Thank you for your comment. It is waiting for the author to read it, and will "
            "appear here once they have."
        )
        anchor = f"#{COMMENT_SENT}"
    messages.success(request, thanks, extra_tags=COMMENT_SENT)
    return redirect(reverse("blog:post", args=[post.slug]) + anchor)


_TOO_MANY = (
    "You have sent several comments in a short time. Wait a few minutes, then send it again: "
    "your comment is still here."
)


def _take_comment(
    request: HttpRequest, post: Post, parent: Comment | None
) -> tuple[CommentForm, HttpResponse | None, int]:
    """Validate and save a comment; the form, a redirect when done, and the status otherwise."""
    signed_in = request.user.is_authenticated
    form = CommentForm(request.POST, signed_in=signed_in)
    if not abuse.comment_attempt_allowed(request):
        form.add_error(None, _TOO_MANY)
        return form, None, 429
    if form.is_robot:
        return form, _comment_received(request, post, None), 302
    if not form.is_valid():
        return form, None, 400
    data = form.cleaned_data
    email = request.user.email if signed_in else data["email"]
    if not abuse.comment_from_address_allowed(email):
        form.add_error(None, _TOO_MANY)
        return form, None, 429
    try:
        comment = services.comment_submit(
            post=post,
            name=data.get("name", ""),
            email=email,
            body=data["body"],
            parent=parent,
            user=request.user if signed_in else None,
            address_proven=not signed_in and commenters.browser_owns_address(request, email),
        )
    except services.BlogError as exc:
        form.add_error(None, str(exc))
        return form, None, 400
    return form, _comment_received(request, post, comment), 302


@require_POST
@never_cache
def comment_create(request: HttpRequest, slug: str) -> HttpResponse:
    post = _reader_post(request, slug)
    form, done, status = _take_comment(request, post, None)
    if done is not None:
        return done
    return render(request, "blog/post.html", _post_context(request, post, form), status=status)


@never_cache
def comment_reply(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    post = _reader_post(request, slug)
    parent = Comment.objects.filter(
        pk=pk, post=post, parent__isnull=True, status=Comment.Status.APPROVED
    ).first()
    if parent is None:
        raise Http404("No such comment")
    status = 200
    if request.method == "POST":
        form, done, status = _take_comment(request, post, parent)
        if done is not None:
            return done
    else:
        form = CommentForm(signed_in=request.user.is_authenticated)
    return render(
        request,
        "blog/reply.html",
        {
            "post": post,
            "parent": parent,
            "form": form,
            **reader_form_values(request, shown_again=form.shown_again),
        },
        status=status,
    )


@never_cache
def commenter_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: confirm the address, give this browser proof of it, then leave the
    token behind in a redirect."""
    try:
        commenter = services.commenter_confirm(token=token)
    except services.BlogError as exc:
        return render(request, "blog/confirm_invalid.html", {"reason": str(exc)}, status=410)
    messages.success(
        request,
        "Thank you, your email address is confirmed on this device. Once a comment of yours "
        "has been approved, your next ones from this device appear straight away.",
    )
    response = redirect("blog:home")
    commenters.remember_address(response, commenter.email)
    return response
