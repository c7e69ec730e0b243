"""People's time (time off, usual availability) and what the rota keeps about a person
(where they live, who they prefer)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ...models import Membership
from ...permissions import get_person_for, get_team_for
from .. import services
from ..forms import WEEKDAYS, AddressForm, AvailabilityForm, PreferenceForm, TimeOffForm
from ..models import PersonPreference, TimeOff
from ..permissions import can_plan, get_for
from ..services import RotaError
from . import members_of, refused, rota_page


@rota_page
def time_page(request: HttpRequest, team_pk: int) -> HttpResponse:
    """Time off for the whole team, and the signed-in member's own usual availability."""
    team = get_team_for(request.user, team_pk)
    members = members_of(team)
    planner = can_plan(request.user, team)
    membership = Membership.objects.current().filter(team=team, user=request.user).first()
    time_off_form = TimeOffForm(
        request.POST if request.POST.get("action") == "time_off" else None,
        members=members if planner else members.filter(pk=request.user.pk),
        initial={"worker": request.user.pk},
    )
    windows = (
        [(a.weekday, a.starts_at, a.ends_at) for a in membership.availability.all()]
        if membership
        else []
    )
    availability_form = AvailabilityForm(
        request.POST if request.POST.get("action") == "availability" else None, windows=windows
    )
    if request.method == "POST":
        saved = _save_time(request, team, membership, time_off_form, availability_form)
        if saved:
            return redirect("teams:rota:time", team_pk=team.pk)
    status = 400 if time_off_form.errors or availability_form.errors else 200
    return render(
        request,
        "teams/rota/time.html",
        {
            "team": team,
            "time_off": TimeOff.objects.filter(
                team=team, last_day__gte=timezone.localdate()
            ).select_related("worker"),
            "time_off_form": time_off_form,
            "availability_form": availability_form,
            "membership": membership,
            "can_plan": planner,
        },
        status=status,
    )


def _save_time(request, team, membership, time_off_form, availability_form) -> bool:
    action = request.POST.get("action")
    try:
        if action == "time_off" and time_off_form.is_valid():
            data = time_off_form.cleaned_data
            leave = services.time_off_add(
                team=team,
                worker=data["worker"],
                kind=data["kind"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                note=data["note"],
                by=request.user,
            )
            days = f"{leave.first_day:%a %-d %b}"
            if leave.last_day != leave.first_day:
                days += f" to {leave.last_day:%a %-d %b}"
            messages.success(
                request,
                f"Time off recorded for {leave.worker.display_name}, {days}. "
                "Their visits then are back with the team to cover.",
            )
            return True
        if action == "availability" and availability_form.is_valid():
            if membership is None:
                raise RotaError("Only members of the team keep availability here.")
            services.availability_set(
                membership=membership,
                windows=availability_form.cleaned_data["windows"],
                by=request.user,
            )
            messages.success(
                request, _availability_saved(availability_form.cleaned_data["windows"])
            )
            return True
    except RotaError as exc:
        refused(request, exc)
        return True
    return False


def _availability_saved(windows) -> str:
    if not windows:
        return "Your usual availability is saved: no set days, so the team may ask you any time."
    days = dict(WEEKDAYS)
    each = "; ".join(
        f"{days[str(weekday)]} {starts:%H:%M} to {ends:%H:%M}" for weekday, starts, ends in windows
    )
    return f"Your usual availability is saved: {each}."


@rota_page
@require_POST
def time_off_remove(request: HttpRequest, pk: int) -> HttpResponse:
    leave = get_for(request.user, TimeOff.objects.select_related("team"), pk)
    try:
        services.time_off_remove(leave=leave, by=request.user)
    except RotaError as exc:
        refused(request, exc)
    else:
        messages.success(request, "Time off removed.")
    return redirect("teams:rota:time", team_pk=leave.team_id)


@rota_page
def person_page(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Where a person lives and whom they prefer: what the rota needs to know about them."""
    person = get_person_for(request.user, person_pk)
    members = members_of(person.team)
    planner = can_plan(request.user, person.team)
    action = request.POST.get("action")
    address_form = AddressForm(
        request.POST if action == "address" else None, instance=person, prefix="address"
    )
    preference_form = PreferenceForm(
        request.POST if action == "preference" else None, members=members
    )
    if request.method == "POST":
        if action == "address" and address_form.is_valid():
            data = address_form.cleaned_data
            services.person_set_home(
                person=person,
                by=request.user,
                address=data["address"],
                postcode=data["postcode"],
                latitude=data["latitude"],
                longitude=data["longitude"],
            )
            messages.success(request, "Address saved.")
            return redirect("teams:rota:person", person_pk=person.pk)
        if action == "preference" and preference_form.is_valid():
            data = preference_form.cleaned_data
            try:
                services.preference_set(
                    person=person,
                    worker=data["worker"],
                    kind=data["kind"] or None,
                    note=data["note"],
                    by=request.user,
                )
            except RotaError as exc:
                refused(request, exc)
            else:
                messages.success(request, "Preference saved.")
            return redirect("teams:rota:person", person_pk=person.pk)
    return render(
        request,
        "teams/rota/person.html",
        {
            "person": person,
            "team": person.team,
            "preferences": PersonPreference.objects.filter(person=person)
            .select_related("worker")
            .order_by("kind", "worker__display_name"),
            "address_form": address_form,
            "preference_form": preference_form,
            "can_plan": planner,
        },
        status=400 if address_form.errors or preference_form.errors else 200,
    )
