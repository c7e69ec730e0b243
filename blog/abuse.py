"""Rate limits for the public comment form, counted in the shared cache (wellbeing.throttle):
at most N attempts per window, per client address and per email address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wellbeing.throttle import attempt_allowed, client_address


def comment_attempt_allowed(request: HttpRequest) -> bool:
    """Count an attempt to comment from this client; False once it is over a limit."""
    return attempt_allowed(
        "comment-ip", client_address(request), settings.BLOG_COMMENT_LIMITS_PER_IP
    )


def comment_from_address_allowed(email: str) -> bool:
    """Count a comment from this email address; False once it is over a limit."""
    return attempt_allowed(
        "comment-email", email.strip().lower(), settings.BLOG_COMMENT_LIMITS_PER_EMAIL
    )
