"""The candidate's touch-point survey, reached only by the emailed single-use link.

Nobody signs in: the link's token is the candidate's only key. A link that cannot be used
(forged, already used, unsubscribed, expired) gets a page that says why, never an error.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.cache import never_cache

from ..errors import RecruitmentError, SurveyLinkError
from ..forms.survey import SurveyForm
from ..selectors.survey import survey_invitation_for_token
from ..services.survey import survey_draft, survey_save_draft, survey_submit, survey_unsubscribe

LINK_PROBLEM_HEADINGS = {
    "invalid": "We could not find this survey",
    "used": "You have already sent your answers",
    "unsubscribed": "This survey is closed",
    "expired": "This survey has closed",
}


def _link_problem(request: HttpRequest, error: SurveyLinkError) -> HttpResponse:
    # A forged link is "not found"; a real one that is spent is "gone" for good.
    return render(
        request,
        "recruitment/survey/link_problem.html",
        {
            "kind": error.kind,
            "heading": LINK_PROBLEM_HEADINGS.get(error.kind, "This survey link does not work"),
            "message": str(error),
            "valid_days": settings.SURVEY_LINK_VALID_DAYS,
        },
        status=404 if error.kind == "invalid" else 410,
    )


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = survey_invitation_for_token(token)
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    touch_points = list(invitation.candidate.round.touch_points.all())
    draft = survey_draft(invitation)
    if request.method == "POST":
        form = SurveyForm(request.POST, touch_points=touch_points)
        if form.is_valid():
            try:
                if request.POST.get("action") == "save":
                    survey_save_draft(invitation=invitation, answers=form.answers())
                    messages.success(request, "Saved — use the same link to come back.")
                    return redirect("recruitment:survey", token=token)
                survey_submit(invitation=invitation, answers=form.answers())
            except SurveyLinkError as exc:
                return _link_problem(request, exc)
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                return redirect("recruitment:survey_thanks")
    else:
        form = SurveyForm(touch_points=touch_points, draft=draft)
    return render(
        request,
        "recruitment/survey/answer.html",
        {
            "form": form,
            "round": invitation.candidate.round,
            "token": token,
            "resumed": bool(draft) and request.method == "GET",
            "min_responses": settings.SURVEY_MIN_RESPONSES,
        },
        status=400 if form.errors else 200,
    )


def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/survey/thanks.html")


@never_cache
def survey_unsubscribe_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = survey_invitation_for_token(token)
        if request.method == "POST":
            survey_unsubscribe(invitation=invitation)
            return redirect("recruitment:survey_unsubscribed")
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    return render(
        request,
        "recruitment/survey/unsubscribe.html",
        {"round": invitation.candidate.round, "token": token},
    )


def survey_unsubscribed(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/survey/unsubscribed.html")


urlpatterns = [
    # The fixed pages come first: a token never looks like these words.
    path("survey/thank-you/", survey_thanks, name="survey_thanks"),
    path("survey/unsubscribed/", survey_unsubscribed, name="survey_unsubscribed"),
    path("survey/<str:token>/", survey_answer, name="survey"),
    path("survey/<str:token>/unsubscribe/", survey_unsubscribe_confirm, name="survey_unsubscribe"),
]
