"""My week, recording visits, swaps, and the team's grid with the visits and shifts on it."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from wellbeing.accounts.models import User

from ...numbers import whole_number
from ...permissions import get_person_for, get_team_for
from .. import selectors, services, swaps
from ..forms import (
    OfferForm,
    ReasonForm,
    RecordForm,
    ShiftForm,
    VisitForm,
    WorkerForm,
    week_from,
)
from ..models import Offer, Shift, Visit
from ..permissions import can_plan, get_for
from ..services import RotaConflict, RotaError
from . import back, members_of, refused, rota_page, week_url

# --- My week ---------------------------------------------------------------------------------


@rota_page
def my_week(request: HttpRequest) -> HttpResponse:
    monday = week_from(request)
    context = selectors.my_week(user=request.user, monday=monday)
    context["previous"] = monday - timedelta(days=7)
    context["next"] = monday + timedelta(days=7)
    context["this_week"] = monday == selectors.week_start_of_today()
    return render(request, "teams/rota/my_week.html", context)


@rota_page
@require_POST
def visit_record(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(request.user, Visit.objects.select_related("person"), pk)
    form = RecordForm(request.POST, visit=visit)
    if not form.is_valid():
        return render(
            request, "teams/rota/visit_record.html", {"visit": visit, "form": form}, status=400
        )
    data = form.cleaned_data
    try:
        services.visit_record(
            visit=visit,
            by=request.user,
            done=data["outcome"] == "done",
            actual_start=data.get("start"),
            actual_end=data.get("end"),
            reason=data.get("reason", ""),
        )
    except RotaError as exc:
        form.add_error(None, str(exc))
        return render(
            request, "teams/rota/visit_record.html", {"visit": visit, "form": form}, status=400
        )
    done = data["outcome"] == "done"
    messages.success(
        request,
        f"Visit to {visit.person.known_as} recorded as {'done' if done else 'missed'}.",
    )
    return back(request, reverse("teams:rota:my_week"))


@rota_page
@require_POST
def offer_create(request: HttpRequest) -> HttpResponse:
    visit_id, shift_id = request.POST.get("visit", ""), request.POST.get("shift", "")
    visit_id, shift_id = whole_number(visit_id), whole_number(shift_id)
    visit = shift = None
    if visit_id is not None:
        visit = get_for(request.user, Visit.objects.select_related("team", "person"), visit_id)
        team = visit.team
    elif shift_id is not None:
        shift = get_for(request.user, Shift.objects.select_related("team"), shift_id)
        team = shift.team
    else:
        messages.error(request, "Choose a visit or shift to offer.")
        return back(request, reverse("teams:rota:my_week"))
    form = OfferForm(request.POST, colleagues=members_of(team).exclude(pk=request.user.pk))
    if not form.is_valid():
        messages.error(request, "Choose a colleague from the list, or anyone in the team.")
        return back(request, reverse("teams:rota:my_week"))
    try:
        offer = swaps.offer_make(
            by=request.user,
            visit=visit,
            shift=shift,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except RotaError as exc:
        refused(request, exc)
    else:
        who = offer.offered_to.display_name if offer.offered_to else "the team"
        messages.success(request, f"Offered to {who}. It stays yours until someone takes it.")
    return back(request, reverse("teams:rota:my_week"))


def _offer_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    offer = get_for(request.user, Offer.objects.all(), pk)
    try:
        action(offer=offer, by=request.user)
    except RotaConflict as exc:
        refused(request, exc)
        return back(request, reverse("teams:rota:my_week"))
    except RotaError as exc:
        refused(request, exc)
    else:
        messages.success(request, done)
    return back(request, reverse("teams:rota:my_week"))


@rota_page
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, swaps.offer_accept, "It is yours now. You both get an email.")


@rota_page
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, swaps.offer_withdraw, "Offer withdrawn: it stays yours.")


@rota_page
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _offer_action(request, pk, swaps.offer_decline, "Declined. They have been told.")


# --- the team's grid and planning ------------------------------------------------------------


@rota_page
def team_rota(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    monday = week_from(request)
    context = selectors.team_week(team=team, monday=monday)
    context.update(
        previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
        can_plan=can_plan(request.user, team),
    )
    return render(request, "teams/rota/team_rota.html", context)


@rota_page
@require_POST
def week_publish(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    monday = week_from(request)
    try:
        services.week_publish(team=team, monday=monday, by=request.user)
    except RotaError as exc:
        refused(request, exc)
    else:
        messages.success(request, "Published. Each member has been sent their week.")
    return redirect(week_url("teams:rota:team", monday, team_pk=team.pk))


@rota_page
def visit_new(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    form = VisitForm(request.POST or None, team=team, initial=_initial_day(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_create(
                team=team,
                person=data["person"],
                start=data["start"],
                end=data["end"],
                care=data["care"],
                workers_needed=data["workers_needed"],
                skills=data["skills"],
                by=request.user,
            )
        except RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Visit added. Now choose who goes.")
            return redirect("teams:rota:visit", pk=visit.pk)
    return render(
        request,
        "teams/rota/visit_form.html",
        {"form": form, "team": team},
        status=400 if form.errors else 200,
    )


def _initial_day(request: HttpRequest) -> dict:
    """A form opened from a day of the grid starts on that day (anything unreadable: no day)."""
    raw = request.GET.get("day", "")
    try:
        return {"day": date.fromisoformat(raw)} if raw else {}
    except ValueError:
        return {}


@rota_page
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(
        request.user, Visit.objects.select_related("person", "team").prefetch_related("skills"), pk
    )
    context = selectors.visit_detail(visit=visit, user=request.user)
    context["assign_form"] = WorkerForm(
        members=members_of(visit.team).exclude(visit_assignments__visit=visit)
    )
    return render(request, "teams/rota/visit_detail.html", context)


@rota_page
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(
        request.user, Visit.objects.select_related("person", "team").prefetch_related("skills"), pk
    )
    local_start = timezone.localtime(visit.start)
    initial = {
        "person": visit.person,
        "day": local_start.date(),
        "starts": local_start.time(),
        "ends": timezone.localtime(visit.end).time(),
        "care": visit.care,
        "workers_needed": visit.workers_needed,
        "skills": list(visit.skills.all()),
    }
    form = VisitForm(
        request.POST or None, team=visit.team, initial=initial, published=visit.is_published
    )
    form.fields["person"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_update(
                visit=visit,
                by=request.user,
                reason=data.get("reason", ""),
                start=data["start"],
                end=data["end"],
                care=data["care"],
                workers_needed=data["workers_needed"],
                skills=data["skills"],
            )
        except RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Visit changed.")
            return redirect("teams:rota:visit", pk=visit.pk)
    return render(
        request,
        "teams/rota/visit_form.html",
        {"form": form, "team": visit.team, "visit": visit},
        status=400 if form.errors else 200,
    )


@rota_page
@require_POST
def visit_assign(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(request.user, Visit.objects.select_related("team", "person"), pk)
    form = WorkerForm(request.POST, members=members_of(visit.team))
    if form.is_valid():
        try:
            services.visit_assign(visit=visit, worker=form.cleaned_data["worker"], by=request.user)
        except RotaError as exc:
            refused(request, exc)
        else:
            messages.success(request, f"{form.cleaned_data['worker'].display_name} is on it.")
    else:
        messages.error(request, "Choose a worker from the list.")
    return back(request, reverse("teams:rota:visit", kwargs={"pk": visit.pk}))


@rota_page
@require_POST
def visit_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(request.user, Visit.objects.select_related("team", "person"), pk)
    form = WorkerForm(request.POST, members=User.objects.filter(visit_assignments__visit=visit))
    if form.is_valid():
        try:
            services.visit_unassign(
                visit=visit,
                worker=form.cleaned_data["worker"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except RotaError as exc:
            refused(request, exc)
        else:
            messages.success(request, f"{form.cleaned_data['worker'].display_name} is off it.")
    else:
        messages.error(request, "That worker is not on this visit.")
    return redirect("teams:rota:visit", pk=visit.pk)


@rota_page
@require_POST
def visit_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_for(request.user, Visit.objects.select_related("team", "person"), pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the visit is cancelled: people are told.")
        return redirect("teams:rota:visit", pk=visit.pk)
    try:
        services.visit_cancel(visit=visit, by=request.user, reason=form.cleaned_data["reason"])
    except RotaError as exc:
        refused(request, exc)
    else:
        messages.success(request, "Visit cancelled.")
    return redirect("teams:rota:visit", pk=visit.pk)


@rota_page
def shift_new(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    form = ShiftForm(request.POST or None, members=members_of(team), initial=_initial_day(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.shift_create(
                team=team,
                worker=data["worker"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                note=data["note"],
                by=request.user,
            )
        except RotaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Shift added.")
            return redirect(
                week_url(
                    "teams:rota:team",
                    selectors.week_start_of(shift.start),
                    team_pk=team.pk,
                )
            )
    return render(
        request,
        "teams/rota/shift_form.html",
        {"form": form, "team": team},
        status=400 if form.errors else 200,
    )


@rota_page
@require_POST
def shift_delete(request: HttpRequest, pk: int) -> HttpResponse:
    shift = get_for(request.user, Shift.objects.select_related("team", "worker"), pk)
    monday = selectors.week_start_of(shift.start)
    try:
        services.shift_delete(shift=shift, by=request.user, reason=request.POST.get("reason", ""))
    except RotaError as exc:
        refused(request, exc)
    else:
        messages.success(request, "Shift removed.")
    return redirect(week_url("teams:rota:team", monday, team_pk=shift.team_id))


@rota_page
def person_week_page(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = get_person_for(request.user, person_pk)
    monday = week_from(request)
    return render(
        request,
        "teams/rota/person_week.html",
        {
            "person": person,
            "monday": monday,
            "days": selectors.by_day(selectors.person_week(person=person, week_start=monday)),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "area": selectors.person_area(person),
            "today": timezone.localdate(),
        },
    )


@rota_page
def team_swaps_page(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    return render(
        request,
        "teams/rota/swaps.html",
        {"team": team, "offers": selectors.team_swaps(team=team)},
    )
