"""Pages for the person supported, and for family they chose: their own record, in plain
words, made for a phone. They can add their view to a review and suggest changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from teams.models import Person

from .. import charts
from ..forms import OwnViewForm, SuggestionForm
from ..models import Outcome, PersonAccess, Review, Suggestion
from ..permissions import get_own_person_for, people_linked_to
from ..selectors import records
from ..selectors.goals import get_outcome
from ..services import OutcomesError
from ..services import goals as goal_services
from ..services import records as record_services


def _record_for(request: HttpRequest, pk: int) -> tuple[Person, PersonAccess]:
    return get_own_person_for(request.user, pk)


def _context(person: Person, access: PersonAccess, **extra) -> dict:
    """Pages speak to the person ("your") or to family about them ("Peggy's")."""
    return {"person": person, "access": access, "is_self": access.is_self, **extra}


@login_required
@never_cache
def own_home(request: HttpRequest) -> HttpResponse:
    people = list(people_linked_to(request.user).order_by("name"))
    if len(people) == 1:
        return redirect("outcomes:own_person", people[0].pk)
    return render(request, "outcomes/own/choose.html", {"people": people})


@login_required
@never_cache
def own_person(request: HttpRequest, pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "outcomes/own/person.html",
        _context(
            person,
            access,
            days=records.coming_this_week(person=person, today=today),
            **records.own_record(person=person, today=today),
        ),
    )


@login_required
@never_cache
def own_profile(request: HttpRequest, pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    if request.method == "POST":
        # Only the person says their profile is right; family suggest changes instead.
        if not access.is_self:
            raise PermissionDenied("Only the person can agree their profile.")
        number = request.POST.get("version", "")
        try:
            if not (number.isascii() and number.isdigit() and len(number) < 10):
                raise OutcomesError("The profile has changed since you opened it: read it again.")
            record_services.profile_agree(person=person, number=int(number))
        except OutcomesError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Thank you. The team can see you agree with it.")
        return redirect("outcomes:own_profile", pk)
    return render(
        request,
        "outcomes/own/profile.html",
        _context(
            person,
            access,
            profile=records.current_profile(records.profile_of(person)),
            team=records.team_member_profiles(person=person),
        ),
    )


@login_required
@never_cache
def own_outcome(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    outcome = get_outcome(person, outcome_pk)
    if outcome is None:
        raise Http404("No such outcome")
    return render(
        request,
        "outcomes/own/outcome.html",
        _context(
            person,
            access,
            outcome=outcome,
            reviews=list(outcome.reviews.all()),
            chart=charts.outcome_chart(
                outcome,
                theirs_label="Your rating" if access.is_self else f"{person.known_as}’s rating",
                words_only=True,
            ),
        ),
    )


@login_required
@never_cache
def own_view(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    review = (
        Review.objects.filter(outcome__person=person, pk=review_pk)
        .select_related("outcome__scale")
        .prefetch_related("outcome__scale__levels")
        .first()
    )
    if review is None:
        raise Http404("No such review")
    outcome = review.outcome
    initial = {"level": review.person_level, "words": review.person_words}
    form = OwnViewForm(
        request.POST or None, outcome=outcome, family=not access.is_self, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        if not access.is_self:
            rated_by = Review.RatedBy.FAMILY
        elif form.cleaned_data.get("helped"):
            rated_by = Review.RatedBy.WITH_HELP
        else:
            rated_by = Review.RatedBy.PERSON
        try:
            goal_services.review_add_person_view(
                review=review,
                by=request.user,
                level=form.cleaned_data["level"],
                rated_by=rated_by,
                words=form.cleaned_data["words"],
            )
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you. Your view is saved and the team will see it.")
            return redirect("outcomes:own_outcome", pk, outcome.pk)
    return render(
        request,
        "outcomes/own/view_form.html",
        _context(person, access, review=review, outcome=outcome, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def own_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    outcomes = person.outcomes.filter(status=Outcome.Status.ACTIVE).order_by("-created_on")
    initial = {}
    asked = request.GET.get("outcome", "")
    if asked.isascii() and asked.isdigit():
        initial = {"about": Suggestion.About.OUTCOME, "outcome": int(asked)}
    elif request.GET.get("about") in Suggestion.About.values:
        initial = {"about": request.GET["about"]}
    form = SuggestionForm(
        request.POST or None,
        outcomes=outcomes,
        initial=initial,
        family_of="" if access.is_self else person.known_as,
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.suggestion_make(person=person, by=request.user, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "Thank you. The team will talk it through with you and answer here."
            )
            return redirect("outcomes:own_person", pk)
    return render(
        request,
        "outcomes/own/suggest.html",
        _context(person, access, form=form),
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def own_record_log(request: HttpRequest, pk: int) -> HttpResponse:
    person, access = _record_for(request, pk)
    page = Paginator(records.access_log(person=person), 50).get_page(request.GET.get("page"))
    return render(request, "outcomes/own/record_log.html", _context(person, access, page=page))


urlpatterns = [
    path("my/", own_home, name="own_home"),
    path("my/<int:pk>/", own_person, name="own_person"),
    path("my/<int:pk>/profile/", own_profile, name="own_profile"),
    path("my/<int:pk>/outcomes/<int:outcome_pk>/", own_outcome, name="own_outcome"),
    path("my/<int:pk>/reviews/<int:review_pk>/your-view/", own_view, name="own_view"),
    path("my/<int:pk>/suggest/", own_suggest, name="own_suggest"),
    path("my/<int:pk>/who-has-looked/", own_record_log, name="own_record_log"),
]
