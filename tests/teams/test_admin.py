"""HQ sets the pulse statements and reads the team's records in the admin; single answers are
never there."""

from __future__ import annotations

import pytest
from django.contrib import admin as django_admin

from teams.models import PulseAnswer, PulseParticipation, PulseResponse
from tests.factories import ActionFactory, CheckInFactory, DecisionFactory
from tests.teams.conftest import run_pulse

pytestmark = pytest.mark.django_db


def test_admin_pages_for_the_teams_records_open(client_for, admin, team, crew):
    pulse = run_pulse(team, crew, [4, 4, 4], comments=["Secret words"])
    checkin = CheckInFactory(team=team)
    ActionFactory(checkin=checkin)
    decision = DecisionFactory(team=team, proposer=crew[0])
    client = client_for(admin)
    for url in [
        "/admin/teams/pulsestatement/",
        "/admin/teams/pulse/",
        f"/admin/teams/pulse/{pulse.pk}/change/",
        "/admin/teams/checkin/",
        f"/admin/teams/checkin/{checkin.pk}/change/",
        "/admin/teams/decision/",
        f"/admin/teams/decision/{decision.pk}/change/",
        "/admin/teams/roletemplate/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret words" not in response.content.decode()


def test_single_answers_and_who_answered_are_not_in_the_admin():
    for model in (PulseAnswer, PulseResponse, PulseParticipation):
        assert model not in django_admin.site._registry
