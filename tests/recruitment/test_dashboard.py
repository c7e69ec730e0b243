"""What recruitment shows a coach on their dashboard, through the teams registry: each team's
running rounds, in one query however many teams there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.models import Candidate, Round
from recruitment.selectors.dashboard import team_recruitment_figures
from teams import registry
from tests.factories import TeamFactory
from tests.recruitment.factories import CandidateFactory, open_round

pytestmark = pytest.mark.django_db


def recruitment_column() -> registry.DashboardColumn:
    return next(c for c in registry.dashboard_columns if c.key == "recruitment")


def test_recruitment_registers_its_column_with_the_coachs_dashboard():
    column = recruitment_column()
    assert column.label == "Recruitment"
    assert column.figures is team_recruitment_figures


def test_a_team_recruiting_shows_open_rounds_and_candidates_waiting(round_, team, other_team):
    round_.teams.add(team)
    CandidateFactory(round=round_)
    CandidateFactory(round=round_, stage=Candidate.Stage.INVITED)
    CandidateFactory(round=round_, stage=Candidate.Stage.WITHDRAWN)
    figures = recruitment_column().figures([team, other_team])
    assert set(figures) == {team.pk}
    figure = figures[team.pk]
    assert figure.text == "1 round open, 2 candidates waiting for a decision"
    assert not figure.attention
    assert figure.sort_value == 2
    # The staff's page of the round, where the candidates are decided.
    assert figure.url == f"/recruitment/rounds/{round_.pk}/"
    second = open_round(title="Second")
    second.teams.add(team)
    assert team_recruitment_figures([team])[team.pk].url == "/recruitment/rounds/"


def test_a_closed_round_still_counts_until_every_decision_is_made(round_, team):
    round_.teams.add(team)
    CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    assert team_recruitment_figures([team])[team.pk].text == "1 candidate waiting for a decision"
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DECIDED)
    assert team_recruitment_figures([team]) == {}


def test_a_round_closing_soon_with_nobody_applied_needs_the_coach(team):
    today = timezone.localdate()
    quiet = open_round(title="Quiet", closes_on=today + timedelta(days=3))
    quiet.teams.add(team)
    figure = team_recruitment_figures([team])[team.pk]
    assert figure.attention
    assert figure.text == "1 round open, closing soon with no applications"


def test_draft_rounds_and_rounds_for_other_teams_are_not_shown(team, other_team):
    draft = open_round(title="Not yet", status=Round.Status.DRAFT)
    draft.teams.add(team)
    elsewhere = open_round(title="Elsewhere")
    elsewhere.teams.add(other_team)
    assert team_recruitment_figures([team]) == {}


@pytest.mark.parametrize("size", [5, 50])
def test_figures_take_one_query_for_any_number_of_teams(size, django_assert_num_queries):
    teams = [TeamFactory(name=f"Team {n}") for n in range(size)]
    for n, team in enumerate(teams[: size // 2]):
        round_ = open_round(title=f"Round {n}")
        round_.teams.add(team, teams[-1])
        CandidateFactory(round=round_)
    with django_assert_num_queries(1):
        figures = team_recruitment_figures(teams)
    assert len(figures) == size // 2 + 1
    assert figures[teams[-1].pk].text.startswith(f"{size // 2} rounds open")
