"""What recruitment adds to the coach's dashboard: how each team's recruitment is going.

Registered with `teams.registry.dashboard_columns` in RecruitmentConfig.ready(); teams draws the
column without knowing recruitment exists.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from teams.models import Team
from teams.registry import TeamFigure

from ..models import Candidate, Round

# An open round this close to closing with nobody applied is worth the coach's attention.
CLOSING_SOON = timedelta(days=7)
# Rounds still under way: taking applications, or closed with decisions still to make.
RUNNING = (Round.Status.OPEN, Round.Status.CLOSED)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def team_recruitment_figures(teams: Sequence[Team]) -> dict[int, TeamFigure]:
    """Each team's running rounds: how many are open now and how many candidates are waiting
    for a decision. One query for any number of teams; teams with no running round are left out.
    """
    today = timezone.localdate()
    rows = (
        Round.teams.through.objects.filter(
            team_id__in=[team.pk for team in teams], round__status__in=RUNNING
        )
        .values_list("team_id", "round_id", "round__status", "round__opens_on", "round__closes_on")
        .annotate(
            applied=Count("round__candidates"),
            waiting=Count(
                "round__candidates", filter=Q(round__candidates__stage__in=Candidate.UNDECIDED)
            ),
        )
        .order_by()
    )
    open_now: dict[int, int] = defaultdict(int)
    waiting: dict[int, int] = defaultdict(int)
    quiet: dict[int, int] = defaultdict(int)  # open, closing soon, nobody applied yet
    rounds: dict[int, set[int]] = defaultdict(set)
    for team_id, round_id, status, opens_on, closes_on, applied, undecided in rows:
        rounds[team_id].add(round_id)
        waiting[team_id] += undecided
        if status == Round.Status.OPEN and opens_on <= today <= closes_on:
            open_now[team_id] += 1
            if not applied and closes_on - today <= CLOSING_SOON:
                quiet[team_id] += 1
    figures = {}
    for team_id, round_ids in rounds.items():
        parts = []
        if open_now[team_id]:
            parts.append(f"{_plural(open_now[team_id], 'round')} open")
        if waiting[team_id] or not parts:
            parts.append(f"{_plural(waiting[team_id], 'candidate')} waiting for a decision")
        if quiet[team_id]:
            parts.append("closing soon with no applications")
        figures[team_id] = TeamFigure(
            text=", ".join(parts),
            attention=bool(quiet[team_id]),
            sort_value=waiting[team_id] + 100 * quiet[team_id],
            # The staff's pages, where candidates are decided: the round itself when there is
            # one, not the public "Work with us" page.
            url=reverse("recruitment:round_detail", args=[min(round_ids)])
            if len(round_ids) == 1
            else reverse("recruitment:round_list"),
        )
    return figures
