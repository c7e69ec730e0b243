"""The public's pages: open rounds and the application form. No account needed."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

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
    questions = list(round_.questions.all())
    form = ApplicationForm(request.POST or None, questions=questions, privacy_anchor=PRIVACY_ANCHOR)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
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
        },
        status=400 if form.errors else 200,
    )


def applied(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = _round_or_404(slug)
    return render(request, "recruitment/public/applied.html", {"round": round_})


urlpatterns = [
    path("", open_rounds, name="open_rounds"),
    path("apply/<slug:slug>/", apply, name="apply"),
    path("apply/<slug:slug>/thank-you/", applied, name="applied"),
]
