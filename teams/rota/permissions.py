"""Who may see and change the rota. Seeing follows the team (teams.permissions); planning
follows the team's own rule: everyone, unless it named rota coordinators."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from wellbeing.accounts.models import User

from ..models import Team
from ..permissions import teams_visible_to
from .models import RotaSettings

M = TypeVar("M", bound=Model)


def coordinator_ids(team: Team) -> set[int]:
    return set(
        RotaSettings.coordinators.through.objects.filter(rotasettings__team=team).values_list(
            "user_id", flat=True
        )
    )


def can_plan(user: User, team: Team, *, coordinators: set[int] | None = None) -> bool:
    """May this user draft, publish and fill the team's rota? Admins and the coach may; members
    may unless the team has named coordinators, in which case only they do."""
    if not user.is_authenticated:
        return False
    if user.is_org_admin or team.coach_id == user.pk:
        return True
    coordinators = coordinator_ids(team) if coordinators is None else coordinators
    if coordinators:
        return user.pk in coordinators
    return teams_visible_to(user).filter(pk=team.pk).exists()


def require_planner(user: User, team: Team) -> None:
    if not can_plan(user, team):
        raise PermissionDenied(
            f"{team} has asked its rota coordinators to plan the rota; ask one of them."
        )


def get_for(user: User, queryset: QuerySet[M], pk: int) -> M:
    """The team-owned object with this pk if the user sees its team, else 404 (team B's
    members cannot even learn that team A's visit exists)."""
    found = queryset.filter(team__in=teams_visible_to(user), pk=pk).first()
    if found is None:
        raise Http404("Not found")
    return found
