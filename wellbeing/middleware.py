"""Answers the whole site gives the same way: no caching of anything personal, and 4xx (never
500) for the kinds of bad request that would otherwise slip through to a server error."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """Nothing shown to a signed-in person, and no API answer, is kept by a browser or proxy.

    A shared computer's back button or a proxy cache would otherwise show a care worker's
    pages, a CSV of survey answers or an API response to the next person. A view that set its
    own caching is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        # Read after the view: DRF authenticates a token request only inside it.
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.path.startswith(API_PREFIX)
            or "HTTP_AUTHORIZATION" in request.META
        ):
            add_never_cache_headers(response)
        return response


def _is_admin_history(request: HttpRequest) -> bool:
    match = request.resolver_match
    return bool(
        match
        and match.namespace == "admin"
        and (match.url_name or "").endswith(("_history", "_simple_history"))
    )


class FriendlyErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            # An id too large for the database (SQLite raises rather than finding nothing).
            return self._answer(request, 404, "Not found.")
        if isinstance(exception, ValueError | ValidationError) and _is_admin_history(request):
            # django-simple-history's admin pages query with the id from the address as it is,
            # where Django's own admin pages treat an id that is not a number as not found.
            return self._answer(request, 404, "Not found.")
        if isinstance(exception, IntegrityError):
            # Two submissions of the same thing at the same moment: the first one stands.
            logger.warning("Conflicting write on %s: %s", request.path, exception)
            return self._answer(
                request, 409, "This was changed at the same moment by another request."
            )
        return None

    @staticmethod
    def _answer(request: HttpRequest, status: int, detail: str) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": detail}, status=status)
        return render(request, f"errors/{status}.html", status=status)
