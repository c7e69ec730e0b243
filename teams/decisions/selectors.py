"""Reads about the decision log, each in a fixed number of queries."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from wellbeing.accounts.models import User

from ..models import CheckIn, Membership, Team
from .models import Advice, AdviceRequest, Decision

DECISIONS_PER_PAGE = 20
SEARCH_MAX_LENGTH = 100


def decision_filter(
    decisions: QuerySet[Decision], *, query: str, status: str
) -> QuerySet[Decision]:
    """Decisions matching every word of `query` in the title, proposal, outcome or who is
    affected, and of `status` if it is one."""
    for word in query[:SEARCH_MAX_LENGTH].split()[:8]:
        decisions = decisions.filter(
            Q(title__icontains=word)
            | Q(proposal__icontains=word)
            | Q(outcome__icontains=word)
            | Q(affected__icontains=word)
        )
    if status in Decision.Status.values:
        decisions = decisions.filter(status=status)
    return decisions


def decision_search(*, team: Team, query: str = "", status: str = "") -> QuerySet[Decision]:
    """The team's decisions, newest first, with how many gave advice."""
    return (
        decision_filter(Decision.objects.filter(team=team), query=query, status=status)
        .select_related("proposer")
        .annotate(advice_count=Count("advice", distinct=True))
        .order_by("-created_at", "-pk")
    )


def decision_page(*, team: Team, query: str = "", status: str = "", page=1) -> Page:
    query = query[:SEARCH_MAX_LENGTH]
    return Paginator(
        decision_search(team=team, query=query, status=status), DECISIONS_PER_PAGE
    ).get_page(page)


def decision_detail(*, team: Team, pk: int) -> Decision | None:
    return (
        Decision.objects.filter(team=team, pk=pk)
        .select_related("proposer", "team")
        .prefetch_related(
            Prefetch("advice", queryset=Advice.objects.select_related("given_by")),
            Prefetch("requests", queryset=AdviceRequest.objects.select_related("user")),
            Prefetch("checkins", queryset=CheckIn.objects.order_by("-held_on")),
        )
        .first()
    )


def recent_decisions(*, team: Team, limit: int = 5) -> list[Decision]:
    return list(
        Decision.objects.filter(team=team)
        .select_related("proposer")
        .order_by("-created_at", "-pk")[:limit]
    )


def advice_waiting_for(*, user: User) -> list[Decision]:
    """Decisions still seeking advice that the user was asked for and has not given, in teams
    they are in or coach now."""
    teams = Membership.objects.current().filter(user=user).values("team_id")
    given = Advice.objects.filter(decision=OuterRef("pk"), given_by_id=user.pk)
    return list(
        Decision.objects.filter(
            Q(team_id__in=teams) | Q(team__coach_id=user.pk),
            status=Decision.Status.SEEKING,
            requests__user_id=user.pk,
        )
        .exclude(Exists(given))
        .select_related("team", "proposer")
        .order_by("advice_by", "pk")
    )


def decisions_to_make(*, user: User) -> list[Decision]:
    """The user's own proposals whose time for advice is over: theirs to decide (or withdraw),
    in teams they are in or coach now."""
    teams = Membership.objects.current().filter(user=user).values("team_id")
    return list(
        Decision.objects.filter(
            Q(team_id__in=teams) | Q(team__coach_id=user.pk),
            proposer_id=user.pk,
            status=Decision.Status.SEEKING,
            advice_by__lt=timezone.localdate(),
        )
        .select_related("team")
        .annotate(advice_count=Count("advice", distinct=True))
        .order_by("advice_by", "pk")
    )
