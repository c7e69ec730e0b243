from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import user_has_mfa, user_requires_mfa

# Pages a user must still reach while setting up a second factor.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/favicon", "/privacy/")


class RequireMFAMiddleware:
    """Coaches and admins set up an authenticator app before they see any personal data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and user_requires_mfa(user)
            and not user_has_mfa(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Turn on two-step sign-in before using the API."},
                    status=403,
                )
            messages.info(
                request,
                "Coaches and admins see the details of the people we support, so they protect "
                "their account with a second step when signing in. Set it up now: it takes "
                "two minutes with an authenticator app on your phone.",
                fail_silently=True,
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
