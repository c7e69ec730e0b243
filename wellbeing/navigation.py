"""The header's navigation, fitted to what the signed-in user does here."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home")))
        items.append(("Teams", reverse("teams:list")))
        items.append(("Values", reverse("values:index")))
        if user.is_org_admin:
            items.append(("Invite people", reverse("teams:invitations")))
        items.append(("Your account", reverse("account_change_password")))
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": [
            {"label": label, "url": url, "current": request.path == url} for label, url in items
        ],
    }
