"""Last-resort answers for two kinds of bad request that would otherwise be a 500."""

from __future__ import annotations

import logging

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


class FriendlyErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            # An id too large for the database (SQLite raises rather than finding nothing).
            return render(request, "errors/404.html", status=404)
        if isinstance(exception, IntegrityError):
            # Two submissions of the same thing at the same moment: the first one stands.
            logger.warning("Conflicting write on %s: %s", request.path, exception)
            return render(request, "errors/409.html", status=409)
        return None
