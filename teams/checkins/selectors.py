"""Reads about check-ins and actions, each in a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from wellbeing.accounts.models import User

from ..models import Membership, Team
from .models import Action, CheckIn

CHECKINS_PER_PAGE = 10


def planned_checkin(*, team: Team) -> CheckIn | None:
    return CheckIn.objects.filter(team=team, held_on__isnull=True).first()


def last_checkin(*, team: Team) -> CheckIn | None:
    return CheckIn.objects.filter(team=team, held_on__isnull=False).order_by("-held_on").first()


def checkin_due_on(*, team: Team, planned: CheckIn | None, last: CheckIn | None) -> date | None:
    """When the team should next meet its coach: the planned date, else the last check-in plus
    the agreed cadence; None if they have never met (which is overdue in itself)."""
    if planned is not None:
        return planned.planned_for
    if last is not None:
        return last.held_on + timedelta(weeks=team.checkin_every_weeks)
    return None


def _with_details(checkins: QuerySet[CheckIn]) -> QuerySet[CheckIn]:
    return checkins.select_related("coach", "pulse").prefetch_related(
        "attendees", "values_lived", "values_missing", "actions__owner", "decisions"
    )


def checkin_history(*, team: Team, page: int | str | None = 1) -> Page:
    """Held check-ins, the latest first, a page at a time."""
    checkins = _with_details(
        CheckIn.objects.filter(team=team, held_on__isnull=False).order_by("-held_on", "-pk")
    )
    return Paginator(checkins, CHECKINS_PER_PAGE).get_page(page)


def checkin_detail(*, team: Team, pk: int) -> CheckIn | None:
    return _with_details(CheckIn.objects.filter(team=team, pk=pk)).first()


def _overdue_first(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.order_by("due_on", "pk")


def team_open_actions(*, team: Team) -> list[Action]:
    """Actions still open from every check-in: they carry over until done."""
    return list(
        _overdue_first(
            Action.objects.filter(team=team, status=Action.Status.OPEN).select_related(
                "owner", "checkin"
            )
        )
    )


def team_closed_actions(*, team: Team, limit: int = 20) -> list[Action]:
    return list(
        Action.objects.filter(team=team)
        .exclude(status=Action.Status.OPEN)
        .select_related("owner")
        .order_by("-closed_on", "-pk")[:limit]
    )


def member_open_actions(
    *, user: User, team: Team | None = None, whole_team: bool = True
) -> list[Action]:
    """A member's own open actions (and, with `whole_team`, their teams' shared ones), their
    own first, each group overdue first.

    Only from teams they are in now: an action of a team they left is no longer theirs.
    """
    teams = Membership.objects.current().filter(user=user).values("team_id")
    owners = Q(owner=user) | Q(owner__isnull=True) if whole_team else Q(owner=user)
    actions = Action.objects.filter(owners, status=Action.Status.OPEN, team_id__in=teams)
    if team is not None:
        actions = actions.filter(team=team)
    mine_first = Case(
        When(owner=user, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(actions.select_related("team", "owner").order_by(mine_first, "due_on", "pk"))
