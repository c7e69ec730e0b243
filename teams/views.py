from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wellbeing.accounts.models import Invitation
from wellbeing.accounts.services import InvitationError, invitation_revoke

from . import registry, selectors
from .contributions import render_contributions
from .forms import InvitationForm
from .models import Team
from .permissions import can_hold_checkins, get_team_for, is_current_member
from .services import team_invitation_send


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "teams/team_list.html", {"teams": selectors.team_list(user=request.user)}
    )


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's page: how it is doing, what it agreed, who does what, what it decided."""
    team = get_team_for(request.user, pk)
    return render(
        request,
        "teams/team_detail.html",
        {
            **selectors.team_detail(team=team, user=request.user),
            "panels": render_contributions(
                request, (hook(request.user, team) for hook in registry.team_panels), team=team
            ),
            "is_member": is_current_member(request.user, team),
            "can_record": can_hold_checkins(request.user, team),
        },
    )


def _require_admin(request: HttpRequest) -> None:
    if not request.user.is_org_admin:
        raise PermissionDenied("Only an organisation admin can invite people.")


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = InvitationForm(request.POST or None, teams=Team.objects.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_invitation_send(
                email=data["email"],
                display_name=data["display_name"],
                invited_by=request.user,
                make_admin=data["make_admin"],
                team=data["team"],
                as_coach=data["role"] == "coach",
                contracted_hours=data["contracted_hours"] or Decimal(0),
            )
        except InvitationError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, f"Invitation sent to {data['email']}.")
            return redirect("teams:invitations")
    return render(
        request,
        "teams/invitations.html",
        {"form": form, "invitations": selectors.invitation_list()[:100]},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    invitation = Invitation.objects.filter(pk=pk).first()
    if invitation is not None:
        invitation_revoke(invitation=invitation)
        messages.success(request, f"The invitation for {invitation.email} no longer works.")
    return redirect("teams:invitations")
