"""Pages about the team health pulse: answering it, and the team's published results."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..permissions import can_hold_checkins, get_team_for, is_current_member
from ..services import TeamError
from . import selectors, services
from .forms import PulseAnswerForm
from .models import Pulse, PulseParticipation


def _pulse_for(team, pulse_pk: int) -> Pulse:
    pulse = Pulse.objects.filter(team=team, pk=pulse_pk).select_related("team").first()
    if pulse is None:
        raise Http404("No such pulse")
    return pulse


@login_required
def pulse_page(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    return render(
        request,
        "teams/pulse/pulse_page.html",
        {
            "team": team,
            "overview": selectors.team_pulse_overview(team=team, user=request.user),
            "is_member": is_current_member(request.user, team),
            "can_run": can_hold_checkins(request.user, team),
            "min_responses": settings.PULSE_MIN_RESPONSES,
        },
    )


@login_required
def pulse_detail(request: HttpRequest, pk: int, pulse_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    pulse = _pulse_for(team, pulse_pk)
    if pulse.closed_at is None:
        return redirect("teams:pulse", pk=team.pk)
    statements, comments = selectors.pulse_results(pulse=pulse, user=request.user)
    return render(
        request,
        "teams/pulse/pulse_detail.html",
        {"team": team, "pulse": pulse, "statements": statements, "comments": comments},
    )


@login_required
def pulse_answer(request: HttpRequest, pk: int, pulse_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    pulse = _pulse_for(team, pulse_pk)
    if not is_current_member(request.user, team):
        raise PermissionDenied("Only the team's members answer its pulse.")
    if PulseParticipation.objects.filter(pulse=pulse, user=request.user).exists():
        messages.info(request, "You have already answered this pulse. Thank you.")
        return redirect("teams:pulse", pk=team.pk)
    if not pulse.is_open:
        messages.info(request, "This pulse has closed. Thank you all the same.")
        return redirect("teams:pulse", pk=team.pk)
    form = PulseAnswerForm(
        request.POST if request.method == "POST" else None,
        statements=pulse.statements.order_by("order", "pk"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_answer(
                pulse=pulse, user=request.user, ratings=form.ratings(), comments=form.comments()
            )
        except TeamError as exc:
            messages.info(request, str(exc))
        else:
            messages.success(
                request,
                "Thank you. Your answers are in, without your name. The team sees the results "
                "when the pulse closes.",
            )
        return redirect("teams:pulse", pk=team.pk)
    return render(
        request,
        "teams/pulse/pulse_answer.html",
        {"team": team, "pulse": pulse, "form": form, "min_responses": settings.PULSE_MIN_RESPONSES},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def pulse_start(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    try:
        services.pulse_open(team=team, by=request.user)
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The pulse is open, and the team has been invited by email.")
    return redirect("teams:pulse", pk=team.pk)


@login_required
@require_POST
def pulse_close(request: HttpRequest, pk: int, pulse_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    pulse = _pulse_for(team, pulse_pk)
    if services.pulse_close_now(pulse=pulse, by=request.user):
        messages.success(request, "The pulse is closed.")
    return redirect("teams:pulse", pk=team.pk)
