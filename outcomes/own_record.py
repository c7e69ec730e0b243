"""People supported and their family see their own record and nothing else.

Every page of the product is built for staff and checks what staff may see; a person signing
in to their own record is not staff anywhere, so rather than trusting every present and future
page to know that, they are kept to their own pages here, and to their own record in the API:
anything else is "not found".
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import permissions
from rest_framework.exceptions import NotFound

from .permissions import own_record_only

# Their own pages and API, their account, and what the public may read anyway.
OPEN_TO_OWN_RECORD = (
    "/my/",
    "/accounts/",
    "/static/",
    "/healthz",
    "/favicon",
    "/api/v1/me/",
    "/api/v1/people/",
    "/api/v1/outcomes/",
    "/api/v1/reviews/",
    "/api/v1/funds/",
    "/api/v1/suggestions/",
    "/blog/",
    "/recruitment/apply/",
    "/recruitment/survey/",
)
# The public pages every page's header and footer link to.
OPEN_PAGES = {"/", "/recruitment/", "/privacy/"}


def open_to_own_record(path: str) -> bool:
    return path in OPEN_PAGES or path.startswith(OPEN_TO_OWN_RECORD)


class OwnRecordOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not open_to_own_record(request.path) and own_record_only(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            return render(request, "errors/404.html", status=404)
        return self.get_response(request)


class OwnRecordOnlyPermission(permissions.BasePermission):
    """The same rule for API requests signed with a token, which the middleware cannot see:
    DRF authenticates them after it has run."""

    def has_permission(self, request, view) -> bool:
        if open_to_own_record(request.path) or not own_record_only(request):
            return True
        raise NotFound()
