"""Pages about the team's roles: who does what, the gaps, and each role's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..checkins.selectors import member_open_actions
from ..models import Membership
from ..numbers import whole_number
from ..permissions import get_in_team, get_team_for
from ..services import TeamError
from . import selectors, services
from .forms import AssignForm, ReviewForm, RoleForm
from .models import Role, RoleAssignment, RoleTemplate


def _role_for(team, role_pk: int) -> Role:
    return get_in_team(Role.objects.select_related("template"), team, role_pk)


def _assignment_for(team, pk: int) -> RoleAssignment:
    terms = RoleAssignment.objects.select_related("role__team", "membership__user")
    return get_in_team(terms, team, pk, team_field="role__team")


@login_required
def role_list(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    return render(
        request,
        "teams/roles/role_list.html",
        {
            "team": team,
            "roles": selectors.team_roles(team=team),
            "past_terms": selectors.team_past_terms(team=team),
            "role_templates": selectors.role_templates_to_adopt(team=team),
        },
    )


@login_required
def role_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    template_id = whole_number(request.GET.get("template") or request.POST.get("template"))
    template = RoleTemplate.objects.filter(pk=template_id).first() if template_id else None
    initial = {}
    if template is not None:
        initial = {
            "name": template.name,
            "purpose": template.purpose,
            "accountabilities": template.accountabilities,
            "term_months": template.suggested_term_months,
        }
    form = RoleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.role_create(
                team=team, template=template, by=request.user, **form.cleaned_data
            )
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{role.name} is now one of {team.name}'s roles.")
            return redirect("teams:role_detail", pk=team.pk, role_pk=role.pk)
    return render(
        request,
        "teams/roles/role_form.html",
        {"team": team, "form": form, "template": template},
        status=400 if form.errors else 200,
    )


@login_required
def role_edit(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    role = _role_for(team, role_pk)
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        initial={
            "name": role.name,
            "purpose": role.purpose,
            "accountabilities": role.accountabilities,
            "term_months": role.term_months,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, by=request.user, **form.cleaned_data)
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Role saved.")
            return redirect("teams:role_detail", pk=team.pk, role_pk=role.pk)
    return render(
        request,
        "teams/roles/role_form.html",
        {"team": team, "form": form, "role": role},
        status=400 if form.errors else 200,
    )


def _assign_form(team, data=None) -> AssignForm:
    members = Membership.objects.current().filter(team=team).select_related("user")
    return AssignForm(
        data,
        members=members.order_by("user__display_name"),
        initial={"started": timezone.localdate()},
    )


@login_required
def role_detail(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    role = _role_for(team, role_pk)
    return _render_role(request, team, role, _assign_form(team))


def _render_role(request, team, role, form, status=200) -> HttpResponse:
    terms = list(selectors.role_terms(role=role))
    return render(
        request,
        "teams/roles/role_detail.html",
        {
            "team": team,
            "role": role,
            "current_terms": [t for t in terms if t.is_current],
            "other_terms": [t for t in terms if not t.is_current],
            "form": form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def role_assign(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    role = _role_for(team, role_pk)
    form = _assign_form(team, request.POST)
    if form.is_valid():
        try:
            assignment = services.role_assign(role=role, by=request.user, **form.cleaned_data)
        except TeamError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{assignment.membership.user.display_name} now holds {role.name}."
            )
            return redirect("teams:role_detail", pk=team.pk, role_pk=role.pk)
    return _render_role(request, team, role, form, status=400)


@login_required
@require_POST
def role_retire(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    role = _role_for(team, role_pk)
    services.role_retire(role=role, by=request.user)
    messages.success(request, f"{role.name} is retired; its history is kept.")
    return redirect("teams:roles", pk=team.pk)


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    assignment = _assignment_for(team, assignment_pk)
    try:
        services.role_assignment_end(assignment=assignment, by=request.user)
    except TeamError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{assignment.membership.user.display_name} has handed back {assignment.role.name}.",
        )
    return redirect("teams:role_detail", pk=team.pk, role_pk=assignment.role_id)


@login_required
@require_POST
def assignment_review(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    team = get_team_for(request.user, pk)
    assignment = _assignment_for(team, assignment_pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.role_assignment_review(
                assignment=assignment, review_on=form.cleaned_data["review_on"], by=request.user
            )
        except TeamError as exc:
            form.add_error("review_on", str(exc))
        else:
            messages.success(
                request,
                f"Reviewed: {assignment.membership.user.display_name} carries on as "
                f"{assignment.role.name}.",
            )
            return redirect("teams:role_detail", pk=team.pk, role_pk=assignment.role_id)
    for error in form.errors.get("review_on", []):
        messages.error(request, error)
    return redirect("teams:role_detail", pk=team.pk, role_pk=assignment.role_id)


@login_required
def member_detail(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """A member's page within the team: the roles they hold and have held, their actions."""
    team = get_team_for(request.user, pk)
    membership = get_in_team(Membership.objects.select_related("user"), team, membership_pk)
    held, before = selectors.member_terms(membership=membership)
    return render(
        request,
        "teams/roles/member_detail.html",
        {
            "team": team,
            "membership": membership,
            "held": held,
            "before": before,
            "actions": member_open_actions(user=membership.user, team=team, whole_team=False),
        },
    )
