"""Planning pages: regular visits and generating from them, suggestions, skills and settings."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...numbers import whole_number
from ...permissions import get_team_for
from .. import services
from ..forms import PatternForm, PeriodForm, SettingsForm, SkillsForm, week_from
from ..models import RotaSettings, Skill, SuggestedAssignment, Suggestion, VisitPattern
from ..permissions import can_plan, coordinator_ids, get_for
from ..services import RotaError
from . import members_of, refused, rota_page, week_url


@rota_page
def patterns(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    form = PatternForm(
        request.POST or None, team=team, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pattern_create(
                person=data["person"],
                weekdays="".join(data["weekdays"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                care=data["care"],
                workers_needed=data["workers_needed"],
                skills=data["skills"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                by=request.user,
            )
        except RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Regular visit added. Generate its visits below.")
            return redirect("teams:rota:patterns", team_pk=team.pk)
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    return render(
        request,
        "teams/rota/patterns.html",
        {
            "team": team,
            "form": form,
            "patterns": VisitPattern.objects.filter(team=team)
            .select_related("person")
            .prefetch_related("skills")
            .order_by("person__name", "starts_at"),
            "generate_form": PeriodForm(
                initial={
                    "first_day": monday + timedelta(days=7),
                    "last_day": monday + timedelta(days=13),
                }
            ),
            "can_plan": can_plan(request.user, team),
        },
        status=400 if form.errors else 200,
    )


@rota_page
def pattern_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pattern = get_for(request.user, VisitPattern.objects.select_related("team", "person"), pk)
    initial = {
        "person": pattern.person,
        "weekdays": list(pattern.weekdays),
        "starts_at": pattern.starts_at,
        "ends_at": pattern.ends_at,
        "care": pattern.care,
        "workers_needed": pattern.workers_needed,
        "skills": list(pattern.skills.all()),
        "valid_from": pattern.valid_from,
        "valid_until": pattern.valid_until,
    }
    form = PatternForm(request.POST or None, team=pattern.team, initial=initial)
    form.fields["person"].disabled = True
    form.fields["valid_from"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pattern_update(
                pattern=pattern,
                by=request.user,
                weekdays="".join(data["weekdays"]),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                care=data["care"],
                workers_needed=data["workers_needed"],
                skills=data["skills"],
                valid_until=data["valid_until"],
            )
        except RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Changed. Visits from now on follow it; past ones stay.")
            return redirect("teams:rota:patterns", team_pk=pattern.team_id)
    return render(
        request,
        "teams/rota/pattern_form.html",
        {"form": form, "pattern": pattern, "team": pattern.team},
        status=400 if form.errors else 200,
    )


@rota_page
@require_POST
def generate(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    form = PeriodForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("teams:rota:patterns", team_pk=team.pk)
    try:
        created = services.visits_generate(
            team=team,
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            by=request.user,
        )
    except RotaError as exc:
        refused(request, exc)
        return redirect("teams:rota:patterns", team_pk=team.pk)
    messages.success(request, f"{len(created)} visit{'s' if len(created) != 1 else ''} made.")
    monday = form.cleaned_data["first_day"]
    return redirect(
        week_url("teams:rota:team", monday - timedelta(days=monday.weekday()), team_pk=team.pk)
    )


@rota_page
@require_POST
def suggest(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    monday = week_from(request)
    try:
        suggestion = services.suggestion_create(team=team, monday=monday, by=request.user)
    except RotaError as exc:
        refused(request, exc)
        return redirect(week_url("teams:rota:team", monday, team_pk=team.pk))
    return redirect("teams:rota:suggestion", pk=suggestion.pk)


@rota_page
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_for(request.user, Suggestion.objects.select_related("team"), pk)
    if request.method == "POST":
        choice = request.POST.get("decision", "")
        if choice == "all":
            accept = list(suggestion.proposals.values_list("pk", flat=True))
        elif choice == "some":
            accept = [
                n for n in map(whole_number, request.POST.getlist("proposal")) if n is not None
            ]
        else:
            accept = []
        try:
            taken, refused_count = services.suggestion_decide(
                suggestion=suggestion, accept_ids=accept, by=request.user
            )
        except RotaError as exc:
            refused(request, exc)
        else:
            note = f"{taken} taken into the rota."
            if refused_count:
                note += f" {refused_count} no longer fitted; see why below."
            messages.success(request, note)
        return redirect("teams:rota:suggestion", pk=suggestion.pk)
    proposals = list(
        SuggestedAssignment.objects.filter(suggestion=suggestion)
        .select_related("visit__person", "worker")
        .order_by("visit__start", "pk")
    )
    return render(
        request,
        "teams/rota/suggestion.html",
        {
            "suggestion": suggestion,
            "team": suggestion.team,
            "proposals": proposals,
            "summary": suggestion.summary,
            "can_plan": can_plan(request.user, suggestion.team),
        },
    )


@rota_page
def skills(request: HttpRequest, team_pk: int) -> HttpResponse:
    """The team's skills (who holds which) and its rota settings, on one page."""
    team = get_team_for(request.user, team_pk)
    settings_row, _ = RotaSettings.objects.get_or_create(team=team)
    members = members_of(team)
    memberships = list(
        team.memberships.filter(user__in=members)
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user__display_name")
    )
    all_skills = list(Skill.objects.order_by("name"))
    settings_form = SettingsForm(
        members=members,
        initial={
            "travel_speed_kmh": settings_row.travel_speed_kmh,
            "coordinators": list(coordinator_ids(team)),
        },
    )
    if request.method == "POST":
        try:
            _save_skills(request, team, memberships, all_skills)
        except RotaError as exc:
            refused(request, exc)
        else:
            return redirect("teams:rota:skills", team_pk=team.pk)
    return render(
        request,
        "teams/rota/skills.html",
        {
            "team": team,
            "memberships": [(m, {skill.pk for skill in m.skills.all()}) for m in memberships],
            "skills": all_skills,
            "settings_form": settings_form,
            "skill_form": SkillsForm(),
            "can_plan": can_plan(request.user, team),
        },
    )


def _save_skills(request, team, memberships, all_skills) -> None:
    action = request.POST.get("action")
    if action == "settings":
        form = SettingsForm(request.POST, members=members_of(team))
        if not form.is_valid():
            raise RotaError(" ".join(e for errors in form.errors.values() for e in errors))
        services.rota_settings_update(
            team=team,
            by=request.user,
            travel_speed_kmh=form.cleaned_data["travel_speed_kmh"],
            coordinators=form.cleaned_data["coordinators"],
        )
        messages.success(request, "Rota settings saved.")
    elif action == "add_skill":
        form = SkillsForm(request.POST)
        if form.is_valid() and form.cleaned_data["name"]:
            skill = services.skill_add(team=team, name=form.cleaned_data["name"], by=request.user)
            messages.success(request, f"{skill.name} added.")
        else:
            raise RotaError("Give the skill a name of up to 60 characters.")
    else:
        # Everything is read before anything is saved, and saved together: a bad value for
        # one member leaves every member's skills as they were.
        known = {skill.pk for skill in all_skills}
        choices = []
        for membership in memberships:
            chosen = set()
            for value in request.POST.getlist(f"skills_{membership.pk}"):
                skill_id = whole_number(value)
                if skill_id not in known:
                    raise RotaError("Choose skills from the list.")
                chosen.add(skill_id)
            choices.append((membership, [skill for skill in all_skills if skill.pk in chosen]))
        with transaction.atomic():
            for membership, skills in choices:
                services.skills_set(membership=membership, skills=skills, by=request.user)
        messages.success(request, "Skills saved.")
