"""Counting attempts at the public forms (an application, a blog comment) in the shared cache,
and timing how long each form was open.

Anyone can post a public form in a loop; each form that sends email or shows text to others is
limited per client address and per email address (and wherever else it needs). Counters live in
the default cache, Redis in production, so every web process counts the same attempts; a
production start without a shared cache fails `check --deploy`. Each limit is a fixed window: at
most N attempts in a window of S seconds. Values are hashed before they become cache keys, so no
address is kept in the cache.
"""

from __future__ import annotations

import enum
import hashlib
import time
from collections.abc import Sequence

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
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


class FormShown(enum.Enum):
    """What a form's "shown" stamp says about how it was sent."""

    IN_TIME = "in time"
    # Sooner after it was shown than a person could have read it.
    TOO_QUICK = "too quick"
    # A stamp we signed, but the form was open longer than the stamp lasts. A person who
    # takes days over their answers is not a robot: show the form again, with what they typed.
    STALE = "stale"
    # No stamp, one we never signed, or another form's.
    UNSIGNED = "unsigned"


def form_shown_stamp(form: str, at: float | None = None) -> str:
    """A signed "this form was shown now", carried in a hidden field: a robot posting straight
    away, or with a stamp of its own making, is refused when the form comes back."""
    return _signer(form).sign(str(int(at if at is not None else time.time())))


def form_shown_again_stamp(form: str, *, min_seconds: float) -> str:
    """A new stamp for a form shown again because its stamp went stale. The person has read the
    form already, so sending it straight back must not count as too quick."""
    return form_shown_stamp(form, time.time() - min_seconds)


def form_shown_check(form: str, stamp: str, *, min_seconds: float, max_age: int) -> FormShown:
    """How the form came back: in time, too quick, open longer than `max_age` seconds (stale),
    or without a stamp signed for it."""
    try:
        shown = int(_signer(form).unsign(stamp or "", max_age=max_age))
    except SignatureExpired:  # only raised once the signature itself is good
        return FormShown.STALE
    except (BadSignature, ValueError):  # forged, another form's, or not a number
        return FormShown.UNSIGNED
    if time.time() - shown < min_seconds:
        return FormShown.TOO_QUICK
    return FormShown.IN_TIME


def _signer(form: str) -> TimestampSigner:
    return TimestampSigner(salt=f"wellbeing.throttle.form-shown.{form}")
