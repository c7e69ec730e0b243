"""Writes about who belongs where: teams, memberships, coaches, people supported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wellbeing.accounts.models import Invitation, Organisation, User
from wellbeing.accounts.services import InvitationError, invitation_create, invitation_send
from wellbeing.errors import DomainError

from .models import Membership, Person, Team, TeamInvitation


class TeamError(DomainError):
    """A rule about teams was broken; the message says which, for a person to read."""


@transaction.atomic
def team_create(*, name: str, locality: str, coach: User | None = None) -> Team:
    organisation = Organisation.current()
    if Team.objects.filter(organisation=organisation, name__iexact=name.strip()).exists():
        raise TeamError(f"There is already a team called {name}.")
    return Team.objects.create(
        organisation=organisation, name=name.strip(), locality=locality.strip(), coach=coach
    )


@transaction.atomic
def team_set_coach(*, team: Team, coach: User | None) -> Team:
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.coach = coach
    team.save(update_fields=["coach"])
    return team


@transaction.atomic
def membership_start(
    *, team: Team, user: User, joined: date | None = None, contracted_hours: Decimal = Decimal(0)
) -> Membership:
    if Membership.objects.filter(team=team, user=user, left__isnull=True).exists():
        raise TeamError(f"{user} is already a member of {team}.")
    return Membership.objects.create(
        team=team,
        user=user,
        joined=joined or timezone.localdate(),
        contracted_hours=contracted_hours,
    )


@transaction.atomic
def membership_end(*, membership: Membership, left: date | None = None) -> Membership:
    left = left or timezone.localdate()
    if left < membership.joined:
        raise TeamError("Someone cannot leave a team before they joined it.")
    membership.left = left
    membership.save(update_fields=["left"])
    return membership


@transaction.atomic
def person_add(
    *, team: Team, name: str, preferred_name: str = "", started: date | None = None
) -> Person:
    return Person.objects.create(
        team=team,
        name=name.strip(),
        preferred_name=preferred_name.strip(),
        started=started or timezone.localdate(),
    )


@transaction.atomic
def team_invitation_send(
    *,
    email: str,
    display_name: str,
    invited_by: User,
    make_admin: bool = False,
    team: Team | None = None,
    as_coach: bool = False,
    contracted_hours: Decimal = Decimal(0),
) -> Invitation:
    """Invite someone by email, optionally into a team as a member or as its coach."""
    if not invited_by.is_org_admin:
        raise InvitationError("Only an organisation admin can invite people.")
    invitation, token = invitation_create(
        email=email, display_name=display_name, invited_by=invited_by, make_admin=make_admin
    )
    if team is not None:
        TeamInvitation.objects.create(
            invitation=invitation, team=team, as_coach=as_coach, contracted_hours=contracted_hours
        )
    invitation_send(invitation=invitation, token=token)
    return invitation


def team_invitation_fulfil(invitation: Invitation, user: User) -> None:
    """Called when an invitation is accepted: give the new user what it promised."""
    grant = TeamInvitation.objects.select_related("team").filter(invitation=invitation).first()
    if grant is None:
        return
    if grant.as_coach:
        team_set_coach(team=grant.team, coach=user)
    else:
        membership_start(team=grant.team, user=user, contracted_hours=grant.contracted_hours)


def team_invitation_describe(invitation: Invitation) -> list[str]:
    grant = TeamInvitation.objects.select_related("team").filter(invitation=invitation).first()
    if grant is None:
        return []
    return [f"the coach of {grant.team}" if grant.as_coach else f"a member of {grant.team}"]
