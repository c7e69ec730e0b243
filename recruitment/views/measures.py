from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from ..permissions import rounds_managed_by
from ..selectors.measures import round_measures


@login_required
def measures(request: HttpRequest) -> HttpResponse:
    """Every round the user runs, side by side: funnel, waiting times, retention."""
    rounds = rounds_managed_by(request.user)
    if not request.user.is_org_admin and not rounds.exists():
        raise PermissionDenied("Recruitment measures are for admins and those who run rounds.")
    return render(request, "recruitment/measures.html", {"measures": round_measures(rounds=rounds)})


urlpatterns = [path("measures/", measures, name="measures")]
