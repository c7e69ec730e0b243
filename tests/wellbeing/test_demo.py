"""`manage.py seed_demo`: made-up data for a newcomer, never in production."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from teams.models import Team
from wellbeing.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_refuses_to_run_with_debug_off(settings):
    """Its admin's password and second factor are published."""
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.exists()
    assert not Team.objects.exists()


def test_each_printed_sign_in_names_every_team_its_person_coaches(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    coaches = User.objects.filter(coached_teams__isnull=False).distinct()
    assert coaches.count() >= 2
    for coach in coaches:
        (line,) = [line for line in lines if f" {coach.email}" in line]
        coached = list(Team.objects.filter(coach=coach).values_list("name", flat=True))
        others = Team.objects.exclude(coach=coach).values_list("name", flat=True)
        label = line.split(coach.email)[0]
        assert all(name in label for name in coached), (label, coached)
        assert not any(name in label for name in others), label
    (coach_line,) = [line for line in lines if " coach@example.org" in line]
    assert coach_line.strip().startswith("Coach of ")
