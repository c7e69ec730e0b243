"""Rate limits for the public comment form, counted in the shared cache.

Counters live in the default cache (Redis in production), so every web process counts the
same attempts. Each limit is a fixed window: at most N attempts per window, per client
address and per email address. Addresses are hashed before they become cache keys.
"""

from __future__ import annotations

import hashlib
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The reader's own address, behind as many trusted proxies as the settings say."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _over(scope: str, value: str, limits: list[tuple[int, int]]) -> bool:
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:24]
    over = False
    for most, seconds in limits:
        window = int(time.time() // seconds)
        key = f"blog:throttle:{scope}:{digest}:{seconds}:{window}"
        cache.add(key, 0, seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds + 5)
            count = 1
        over = over or count > most
    return over


def comment_attempt_allowed(request: HttpRequest) -> bool:
    """Count an attempt to comment from this client; False once it is over a limit."""
    return not _over("ip", client_address(request), settings.BLOG_COMMENT_LIMITS_PER_IP)


def comment_from_address_allowed(email: str) -> bool:
    """Count a comment from this email address; False once it is over a limit."""
    return not _over("email", email.strip().lower(), settings.BLOG_COMMENT_LIMITS_PER_EMAIL)
