"""Pages of the decision log: propose and ask for advice, give advice, decide, search."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellbeing.accounts.models import User

from ..models import Membership, Team
from ..permissions import get_team_for
from ..services import TeamError
from . import selectors, services
from .forms import AdviceForm, DecideForm, DecisionSearchForm, ProposeForm


def _people_to_ask(team: Team, user: User):
    members = Membership.objects.current().filter(team=team).values("user_id")
    people = User.objects.filter(pk__in=members)
    if team.coach_id:
        people = people | User.objects.filter(pk=team.coach_id)
    return people.exclude(pk=user.pk).order_by("display_name")


def _decision_for(team: Team, pk: int):
    decision = selectors.decision_detail(team=team, pk=pk)
    if decision is None:
        raise Http404("No such decision")
    return decision


@login_required
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    search = DecisionSearchForm(request.GET)
    query, status = "", ""
    if search.is_valid():
        query, status = search.cleaned_data["q"], search.cleaned_data["status"]
    page = selectors.decision_page(
        team=team, query=query, status=status, page=request.GET.get("page")
    )
    return render(
        request,
        "teams/decisions/decision_list.html",
        {
            "team": team,
            "search": search,
            "page": page,
            "query": query,
            "querystring": _querystring(query, status),
        },
    )


def _querystring(query: str, status: str) -> str:
    return urlencode({key: value for key, value in {"q": query, "status": status}.items() if value})


@login_required
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    form = ProposeForm(
        request.POST if request.method == "POST" else None,
        people=_people_to_ask(team, request.user),
        initial={"advice_by": timezone.localdate() + timedelta(days=7)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_propose(
                team=team, proposer=request.user, **form.cleaned_data
            )
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Proposed. The people you asked have been emailed for their advice."
            )
            return redirect("teams:decision_detail", pk=team.pk, decision_pk=decision.pk)
    return render(
        request,
        "teams/decisions/decision_form.html",
        {"team": team, "form": form},
        status=400 if form.errors else 200,
    )


def _render_detail(request, team, decision, *, advice_form=None, decide_form=None, status=200):
    return render(
        request,
        "teams/decisions/decision_detail.html",
        {
            "team": team,
            "decision": decision,
            "advice_form": advice_form or AdviceForm(),
            "decide_form": decide_form or DecideForm(),
            "is_proposer": request.user.pk == decision.proposer_id or request.user.is_org_admin,
        },
        status=status,
    )


@login_required
def decision_detail(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    return _render_detail(request, team, _decision_for(team, decision_pk))


@login_required
@require_POST
def advice_add(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    decision = _decision_for(team, decision_pk)
    form = AdviceForm(request.POST)
    if form.is_valid():
        try:
            services.advice_give(decision=decision, by=request.user, text=form.cleaned_data["text"])
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you: your advice is recorded.")
            return redirect("teams:decision_detail", pk=team.pk, decision_pk=decision.pk)
    return _render_detail(request, team, decision, advice_form=form, status=400)


@login_required
@require_POST
def decision_decide(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    decision = _decision_for(team, decision_pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(decision=decision, by=request.user, **form.cleaned_data)
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The decision is recorded.")
            return redirect("teams:decision_detail", pk=team.pk, decision_pk=decision.pk)
    return _render_detail(request, team, decision, decide_form=form, status=400)


@login_required
@require_POST
def decision_withdraw(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    decision = _decision_for(team, decision_pk)
    try:
        services.decision_withdraw(decision=decision, by=request.user)
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The proposal is withdrawn.")
    return redirect("teams:decision_detail", pk=team.pk, decision_pk=decision.pk)
