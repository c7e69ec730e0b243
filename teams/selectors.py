"""Reads about teams, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from values.selectors import team_story_list
from wellbeing.accounts.models import Invitation, User

from .checkins.selectors import checkin_due_on, last_checkin, planned_checkin, team_open_actions
from .decisions.selectors import recent_decisions
from .models import Membership, Person, Team
from .permissions import teams_visible_to
from .pulse.selectors import team_pulse_overview
from .roles.selectors import team_roles

ACTIONS_ON_TEAM_PAGE = 10


def team_list(*, user: User) -> QuerySet[Team]:
    current = Q(memberships__in=Membership.objects.current())
    return (
        teams_visible_to(user)
        .select_related("coach")
        .annotate(
            member_count=Count("memberships", filter=current, distinct=True),
            people_count=Count(
                "people", filter=Q(people__status=Person.Status.ACTIVE), distinct=True
            ),
        )
        .order_by("name")
    )


def team_detail(*, team: Team, user: User | None = None) -> dict:
    """Everything on a team's page; with `user`, also the drill-down a coach and the team see:
    the pulse, check-ins and actions, and decisions."""
    members = list(
        Membership.objects.current()
        .filter(team=team)
        .select_related("user")
        .order_by("user__display_name")
    )
    people = list(team.people.exclude(status=Person.Status.ENDED).order_by("name"))
    return {
        "team": team,
        "members": members,
        "people": people,
        "contracted_hours": sum((m.contracted_hours for m in members), 0),
        "stories": team_story_list(team=team),
        "roles": team_roles(team=team),
        **(_team_health(team=team, user=user) if user is not None else {}),
    }


def _team_health(*, team: Team, user: User) -> dict:
    open_actions = team_open_actions(team=team)
    planned, last = planned_checkin(team=team), last_checkin(team=team)
    due = checkin_due_on(team=team, planned=planned, last=last)
    return {
        "pulse": team_pulse_overview(team=team, user=user),
        "planned_checkin": planned,
        "last_checkin": last,
        "checkin_due_on": due,
        "checkin_overdue": due is None or due < timezone.localdate(),
        "open_actions": open_actions[:ACTIONS_ON_TEAM_PAGE],
        "more_actions": max(len(open_actions) - ACTIONS_ON_TEAM_PAGE, 0),
        "decisions": recent_decisions(team=team),
    }


def teams_of_member(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        pk__in=Membership.objects.current().filter(user=user).values("team_id")
    ).order_by("name")


def invitation_list() -> QuerySet[Invitation]:
    return Invitation.objects.select_related(
        "invited_by", "accepted_user", "team_grant__team"
    ).order_by("-created_at")
