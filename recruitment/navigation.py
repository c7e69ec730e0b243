"""Where the header's Recruitment entry leads, registered with the core navigation."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from wellbeing.accounts.models import User

from .models import Round


def recruitment_link(user: User) -> str | None:
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
