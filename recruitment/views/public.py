"""The public's pages: open rounds and the application form. No account needed."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from wellbeing.throttle import FormShown

from .. import abuse
from ..forms.public import ApplicationForm
from ..models import Round
from ..selectors import pipeline
from ..services import RecruitmentError
from ..services.applications import application_submit

PRIVACY_ANCHOR = "privacy-notice"


def open_rounds(request: HttpRequest) -> HttpResponse:
    return render(
        request, "recruitment/public/open_rounds.html", {"rounds": pipeline.open_round_list()}
    )


def _round_or_404(slug: str) -> Round:
    round_ = pipeline.application_round(slug=slug)
    if round_ is None:
        raise Http404("No such round")
    return round_


def _not_taking_applications(request: HttpRequest, round_: Round) -> HttpResponse:
    """Said kindly. 410 once the round has closed for good, 404 while it is yet to open."""
    today = timezone.localdate()
    not_yet = round_.status == Round.Status.OPEN and round_.opens_on > today
    return render(
        request,
        "recruitment/public/not_open.html",
        {"round": round_, "not_yet": not_yet, "rounds": pipeline.open_round_list()},
        status=404 if not_yet else 410,
    )


def apply(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _round_or_404(slug)
    if not round_.is_open_for_applications:
        return _not_taking_applications(request, round_)
    if request.method == "POST" and abuse.honeypot_filled(request):
        # A robot filled in the field people never see: it is thanked, and nothing is sent.
        return redirect("recruitment:applied", slug=round_.slug)
    questions = list(round_.questions.all())
    form = ApplicationForm(
        request.POST or None,
        questions=questions,
        roles=list(round_.roles.all()),
        privacy_anchor=PRIVACY_ANCHOR,
    )
    status = 200
    started = request.POST.get(abuse.STARTED_FIELD, "")
    shown = abuse.application_shown(started) if request.method == "POST" else None
    if shown == FormShown.STALE:
        started = abuse.application_shown_again()
    elif shown not in (FormShown.IN_TIME, FormShown.TOO_QUICK):
        # A first showing, or a stamp we did not sign: the form starts its time now.
        started = abuse.application_started()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if shown == FormShown.STALE:
            form.add_error(
                None,
                "This form was open for a long time, so we have not sent it yet. Your answers "
                "are still below: check them, then send your application again.",
            )
        elif shown != FormShown.IN_TIME:
            form.add_error(
                None,
                "That was sent quicker than anyone could read the form. Check your answers "
                "and send your application again.",
            )
        elif not abuse.application_allowed(
            request=request, email=data["email"], round_id=round_.pk
        ):
            form.add_error(
                None,
                "Too many applications have been sent from here or for this address in a short "
                "time. Please try again in an hour; what you typed is still below.",
            )
            status = 429
        else:
            try:
                application_submit(
                    round_=round_,
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    why=data["why"],
                    answers=form.answers(),
                    consent_contact=data["consent_contact"],
                    consent_privacy=data["consent_privacy"],
                    role=form.role(),
                )
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("recruitment:applied", slug=round_.slug)
    return render(
        request,
        "recruitment/public/apply.html",
        {
            "round": round_,
            "form": form,
            "privacy_anchor": PRIVACY_ANCHOR,
            "retention_months": settings.RECRUITMENT_RETENTION_MONTHS,
            "started": started,
            "started_field": abuse.STARTED_FIELD,
            "honeypot_field": abuse.HONEYPOT_FIELD,
        },
        status=status if status != 200 else (400 if form.errors else 200),
    )


def applied(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _round_or_404(slug)
    return render(request, "recruitment/public/applied.html", {"round": round_})


urlpatterns = [
    path("", open_rounds, name="open_rounds"),
    path("apply/<slug:slug>/", apply, name="apply"),
    path("apply/<slug:slug>/thank-you/", applied, name="applied"),
]
