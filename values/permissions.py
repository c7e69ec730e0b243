"""Who may see or change which stories, and who sees the values insights.

- every signed-in user reads the values;
- a story with no team is for everyone signed in; a story with a team is for whoever may see
  that team (asked of teams through the registry), and always for its author;
- only the author edits a story; the author, or an admin moderating, withdraws it;
- anyone else is told "not found", as for teams;
- the insights are for coaches and admins.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from wellbeing.accounts.models import User

from . import registry
from .models import Story


def story_teams_for(user: User, *, including: int | None = None) -> QuerySet[Any]:
    """The teams a user may tag a story with (and whose stories they may read).

    `including` adds the team a story already has, so that editing a story keeps its team
    even when its author has since left that team.
    """
    team_model = Story._meta.get_field("team").related_model
    if registry.story_team_choices is None or not user.is_authenticated:
        teams = team_model.objects.none()
    else:
        teams = registry.story_team_choices(user)
    if including is not None:
        teams = teams | team_model.objects.filter(pk=including)
    return teams


def stories_visible_to(user: User) -> QuerySet[Story]:
    if not user.is_authenticated or not user.is_active:
        return Story.objects.none()
    if user.is_org_admin:
        return Story.objects.all()
    return Story.objects.filter(
        Q(team__isnull=True) | Q(author_id=user.pk) | Q(team__in=story_teams_for(user).values("pk"))
    )


def can_change_story(user: User, story: Story) -> bool:
    return user.is_authenticated and story.author_id == user.pk


def can_withdraw_story(user: User, story: Story) -> bool:
    return can_change_story(user, story) or (user.is_authenticated and user.is_org_admin)


def get_story_for(user: User, pk: int, *, withdraw: bool = False) -> Story:
    """The story with this pk if the user may edit it (or, with `withdraw`, withdraw it)."""
    story = Story.objects.select_related("author", "team").filter(pk=pk).first()
    allowed = can_withdraw_story if withdraw else can_change_story
    if story is None or not allowed(user, story):
        raise Http404("No such story")
    return story


def can_view_insights(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_org_admin or (registry.coaches is not None and registry.coaches(user))
