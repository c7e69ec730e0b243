"""Proof, kept in a reader's browser, that they own an email address they comment with.

Anyone can type an address into the comment form, so an address alone earns nothing. When its
owner follows the confirmation link we email, their browser gets a signed cookie naming the
address; a later comment with that address, from that browser, counts as theirs. Someone else
typing the same address has no such cookie, and their comment waits for moderation like any
stranger's. The cookie holds nothing but the address, and only our secret key can make one.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

COOKIE_NAME = "blog_commenter"
COOKIE_MAX_AGE = 365 * 24 * 3600
_SALT = "blog.commenter-proof"


def remember_address(response: HttpResponse, email: str) -> None:
    """Give this browser proof that its reader owns `email`."""
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(email.strip().lower(), salt=_SALT),
        max_age=COOKIE_MAX_AGE,
        path=reverse("blog:home"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def browser_owns_address(request: HttpRequest, email: str) -> bool:
    """True when this browser followed the confirmation link sent to `email`."""
    value = request.COOKIES.get(COOKIE_NAME, "")
    if not value:
        return False
    try:
        proven = signing.loads(value, salt=_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:  # forged, altered or expired
        return False
    return isinstance(proven, str) and proven == email.strip().lower()
