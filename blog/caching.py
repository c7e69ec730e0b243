"""Pages for anonymous readers, served from the shared cache and revalidated cheaply.

The blog is the organisation's public face and its most read page. An anonymous reader's page
is rendered once and kept in the cache (Redis in production, local memory in the embedded
default); browsers revalidate with ETag / Last-Modified and get a 304. Invalidation is by
generation: any change to a post, comment, tag or advisor replaces one version number that every
cached page and ETag carries, so a single write retires every stale page at once.

The version also knows when the next scheduled post is due. The first read after that moment
publishes it (the beat task does the same every minute), so a post appears at its time even
where no beat runs, as in `make run`.

Two things on a page belong to one reader: the CSRF token and the comment form's start time
(the minimum time on the page). Cached pages hold placeholders for both, filled in per
response. Signed-in users never get a cached page and get `no-store`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag

from wellbeing.throttle import (
    FormShown,
    form_shown_again_stamp,
    form_shown_check,
    form_shown_stamp,
)

from .models import Post

STATE_KEY = "blog:state"
CSRF_PLACEHOLDER = "blog-csrf-token-placeholder"
STARTED_PLACEHOLDER = "blog-form-started-placeholder"
# Query parameters that change what a page shows (a list's page; the sitemap's "p"); any other
# is ignored for the cache key.
_PAGE_PARAMETERS = ("page", "p")


@dataclass(frozen=True)
class BlogState:
    version: str
    changed_at: int
    next_publish_at: float | None


def _new_state() -> BlogState:
    due = Post.objects.filter(status=Post.Status.SCHEDULED).aggregate(at=Min("published_at"))
    state = BlogState(
        version=uuid.uuid4().hex[:16],
        changed_at=int(time.time()),
        next_publish_at=due["at"].timestamp() if due["at"] else None,
    )
    cache.set(STATE_KEY, state, timeout=None)
    return state


def blog_changed() -> None:
    """Retire every cached page. Call after a change readers could see has committed."""
    _new_state()


def blog_state() -> BlogState:
    state = cache.get(STATE_KEY)
    if state is None:
        return _new_state()
    if state.next_publish_at is not None and time.time() >= state.next_publish_at:
        from .services import posts_publish_due  # services retire pages through this module

        posts_publish_due()
        return _new_state()
    return state


def form_started_token() -> str:
    """A signed "the comment form was shown now", checked when the comment arrives."""
    return form_shown_stamp("blog-comment")


def comment_form_shown(token: str) -> FormShown:
    """How the comment form came back: in time, too quick, stale, or without our stamp."""
    return form_shown_check(
        "blog-comment",
        token,
        min_seconds=settings.BLOG_COMMENT_MIN_SECONDS,
        max_age=settings.BLOG_COMMENT_FORM_MAX_AGE,
    )


def placeholders_in_use(request: HttpRequest) -> bool:
    """True while rendering a page that will be kept for every anonymous reader."""
    return getattr(request, "_blog_shared_render", False)


def reader_form_values(request: HttpRequest, *, shown_again: bool = False) -> dict[str, str]:
    """The values only this reader may see, or placeholders in a page that will be shared.

    `shown_again` is for a comment form sent back because it was open too long: the reader has
    read it already, so sending it straight back is not too quick."""
    if placeholders_in_use(request):
        return {"csrf_token": CSRF_PLACEHOLDER, "form_started": STARTED_PLACEHOLDER}
    if shown_again:
        return {
            "form_started": form_shown_again_stamp(
                "blog-comment", min_seconds=settings.BLOG_COMMENT_MIN_SECONDS
            )
        }
    return {"form_started": form_started_token()}


def _cache_key(request: HttpRequest, state: BlogState) -> str | None:
    parameters = []
    for name in _PAGE_PARAMETERS:
        value = request.GET.get(name)
        if value is not None:
            if not (value.isascii() and value.isdigit() and len(value) <= 5):
                return None
            parameters.append(f"{name}={value}")
    path = request.path + "?" + "&".join(parameters)
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    return f"blog:page:{state.version}:{request.method == 'HEAD'}:{digest}"


def _etag(request: HttpRequest, state: BlogState, key: str) -> str:
    # A page with a form carries a token made from the reader's CSRF secret (from their
    # cookie, or new in this response): a new secret must mean a new page, never a 304 for a
    # copy whose token no longer matches.
    reader = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{key}:{reader}".encode()).hexdigest()[:20]
    return quote_etag(f"{state.version}-{digest}")


def _fill_placeholders(request: HttpRequest, content: bytes) -> tuple[bytes, bool]:
    personal = False
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
        personal = True
    if STARTED_PLACEHOLDER.encode() in content:
        content = content.replace(STARTED_PLACEHOLDER.encode(), form_started_token().encode())
        personal = True
    return content, personal


def _reader_headers(
    response: HttpResponse, *, etag: str, state: BlogState, personal: bool
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(state.changed_at)
    patch_vary_headers(response, ["Cookie"])
    if personal:
        # It holds this reader's form token: their browser may keep it, nobody else may.
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.BLOG_BROWSER_CACHE_SECONDS)
    return response


def _message_waiting(request: HttpRequest) -> bool:
    """A message waiting for this reader ("thank you for your comment") is theirs alone, kept
    in a cookie or, when long, in their session."""
    return "messages" in request.COOKIES or len(get_messages(request)) > 0


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a public blog page: shared and revalidated for anonymous readers, never cached
    for signed-in users, who may see drafts and moderation controls."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        state = blog_state()
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        key = _cache_key(request, state) if request.method in ("GET", "HEAD") else None
        if key is None or _message_waiting(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response
        etag = _etag(request, state, key)
        stored = cache.get(key)
        not_modified = get_conditional_response(request, etag=etag, last_modified=state.changed_at)
        if not_modified is not None:
            # Same caching rules as the full page; if it has left the cache, the stricter ones.
            personal = stored is None or CSRF_PLACEHOLDER.encode() in stored[0]
            return _reader_headers(not_modified, etag=etag, state=state, personal=personal)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            request._blog_shared_render = True
            response = view(request, *args, **kwargs)
            request._blog_shared_render = False
            if response.status_code != 200 or response.cookies:
                patch_cache_control(response, private=True, no_cache=True)
                return response
            if hasattr(response, "render"):
                response.render()
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                settings.BLOG_PAGE_CACHE_SECONDS,
            )
        content, personal = _fill_placeholders(request, response.content)
        response.content = content
        etag = _etag(request, state, key)  # the secret may be new in this response
        return _reader_headers(response, etag=etag, state=state, personal=personal)

    return wrapper
