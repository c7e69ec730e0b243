"""Pages about the coach's check-ins with a team, and the actions they agree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from values.selectors import value_list
from wellbeing.accounts.models import User

from ..models import Decision, Membership, Pulse, Team
from ..permissions import can_hold_checkins, get_in_team, get_team_for
from ..pulse.selectors import published
from ..services import TeamError
from . import selectors, services
from .forms import ActionFormSet, ActionStatusForm, CadenceForm, CheckInForm, PlanForm
from .models import Action


def _people_queryset(team: Team):
    members = Membership.objects.current().filter(team=team).values("user_id")
    people = User.objects.filter(pk__in=members)
    if team.coach_id:
        people = people | User.objects.filter(pk=team.coach_id)
    return people.order_by("display_name")


@login_required
def checkin_list(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    planned, last = selectors.planned_checkin(team=team), selectors.last_checkin(team=team)
    due = selectors.checkin_due_on(team=team, planned=planned, last=last)
    return render(
        request,
        "teams/checkins/checkin_list.html",
        {
            "team": team,
            "planned": planned,
            "due_on": due,
            "overdue": due is None or due < timezone.localdate(),
            "plan_form": PlanForm(
                initial={"planned_for": planned.planned_for if planned else None}
            ),
            "cadence_form": CadenceForm(initial={"weeks": team.checkin_every_weeks}),
            "open_actions": selectors.team_open_actions(team=team),
            "closed_actions": selectors.team_closed_actions(team=team),
            "history": selectors.checkin_history(team=team, page=request.GET.get("page")),
            "can_record": can_hold_checkins(request.user, team),
        },
    )


@login_required
def checkin_detail(request: HttpRequest, pk: int, checkin_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    checkin = selectors.checkin_detail(team=team, pk=checkin_pk)
    if checkin is None:
        raise Http404("No such check-in")
    return render(request, "teams/checkins/checkin_detail.html", {"team": team, "checkin": checkin})


def _record_forms(request: HttpRequest, team: Team):
    people = _people_queryset(team)
    open_actions = (
        Action.objects.filter(team=team, status=Action.Status.OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    data = request.POST if request.method == "POST" else None
    recent_decision_ids = list(
        Decision.objects.filter(team=team).order_by("-created_at").values_list("pk", flat=True)[:10]
    )
    # Ids, not a sliced queryset: a form field must be able to look its choice up.
    recent_pulse_ids = list(
        Pulse.objects.filter(published(), team=team)
        .order_by("-opened_at")
        .values_list("pk", flat=True)[:6]
    )
    latest_pulse = recent_pulse_ids[0] if recent_pulse_ids else None
    form = CheckInForm(
        data,
        people=people,
        values=value_list().filter(active=True),
        open_actions=open_actions,
        pulses=Pulse.objects.filter(pk__in=recent_pulse_ids).order_by("-opened_at"),
        decisions=Decision.objects.filter(pk__in=recent_decision_ids).order_by("-created_at"),
        initial={"held_on": timezone.localdate(), "pulse": latest_pulse},
    )
    formset = ActionFormSet(data, people=people, prefix="actions")
    return form, formset


@login_required
def checkin_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    if not can_hold_checkins(request.user, team):
        raise PermissionDenied("Only the team's coach or an admin records check-ins.")
    form, formset = _record_forms(request, team)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            checkin = services.checkin_record(
                team=team,
                held_on=data["held_on"],
                by=request.user,
                attendees=data["attendees"],
                brought=data["brought"],
                notes=data["notes"],
                values_lived=data["values_lived"],
                values_missing=data["values_missing"],
                pulse=data["pulse"],
                decisions=data.get("decisions") or [],
                actions_done=data.get("actions_done") or [],
                actions=[
                    services.ActionDraft(row["text"], row.get("owner"), row["due_on"])
                    for row in formset.cleaned_data
                    if row.get("text", "").strip()
                ],
            )
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Check-in recorded, and the next one planned.")
            return redirect("teams:checkin_detail", pk=team.pk, checkin_pk=checkin.pk)
    return render(
        request,
        "teams/checkins/checkin_form.html",
        {"team": team, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def checkin_plan(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            planned = services.checkin_plan(
                team=team, on=form.cleaned_data["planned_for"], by=request.user
            )
        except TeamError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Next check-in planned for {planned.planned_for:%-d %B %Y}.")
    else:
        for error in form.errors.get("planned_for", []):
            messages.error(request, error)
    return redirect("teams:checkins", pk=team.pk)


@login_required
@require_POST
def checkin_cadence(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    form = CadenceForm(request.POST)
    if form.is_valid():
        services.checkin_cadence_set(team=team, weeks=form.cleaned_data["weeks"], by=request.user)
        messages.success(request, f"Check-ins every {form.cleaned_data['weeks']} weeks.")
    else:
        for error in form.errors.get("weeks", []):
            messages.error(request, error)
    return redirect("teams:checkins", pk=team.pk)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    action = get_in_team(Action.objects.select_related("team"), team, action_pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the action is done, open or no longer needed.")
    else:
        action = services.action_set_status(
            action=action, status=form.cleaned_data["status"], by=request.user
        )
        messages.success(request, f"“{action.text}”: {action.get_status_display().lower()}.")
    return redirect(_safe_next(request) or reverse("teams:checkins", args=[team.pk]) + "#actions")


def _safe_next(request: HttpRequest) -> str | None:
    """Back to the page the action was ticked on (the home page, the team page), if ours."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
