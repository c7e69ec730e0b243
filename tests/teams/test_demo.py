"""The demo tells the coach's story on first run, and is safe to run again."""

from __future__ import annotations

import pytest

from teams.models import Action, Advice, CheckIn, Decision, Pulse, Role, RoleAssignment, Team
from teams.pulse.selectors import teams_pulse
from wellbeing.demo import seed_demo

pytestmark = pytest.mark.django_db

MODELS = [Team, Role, RoleAssignment, CheckIn, Action, Pulse, Decision, Advice]


def test_the_demo_tells_a_story_and_running_it_again_changes_nothing(client):
    seed_demo()
    counts = {model: model.objects.count() for model in MODELS}
    seed_demo()
    assert {model: model.objects.count() for model in MODELS} == counts

    coached = Team.objects.filter(coach__email="coach@example.org")
    assert coached.count() >= 5
    northfield = Team.objects.get(name="Northfield")
    figures = teams_pulse(team_ids=[northfield.pk])[northfield.pk]
    assert figures.declining_twice
    assert figures.is_open
    assert Action.objects.filter(team=northfield, status="open").count() >= 3
    assert RoleAssignment.objects.filter(role__team=northfield, ended__isnull=False).exists()
    assert Decision.objects.filter(team=northfield, status="seeking").exists()
    assert Team.objects.filter(coach__isnull=True).exists()
    latest = CheckIn.objects.filter(team=northfield, held_on__isnull=False).first()
    assert latest.pulse is not None, "the pulse they discussed"
    assert latest.pulse.is_published
    assert CheckIn.objects.filter(decisions__isnull=False).exists(), "a decision discussed"

    client.force_login(coached.first().coach)
    page = client.get("/", {"show": "declining"}).content.decode()
    assert "<strong>Northfield</strong>" in page
    assert "<strong>Riverside</strong>" not in page

    client.force_login(northfield.memberships.get(user__email="amara.okafor@example.org").user)
    home = client.get("/").content.decode()
    assert "How is Northfield doing?" in home
    assert "Your actions" in home
    assert "A team day once a quarter" in home
