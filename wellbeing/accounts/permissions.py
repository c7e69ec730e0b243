"""DRF permission classes of accounts; kept apart from the API views so DRF's settings can
import them without importing any view."""

from __future__ import annotations

from rest_framework import permissions

from .services import user_has_mfa, user_requires_mfa


class MFASatisfied(permissions.BasePermission):
    """The API keeps the web's rule: coaches and admins need a second factor first.

    Token requests are authenticated after the middleware runs, so the rule is checked again.
    """

    message = "Turn on two-step sign-in before using the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return not (user.is_authenticated and user_requires_mfa(user) and not user_has_mfa(user))
