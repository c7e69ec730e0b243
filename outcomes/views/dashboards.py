"""The team's outcomes page: for the team and its coach, figures with the people behind them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache

from teams.models import Person
from teams.permissions import get_team_for

from .. import charts
from ..selectors.dashboards import team_outcomes
from ..services.privacy import record_read


@login_required
@never_cache
def team_page(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    context = team_outcomes(team=team)
    # The page quotes some people's outcomes (overdue, worth a conversation): a read of those.
    quoted = {outcome.person_id for outcome, _ in context["prompts"]} | {
        outcome.person_id for outcome in context["overdue"]
    }
    record_read(
        people=[Person(pk=pk) for pk in sorted(quoted)],
        reader=request.user,
        what=f"An outcome, quoted on {team.name}’s outcomes page",
    )
    chart, bands = charts.t_score_distribution(
        context["figures"].t_scores, title=f"Spread of GAS T-scores in {team.name}"
    )
    return render(
        request, "outcomes/staff/team.html", {**context, "distribution": chart, "bands": bands}
    )


urlpatterns = [path("outcomes/teams/<int:pk>/", team_page, name="team")]
