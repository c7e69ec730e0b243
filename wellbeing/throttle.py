"""Counting attempts at the public forms (an application, a blog comment) in the shared cache.

Anyone can post a public form in a loop; each form that sends email or shows text to others is
limited per client address and per email address (and wherever else it needs). Counters live in
the default cache, Redis in production, so every web process counts the same attempts; a
production start without a shared cache fails `check --deploy`. Each limit is a fixed window: at
most N attempts in a window of S seconds. Values are hashed before they become cache keys, so no
address is kept in the cache.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

# (at most this many attempts, in this many seconds)
Limits = Sequence[tuple[int, int]]


def client_address(request: HttpRequest) -> str:
    """The client's own address, behind as many trusted proxies as the settings say."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def attempt_allowed(scope: str, value: str, limits: Limits) -> bool:
    """Count one attempt by `value` (an address, an email, a round) in every window of
    `scope`; True while it is within all of them. Every window counts the attempt, even once
    another is over, so a client that keeps trying stays refused until each window has passed."""
    digest = hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()[:24]
    within = True
    for most, seconds in limits:
        key = f"throttle:{scope}:{digest}:{seconds}:{int(time.time() // seconds)}"
        cache.add(key, 0, seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, seconds + 5)
            count = 1
        within = within and count <= most
    return within
