"""The team page: the drill-down a coach opens from the dashboard, and the team's own page."""

from __future__ import annotations

from copy import deepcopy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams import registry
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CheckInFactory,
    DecisionFactory,
    MembershipFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tests.teams.conftest import published_pulse, run_pulse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _team_page(client, team) -> str:
    response = client.get(reverse("teams:detail", args=[team.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_team_page_shows_pulse_check_ins_actions_roles_and_decisions(
    client_for, coach, team, crew
):
    now = timezone.now()
    run_pulse(team, crew, [4, 4, 4], opened=now - timedelta(days=50))
    run_pulse(team, crew, [3, 3, 3], opened=now - timedelta(days=10))
    held = CheckInFactory(team=team, held_on=TODAY() - timedelta(days=3))
    CheckInFactory(team=team, held_on=None, planned_for=TODAY() + timedelta(days=30))
    ActionFactory(checkin=held, owner=crew[1], text="Ring the GP surgery")
    RoleFactory(team=team, name="Informer")
    DecisionFactory(team=team, proposer=crew[0], title="Meet on Thursdays")
    page = _team_page(client_for(coach), team)
    assert "Neither agree nor disagree" in page
    assert "down from 4.0" in page
    assert 'id="team-pulse-trend-title"' in page
    assert "Ring the GP surgery" in page
    assert "Informer" in page
    assert "Nobody holds it" in page
    assert "Meet on Thursdays" in page
    assert "Record a check-in" in page


def test_a_member_sees_the_pulse_open_and_can_answer_from_the_team_page(client_for, team, crew):
    from teams.pulse import services

    pulse = services.pulse_open(team=team)
    page = _team_page(client_for(crew[0]), team)
    assert reverse("teams:pulse_answer", args=[team.pk, pulse.pk]) in page
    assert "0 of 4 have answered" in page
    assert "Record a check-in" not in page


def test_other_apps_panels_show_on_the_team_page(client_for, member, team, settings, monkeypatch):
    templates = deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.locmem.Loader",
            {"panel.html": "<p>{{ team.name }}: {{ n }} visits unfilled</p>"},
        ),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates
    monkeypatch.setattr(
        registry,
        "team_panels",
        [lambda user, team: registry.TeamPanel("Rota", "panel.html", {"n": 3})],
    )
    page = _team_page(client_for(member), team)
    assert "<p>Northfield: 3 visits unfilled</p>" in page


def test_the_team_page_runs_a_fixed_number_of_queries(
    client_for, coach, team, crew, assert_fixed_queries
):
    run_pulse(team, crew, [4, 4, 4], comments=["One"])
    RoleAssignmentFactory(role=RoleFactory(team=team), membership=crew[0].memberships.get())
    ActionFactory(checkin=CheckInFactory(team=team, held_on=TODAY()), owner=crew[0])
    DecisionFactory(team=team, proposer=crew[1])
    client = client_for(coach)

    def grow():
        now = timezone.now()
        for n in range(8):
            published_pulse(team, 3.0 + n / 10, opened=now - timedelta(days=40 + 30 * n))
            checkin = CheckInFactory(team=team, held_on=TODAY() - timedelta(days=n + 1))
            ActionFactory.create_batch(3, checkin=checkin, owner=crew[n % 4])
            decision = DecisionFactory(team=team, proposer=crew[n % 4])
            AdviceFactory(decision=decision, given_by=crew[0])
            RoleAssignmentFactory(
                role=RoleFactory(team=team), membership=MembershipFactory(team=team)
            )
            RoleFactory(team=team)
            PersonFactory(team=team)
        CheckInFactory(team=team, held_on=None, planned_for=TODAY())

    count = assert_fixed_queries(
        lambda: client.get(reverse("teams:detail", args=[team.pk])), grow, most=35
    )
    print(f"team page queries: {count}")  # noqa: T201
