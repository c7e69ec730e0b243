"""Reads about teams, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from values.selectors import team_story_list
from wellbeing.accounts.models import Invitation, User

from .models import Membership, Person, Team
from .permissions import teams_visible_to


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


def team_detail(*, team: Team) -> dict:
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
    }


def teams_of_member(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        pk__in=Membership.objects.current().filter(user=user).values("team_id")
    ).order_by("name")


def invitation_list() -> QuerySet[Invitation]:
    return Invitation.objects.select_related(
        "invited_by", "accepted_user", "team_grant__team"
    ).order_by("-created_at")
