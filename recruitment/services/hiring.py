"""Linking a successful candidate to the team they start in, for retention measures."""

from __future__ import annotations

from django.db import transaction

from teams.models import Membership
from wellbeing.accounts.models import Invitation, User

from ..models import Candidate


@transaction.atomic
def candidate_started(*, candidate: Candidate, membership: Membership) -> Candidate:
    candidate.membership = membership
    candidate.save(update_fields=["membership"])
    return candidate


def candidate_link_on_invitation(invitation: Invitation, user: User) -> None:
    """When a successful candidate accepts their invitation into a team, they have started."""
    membership = Membership.objects.current().filter(user=user).order_by("-joined", "-pk").first()
    if membership is None:
        return
    candidate = (
        Candidate.objects.filter(
            email__iexact=user.email,
            stage=Candidate.Stage.SUCCESSFUL,
            membership__isnull=True,
        )
        .order_by("-decided_at")
        .first()
    )
    if candidate is not None:
        candidate_started(candidate=candidate, membership=membership)
