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
from ..models import SurveyInvitation
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


# Like Django's password reset: the emailed link's first request puts its token in the
# session and redirects to an address without it, so the token is not left in the browser's
# history, in the Referer of any link followed, or in the logs of every later request.
SURVEY_SESSION_KEY = "recruitment_survey_token"


def _session_token(request: HttpRequest) -> str:
    return request.session.get(SURVEY_SESSION_KEY, "")


@never_cache
def survey_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: checked, kept in the session, then out of the address bar."""
    try:
        invitation = survey_invitation_for_token(token)
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    request.session[SURVEY_SESSION_KEY] = token
    if request.method == "POST":  # a form from before the link was traded for the session
        return _survey_page(request, invitation)
    return redirect("recruitment:survey_answer")


@never_cache
def survey_answer(request: HttpRequest) -> HttpResponse:
    try:
        invitation = survey_invitation_for_token(_session_token(request))
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    return _survey_page(request, invitation)


def _survey_page(request: HttpRequest, invitation: SurveyInvitation) -> HttpResponse:
    touch_points = list(invitation.candidate.round.touch_points.all())
    draft = survey_draft(invitation)
    if request.method == "POST":
        form = SurveyForm(request.POST, touch_points=touch_points)
        if form.is_valid():
            try:
                if request.POST.get("action") == "save":
                    survey_save_draft(invitation=invitation, answers=form.answers())
                    messages.success(request, "Saved — use the same link to come back.")
                    return redirect("recruitment:survey_answer")
                survey_submit(invitation=invitation, answers=form.answers())
            except SurveyLinkError as exc:
                return _link_problem(request, exc)
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                # The token stays in the session: a second tab sending again is told kindly
                # that the answers arrived, not that the survey cannot be found.
                return redirect("recruitment:survey_thanks")
    else:
        form = SurveyForm(touch_points=touch_points, draft=draft)
    return render(
        request,
        "recruitment/survey/answer.html",
        {
            "form": form,
            "round": invitation.candidate.round,
            "resumed": bool(draft) and request.method == "GET",
            "min_responses": settings.SURVEY_MIN_RESPONSES,
        },
        status=400 if form.errors else 200,
    )


def survey_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/survey/thanks.html")


@never_cache
def survey_unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = survey_invitation_for_token(token)
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    request.session[SURVEY_SESSION_KEY] = token
    if request.method == "POST":
        return _unsubscribe_page(request, invitation)
    return redirect("recruitment:survey_unsubscribe_confirm")


@never_cache
def survey_unsubscribe_confirm(request: HttpRequest) -> HttpResponse:
    try:
        invitation = survey_invitation_for_token(_session_token(request))
    except SurveyLinkError as exc:
        return _link_problem(request, exc)
    return _unsubscribe_page(request, invitation)


def _unsubscribe_page(request: HttpRequest, invitation: SurveyInvitation) -> HttpResponse:
    if request.method == "POST":
        try:
            survey_unsubscribe(invitation=invitation)
        except SurveyLinkError as exc:
            return _link_problem(request, exc)
        return redirect("recruitment:survey_unsubscribed")
    return render(
        request, "recruitment/survey/unsubscribe.html", {"round": invitation.candidate.round}
    )


def survey_unsubscribed(request: HttpRequest) -> HttpResponse:
    return render(request, "recruitment/survey/unsubscribed.html")


urlpatterns = [
    # The fixed pages come first: a token never looks like these words.
    path("survey/thank-you/", survey_thanks, name="survey_thanks"),
    path("survey/unsubscribed/", survey_unsubscribed, name="survey_unsubscribed"),
    path("survey/answer/", survey_answer, name="survey_answer"),
    path("survey/unsubscribe/", survey_unsubscribe_confirm, name="survey_unsubscribe_confirm"),
    path("survey/<str:token>/", survey_link, name="survey"),
    path("survey/<str:token>/unsubscribe/", survey_unsubscribe_link, name="survey_unsubscribe"),
]
