"""The header's navigation, fitted to what the signed-in user does here."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse

from recruitment.models import Round


def _recruitment_link(user) -> str | None:
    """Admins and round owners run recruitment; panel members only score. One query."""
    if user.is_org_admin:
        return reverse("recruitment:round_list")
    owned = Round.objects.filter(pk=OuterRef("pk"), owners=user)
    latest = (
        Round.objects.filter(Q(owners=user) | Q(panel__user=user))
        .annotate(owned=Exists(owned))
        .order_by("-owned", "-opens_on")
        .values_list("pk", "owned")
        .first()
    )
    if latest is None:
        return None
    pk, owned = latest
    return reverse("recruitment:round_list") if owned else reverse("recruitment:panel", args=[pk])


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    # (label, link, the part of the site it stands for)
    items: list[tuple[str, str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("home"), reverse("home")))
        items.append(("Teams", reverse("teams:list"), reverse("teams:list")))
        items.append(("Values", reverse("values:index"), reverse("values:index")))
        recruitment = _recruitment_link(user)
        if recruitment:
            items.append(("Recruitment", recruitment, reverse("recruitment:open_rounds")))
        if user.is_org_admin:
            invitations = reverse("teams:invitations")
            items.append(("Invite people", invitations, invitations))
        items.append(("Your account", reverse("account_change_password"), "/accounts/"))
    # A section is current on its sub-pages too: the longest section the path starts with.
    matches = [
        section
        for _, _, section in items
        if request.path == section or (section != "/" and request.path.startswith(section))
    ]
    current = max(matches, key=len, default=None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": [
            {"label": label, "url": url, "current": section == current}
            for label, url, section in items
        ],
    }
