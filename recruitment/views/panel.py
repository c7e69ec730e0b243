"""The assessment panel's pages: the candidates to score, and a scoring sheet for each.

Staff on the panel sign in; people without an account use the personal link we emailed them.
Both reach the same pages, built here from the panel member's seat.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.cache import never_cache

from ..forms.panel import ScoreSheetForm
from ..models import PanelMember
from ..permissions import candidate_access, panel_member_for_token, panel_seat_for
from ..selectors import assessment
from ..services import RecruitmentError
from ..services.assessment import sheet_save

ScoreUrl = Callable[[int], str]


def _candidate_list(
    request: HttpRequest, seat: PanelMember, score_url: ScoreUrl, *, by_link: bool = False
) -> HttpResponse:
    candidates = assessment.panel_candidate_list(seat=seat)
    value_count = seat.round.values.count()
    for candidate in candidates:
        candidate.score_url = score_url(candidate.pk)
    return render(
        request,
        "recruitment/panel/candidate_list.html",
        {
            "seat": seat,
            "round": seat.round,
            "candidates": candidates,
            "value_count": value_count,
            "by_link": by_link,
        },
    )


def _score(
    request: HttpRequest,
    seat: PanelMember,
    candidate_pk: int,
    *,
    list_url: str,
    score_url: ScoreUrl,
) -> HttpResponse:
    # Only the seat counts here, not whether the user also runs the round: the panel's pages
    # show the candidates in front of the panel and nobody else.
    candidate = candidate_access(candidate_pk, seat=seat).candidate
    sheet = assessment.scoring_sheet(seat=seat, candidate=candidate)
    context = {"seat": seat, "round": seat.round, "candidate": candidate, "list_url": list_url}
    if sheet.submitted_at:
        # Final: the page now shows the panel's comparison instead of the form.
        status, error = 200, None
        if request.method == "POST":
            status, error = 400, "You have submitted your scores for this candidate already."
        context.update(
            {
                "sheet": sheet,
                "error": error,
                "comparison": assessment.candidate_comparison(candidate=candidate, seat=seat),
            }
        )
        return render(request, "recruitment/panel/comparison.html", context, status=status)
    form = ScoreSheetForm(request.POST or None, values=sheet.values, scores=sheet.scores)
    if request.method == "POST" and form.is_valid():
        try:
            sheet_save(
                candidate=candidate,
                panel_member=seat,
                scores=form.scores(),
                submit=form.submitting,
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            if form.submitting:
                messages.success(request, "Your scores are submitted. Here is the whole panel.")
            else:
                messages.success(
                    request, "Your scores are saved. Only you can see them until you submit."
                )
            return redirect(score_url(candidate.pk))
    context.update({"form": form, "values": sheet.values})
    return render(
        request,
        "recruitment/panel/score.html",
        context,
        status=400 if form.errors else 200,
    )


# --- Signed in ------------------------------------------------------------------------------


def _seat_for_user(request: HttpRequest, pk: int) -> PanelMember:
    seat = panel_seat_for(request.user, pk)
    if seat is None:
        raise Http404("You are not on this round's panel")
    return seat


def _signed_in_urls(pk: int) -> tuple[str, ScoreUrl]:
    return (
        reverse("recruitment:panel", args=[pk]),
        lambda candidate_pk: reverse("recruitment:panel_score", args=[pk, candidate_pk]),
    )


@login_required
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    seat = _seat_for_user(request, pk)
    return _candidate_list(request, seat, _signed_in_urls(pk)[1])


@login_required
def panel_score(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    seat = _seat_for_user(request, pk)
    list_url, score_url = _signed_in_urls(pk)
    return _score(request, seat, candidate_pk, list_url=list_url, score_url=score_url)


# --- With the emailed link ------------------------------------------------------------------
# Like the survey's: the link's first request keeps its token in the session and redirects to
# an address without it, so the token is not left in history, Referer headers or access logs.

PANEL_SESSION_KEY = "recruitment_panel_token"


def _seat_for_token(request: HttpRequest, token: str) -> PanelMember | HttpResponse:
    try:
        return panel_member_for_token(token)
    except RecruitmentError as exc:
        return render(
            request, "recruitment/panel/link_invalid.html", {"message": str(exc)}, status=404
        )


def _link_urls() -> tuple[str, ScoreUrl]:
    return (
        reverse("recruitment:panel_link"),
        lambda candidate_pk: reverse("recruitment:panel_link_score", args=[candidate_pk]),
    )


def _trade_token(request: HttpRequest, token: str, then: str) -> HttpResponse:
    seat = _seat_for_token(request, token)
    if isinstance(seat, HttpResponse):
        return seat
    request.session[PANEL_SESSION_KEY] = token
    return redirect(then)


@never_cache
def panel_token(request: HttpRequest, token: str) -> HttpResponse:
    return _trade_token(request, token, _link_urls()[0])


@never_cache
def panel_token_score(request: HttpRequest, token: str, candidate_pk: int) -> HttpResponse:
    if request.method == "POST":  # a form from before the link was traded for the session
        seat = _seat_for_token(request, token)
        if isinstance(seat, HttpResponse):
            return seat
        request.session[PANEL_SESSION_KEY] = token
        list_url, score_url = _link_urls()
        return _score(request, seat, candidate_pk, list_url=list_url, score_url=score_url)
    return _trade_token(request, token, _link_urls()[1](candidate_pk))


@never_cache
def panel_link(request: HttpRequest) -> HttpResponse:
    seat = _seat_for_token(request, request.session.get(PANEL_SESSION_KEY, ""))
    if isinstance(seat, HttpResponse):
        return seat
    return _candidate_list(request, seat, _link_urls()[1], by_link=True)


@never_cache
def panel_link_score(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    seat = _seat_for_token(request, request.session.get(PANEL_SESSION_KEY, ""))
    if isinstance(seat, HttpResponse):
        return seat
    list_url, score_url = _link_urls()
    return _score(request, seat, candidate_pk, list_url=list_url, score_url=score_url)


urlpatterns = [
    path("rounds/<int:pk>/panel/", panel, name="panel"),
    path("rounds/<int:pk>/panel/score/<int:candidate_pk>/", panel_score, name="panel_score"),
    # The fixed addresses come first: a token never looks like these words.
    path("panel/scores/", panel_link, name="panel_link"),
    path("panel/scores/<int:candidate_pk>/", panel_link_score, name="panel_link_score"),
    path("panel/<str:token>/", panel_token, name="panel_token"),
    path(
        "panel/<str:token>/score/<int:candidate_pk>/",
        panel_token_score,
        name="panel_token_score",
    ),
]
