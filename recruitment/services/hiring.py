"""Linking a successful candidate to the team they start in, for retention measures."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from teams.models import Membership, Team
from teams.services import team_invitation_send
from wellbeing.accounts.models import Invitation, User
from wellbeing.accounts.services import InvitationError

from ..errors import RecruitmentError
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


@transaction.atomic
def candidate_invite_to_team(
    *,
    candidate: Candidate,
    team: Team,
    display_name: str,
    email: str,
    contracted_hours: Decimal,
    by: User,
) -> Invitation:
    """Invite a successful candidate, once told, into the team they start in.

    The usual team invitation: accepting it makes them a member, and `candidate_link_on_
    invitation` then records that they started, for the retention measures.
    """
    if candidate.erased_at:
        raise RecruitmentError("This candidate's details have been erased.")
    if candidate.stage != Candidate.Stage.SUCCESSFUL or not candidate.communicated_at:
        raise RecruitmentError(
            "Invite someone to a team once they were successful and have been told."
        )
    try:
        return team_invitation_send(
            email=email,
            display_name=display_name,
            invited_by=by,
            team=team,
            contracted_hours=contracted_hours,
        )
    except InvitationError as exc:
        raise RecruitmentError(str(exc)) from exc
