"""Outcome figures for teams: the team's own outcomes page, and what outcomes contributes to
the coach's dashboard and the team page through the teams registry.

Each function answers for any number of teams in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from teams.models import Person, Team
from teams.registry import HomeSection, TeamFigure, TeamPanel
from teams.selectors import teams_of_member
from wellbeing.accounts.models import User

from ..models import Outcome, Suggestion
from .funds import hours_by_person, hours_by_team
from .goals import Figures, OutcomeRow, figures_by, outcome_rows
from .records import PersonLine

# A review due within this many days shows on a member's home page.
DUE_SOON = timedelta(days=7)
# Hours delivered are compared with hours commissioned over the last four weeks.
FUND_WINDOW = timedelta(days=28)
# Below this share of commissioned hours delivered, the coach's dashboard asks them to look.
FUND_SHORTFALL = 90


def _rows_for_teams(teams: Sequence[Team], today: date) -> list[OutcomeRow]:
    return outcome_rows(
        people=Person.objects.filter(team__in=[team.pk for team in teams]), today=today
    )


def team_figures(teams: Sequence[Team], *, today: date | None = None) -> dict[int, Figures]:
    today = today or timezone.localdate()
    return figures_by(_rows_for_teams(teams, today), "team_id", today=today)


def _team_url(team: Team) -> str:
    return reverse("outcomes:team", args=[team.pk])


def overdue_column(teams: Sequence[Team]) -> dict[int, TeamFigure]:
    figures = team_figures(teams)
    result = {}
    for team in teams:
        overdue = figures.get(team.pk, Figures()).overdue
        result[team.pk] = TeamFigure(
            text=f"{overdue} overdue" if overdue else "None overdue",
            attention=overdue > 0,
            sort_value=overdue,
            url=_team_url(team),
        )
    return result


def outcomes_column(teams: Sequence[Team]) -> dict[int, TeamFigure]:
    """Outcomes being worked on and achieved, and the honesty signals beside them: prompts to
    look together, not judgements, so never highlighted."""
    figures = team_figures(teams)
    result = {}
    for team in teams:
        team_figures_ = figures.get(team.pk, Figures())
        text = f"{team_figures_.active} active, {team_figures_.achieved} achieved"
        prompts = team_figures_.prompts
        if prompts:
            text += f"; {prompts} rating pattern{'s' if prompts != 1 else ''} to look at"
        result[team.pk] = TeamFigure(
            text=text,
            sort_value=team_figures_.active,
            url=_team_url(team) + ("#prompts" if team_figures_.prompts else ""),
        )
    return result


def funds_column(teams: Sequence[Team]) -> dict[int, TeamFigure]:
    """Hours delivered against hours commissioned, last four weeks. Three queries."""
    today = timezone.localdate()
    people = Person.objects.filter(team__in=[team.pk for team in teams]).only("pk", "team_id")
    totals = hours_by_team(people, today - FUND_WINDOW, today)
    result = {}
    for team in teams:
        hours = totals.get(team.pk)
        if hours is None or hours.share is None:
            continue
        result[team.pk] = TeamFigure(
            text=f"{hours.delivered:.0f} of {hours.commissioned:.0f} hours ({hours.share}%)",
            attention=hours.share < FUND_SHORTFALL,
            sort_value=max(100 - hours.share, 0),
            url=_team_url(team) + "#funds",
        )
    return result


def team_panel(user: User, team: Team) -> TeamPanel | None:
    """The team page's outcomes panel: each person, their outcomes and next review."""
    today = timezone.localdate()
    current = team.people.exclude(status=Person.Status.ENDED).filter(erasure__isnull=True)
    people = list(current.order_by("name"))
    # The queryset, not its ids: one query whether or not the team supports anyone yet.
    figures = figures_by(outcome_rows(people=current, today=today), "person_id")
    return TeamPanel(
        title="Outcomes",
        template="outcomes/includes/team_panel.html",
        context={
            "outcome_lines": [
                PersonLine(person, figures.get(person.pk, Figures())) for person in people
            ],
            "outcomes_team": team,
            "today": today,
        },
        order=40,
    )


@dataclass(frozen=True)
class DueReview:
    outcome: Outcome

    @property
    def person(self) -> Person:
        return self.outcome.person


def reviews_due_home_section(user: User) -> HomeSection | None:
    """Reviews due this week for the people a member's teams support. One query."""
    today = timezone.localdate()
    due = list(
        Outcome.objects.filter(
            person__team__in=teams_of_member(user=user),
            person__erasure__isnull=True,
            status=Outcome.Status.ACTIVE,
            review_due__lte=today + DUE_SOON,
        )
        .select_related("person")
        .order_by("review_due", "pk")[:10]
    )
    if not due:
        return None
    return HomeSection(
        title="Outcome reviews due",
        template="outcomes/includes/home_section.html",
        context={"due_reviews": due, "today": today},
        order=30,
    )


def suggestions_home_section(user: User) -> HomeSection | None:
    """Suggestions from the people a member's teams support, waiting for an answer. One query."""
    waiting = list(
        Suggestion.objects.filter(
            person__team__in=teams_of_member(user=user),
            person__erasure__isnull=True,
            status=Suggestion.Status.OPEN,
        )
        .select_related("person", "outcome")
        .order_by("created_at", "pk")[:10]
    )
    if not waiting:
        return None
    return HomeSection(
        title="Suggestions waiting for an answer",
        template="outcomes/includes/suggestions_section.html",
        context={"waiting_suggestions": waiting},
        order=31,
    )


def team_outcomes(*, team: Team, today: date | None = None) -> dict:
    """The team's outcomes page: people, spread of T-scores, prompts and overdue reviews."""
    today = today or timezone.localdate()
    people = list(
        team.people.filter(erasure__isnull=True)
        .exclude(status=Person.Status.ENDED)
        .order_by("name")
    )
    rows = outcome_rows(people=[person.pk for person in people], today=today)
    per_person = figures_by(rows, "person_id", today=today)
    team_total = figures_by(rows, "team_id", today=today).get(team.pk, Figures())
    flagged = {row.pk: row for row in rows if row.always_as_expected or row.only_ever_up}
    overdue = {row.pk for row in rows if row.overdue(today)}
    outcomes = {
        outcome.pk: outcome
        for outcome in Outcome.objects.filter(pk__in=set(flagged) | overdue).select_related(
            "person"
        )
    }
    window_start = today - FUND_WINDOW
    fund_hours = hours_by_person([person.pk for person in people], window_start, today)
    return {
        "team": team,
        "funds": [(person, fund_hours[person.pk]) for person in people if person.pk in fund_hours],
        "funds_since": window_start,
        "lines": [PersonLine(person, per_person.get(person.pk, Figures())) for person in people],
        "figures": team_total,
        "prompts": [(outcomes[pk], row) for pk, row in flagged.items() if pk in outcomes],
        "overdue": sorted(
            (outcomes[pk] for pk in overdue if pk in outcomes),
            key=lambda outcome: outcome.review_due,
        ),
        "today": today,
    }
