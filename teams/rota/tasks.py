"""The rota's background work: keeping the regular visits made a few weeks ahead."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ..models import Team
from . import services


@shared_task(name="teams.rota.tasks.visits_generate_ahead")
def visits_generate_ahead() -> int:
    """Make the visits every team's patterns call for, from today to a few weeks ahead.

    Safe to run twice: days already made are skipped. Each team is its own transaction, so
    one team's problem does not hold up the others'."""
    today = timezone.localdate()
    last = today + timedelta(days=settings.ROTA_GENERATE_AHEAD_DAYS)
    made = 0
    for team_id in (
        Team.objects.filter(visit_patterns__isnull=False).distinct().values_list("pk", flat=True)
    ):
        team = Team.objects.get(pk=team_id)
        made += len(services.visits_generate(team=team, first_day=today, last_day=last, by=None))
    return made
