"""Privacy pages for admins: who read a record, everything held about a person, erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache

from teams.models import Person

from ..forms import EraseForm
from ..permissions import can_read_access_log, get_person_for_staff
from ..selectors.privacy import person_export
from ..selectors.records import access_log
from ..services import OutcomesError
from ..services.privacy import person_erase, record_read


def _admin_person(request: HttpRequest, pk: int) -> Person:
    person = get_person_for_staff(request.user, pk)
    if not can_read_access_log(request.user):
        raise PermissionDenied("Only an organisation admin can do this.")
    return person


@login_required
@never_cache
def record_log(request: HttpRequest, pk: int) -> HttpResponse:
    person = _admin_person(request, pk)
    page = Paginator(access_log(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "outcomes/staff/record_log.html", {"person": person, "page": page})


@login_required
@never_cache
def export_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = _admin_person(request, pk)
    record_read(people=[person], reader=request.user, what="Everything held (export)")
    return render(
        request,
        "outcomes/staff/export.html",
        {"person": person, "export": person_export(person=person)},
    )


@login_required
@never_cache
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    person = _admin_person(request, pk)
    record_read(people=[person], reader=request.user, what="Everything held (export as JSON)")
    response = HttpResponse(
        json.dumps(
            person_export(person=person), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
        ),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{person.pk}.json"'
    return response


@login_required
@never_cache
def erase(request: HttpRequest, pk: int) -> HttpResponse:
    person = _admin_person(request, pk)
    form = EraseForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(person=person, by=request.user)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "The record is erased. Only anonymous counts are kept for the team's figures.",
            )
            return redirect("outcomes:index")
    return render(
        request,
        "outcomes/staff/erase.html",
        {"person": person, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("outcomes/people/<int:pk>/record-log/", record_log, name="record_log"),
    path("outcomes/people/<int:pk>/export/", export_page, name="export"),
    path("outcomes/people/<int:pk>/export.json", export_json, name="export_json"),
    path("outcomes/people/<int:pk>/erase/", erase, name="erase"),
]
