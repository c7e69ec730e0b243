"""A form sent twice is acted on once.

A care worker double-taps "Save" on a phone, or the phone sends the form again on a poor
signal: without this, the second request records the same time off, decision or visit a second
time. The page's script gives every POST form a random key (`ONCE_FIELD`). The first request
with a key claims it in the shared cache; a later one with the same key waits for the first to
finish and is sent where the first was sent, so the person lands on the page showing what was
saved, once. A request the view answered without redirecting (a form shown again with its
errors) releases the key, so correcting the form and sending it again works.

Keys are kept per person (their account, else their session, else their address) and per path,
so a key seen in one place means nothing anywhere else.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

ONCE_FIELD = "_once"
KEY_PATTERN = re.compile(r"[A-Za-z0-9-]{16,64}")
# Long enough for a phone to give up and send again; short enough that the cache stays small.
REMEMBER_SECONDS = 10 * 60
# How long a second request waits for the first to finish before saying so.
WAIT_SECONDS = 15.0
PENDING = "pending"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cache_key(request: HttpRequest, once: str) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    elif getattr(request, "session", None) is not None and request.session.session_key:
        who = f"session:{request.session.session_key}"
    else:
        who = f"ip:{request.META.get('REMOTE_ADDR', '')}"
    digest = hashlib.sha256(f"{who}|{request.path}|{once}".encode()).hexdigest()
    return f"once:{digest}"


def _submission_key(request: HttpRequest) -> str | None:
    if request.method != "POST" or not request.content_type.startswith(FORM_CONTENT_TYPES):
        return None
    once = request.POST.get(ONCE_FIELD, "")
    return _cache_key(request, once) if KEY_PATTERN.fullmatch(once) else None


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _submission_key(request)
        if key is None:
            return self.get_response(request)
        while not cache.add(key, PENDING, REMEMBER_SECONDS):
            earlier = self._outcome_of_earlier(request, key)
            if earlier is not None:
                return earlier
            # The earlier request gave the key back (it showed the form again): act on this one.
        try:
            response = self.get_response(request)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code in (301, 302, 303) and response.has_header("Location"):
            cache.set(key, response["Location"], REMEMBER_SECONDS)
        else:
            cache.delete(key)
        return response

    @staticmethod
    def _outcome_of_earlier(request: HttpRequest, key: str) -> HttpResponse | None:
        """Where the earlier request with this key went, once it has finished; None if it gave
        the key back without going anywhere."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            value = cache.get(key)
            if value is None:
                return None
            if value != PENDING:
                return HttpResponseRedirect(value, status=303)
            if time.monotonic() >= deadline:
                # The first is still at it: say so rather than act on the same form twice.
                return render(request, "errors/409.html", status=409)
            time.sleep(0.1)
