"""Reads about roles, each in a fixed number of queries whatever the number of roles or terms."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Membership, Team
from .models import Role, RoleAssignment, RoleTemplate


@dataclass(frozen=True)
class RoleWithHolders:
    role: Role
    holders: list[RoleAssignment]

    @property
    def is_gap(self) -> bool:
        return not self.holders


def team_roles(*, team: Team) -> list[RoleWithHolders]:
    """Who does what: each of the team's roles with its current holders (none is a gap)."""
    current = (
        RoleAssignment.objects.current()
        .select_related("membership__user")
        .order_by("membership__user__display_name")
    )
    roles = (
        Role.objects.filter(team=team, retired_on__isnull=True)
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_holders"))
        .order_by("name", "pk")
    )
    return [RoleWithHolders(role, role.current_holders) for role in roles]


def role_terms(*, role: Role) -> QuerySet[RoleAssignment]:
    """Everyone who has held the role, the latest first."""
    return role.assignments.select_related("membership__user").order_by("-started", "-pk")


def team_past_terms(*, team: Team, limit: int = 50) -> list[RoleAssignment]:
    """Terms that have ended, the latest first: the team's record of who held what."""
    return list(
        RoleAssignment.objects.filter(role__team=team, ended__isnull=False)
        .select_related("role", "membership__user")
        .order_by("-ended", "-pk")[:limit]
    )


def member_terms(*, membership: Membership) -> tuple[list[RoleAssignment], list[RoleAssignment]]:
    """The roles a member holds now, and those they held before."""
    today = timezone.localdate()
    terms = list(membership.role_assignments.select_related("role").order_by("-started", "-pk"))
    held = [t for t in terms if t.started <= today and (t.ended is None or t.ended > today)]
    before = [t for t in terms if t.ended is not None and t.ended <= today]
    return held, before


def role_templates_to_adopt(*, team: Team) -> QuerySet[RoleTemplate]:
    """The organisation's suggested roles the team does not have yet."""
    adopted = Role.objects.filter(team=team, retired_on__isnull=True, template__isnull=False)
    return RoleTemplate.objects.exclude(pk__in=adopted.values("template_id")).order_by(
        "order", "name"
    )
