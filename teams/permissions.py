"""Who may see or change what. Every view and API viewset of every app asks here.

The rules, for a self-managed organisation:
- an organisation admin sees and changes everything;
- a coach sees and changes the teams they coach (and what hangs from them);
- a member sees and changes their own current teams — the team manages itself;
- anyone else sees nothing, and is told "not found" rather than "forbidden", so that team B's
  members cannot even learn whether a page of team A exists.
Changing a team's own set-up (its name, coach and membership) is for admins only.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from wellbeing.accounts.models import User

from .models import Membership, Person, Team


class TeamOwned(Protocol):
    team_id: int


def _current_membership(user: User, team_ref: str = "pk") -> Exists:
    return Exists(Membership.objects.current().filter(user_id=user.pk, team_id=OuterRef(team_ref)))


def teams_visible_to(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.is_org_admin:
        return Team.objects.all()
    return Team.objects.filter(Q(coach_id=user.pk) | _current_membership(user))


def team_ids_visible_to(user: User) -> set[int]:
    return set(teams_visible_to(user).values_list("pk", flat=True))


def teams_coached_by(user: User) -> QuerySet[Team]:
    return Team.objects.filter(coach_id=user.pk)


def coaches(user: User, team: Team | None = None) -> bool:
    """Does this user coach this team (or, without a team, any team)? The one answer every app
    asks: coaches see their teams' dashboards, insights and reports, and need a second factor."""
    if not user.is_authenticated:
        return False
    if team is not None:
        return team.coach_id == user.pk
    return teams_coached_by(user).exists()


def coach_users() -> QuerySet[User]:
    """Everyone who coaches a team: the same rule as `coaches`, for lists of people."""
    return User.objects.filter(pk__in=Team.objects.values("coach_id"))


def can_view_team(user: User, team: Team) -> bool:
    return teams_visible_to(user).filter(pk=team.pk).exists()


# Members, their coach and admins may all change what belongs to the team: it manages itself.
can_change_team = can_view_team


def can_manage_team(user: User, team: Team) -> bool:
    return user.is_authenticated and user.is_org_admin


def get_team_for(user: User, pk: int, *, manage: bool = False) -> Team:
    """The team with this pk if the user may see it, else 404.

    With `manage`, only admins pass; others who can see the team get 403, since they already
    know it exists.
    """
    team = teams_visible_to(user).select_related("coach").filter(pk=pk).first()
    if team is None:
        raise Http404("No such team")
    if manage and not can_manage_team(user, team):
        raise PermissionDenied("Only an organisation admin can change a team's set-up.")
    return team


def people_visible_to(user: User) -> QuerySet[Person]:
    if not user.is_authenticated or not user.is_active:
        return Person.objects.none()
    if user.is_org_admin:
        return Person.objects.all()
    return Person.objects.filter(Q(team__coach_id=user.pk) | _current_membership(user, "team_id"))


def get_person_for(user: User, pk: int) -> Person:
    person = people_visible_to(user).select_related("team").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def can_view_object(user: User, obj: TeamOwned) -> bool:
    """For anything that belongs to a team: visible exactly when its team is."""
    return obj.team_id in team_ids_visible_to(user)


can_change_object = can_view_object


def can_hold_checkins(user: User, team: Team) -> bool:
    """Check-ins are the coach's conversations with the team: the coach (or an admin) plans and
    records them; the team reads them and works on the actions."""
    return user.is_authenticated and (user.is_org_admin or coaches(user, team))


def is_current_member(user: User, team: Team) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.current().filter(user_id=user.pk, team_id=team.pk).exists()
    )


def can_read_pulse_comments(user: User, team: Team) -> bool:
    """Pulse comments are the team's own words, for the team and its coach only: an admin who
    is neither sees the figures, never the comments."""
    return coaches(user, team) or is_current_member(user, team)
