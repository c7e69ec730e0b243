"""Pages for the team: a person's record, their outcomes and reviews, their profile, and who
may sign in to it. Every page that shows a person's record logs that it was read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from teams.models import Person

from .. import charts
from ..forms import (
    ConsentForm,
    InviteForm,
    KeyContactForm,
    MemberProfileForm,
    OutcomeForm,
    OutcomeStatusForm,
    PersonDetailsForm,
    ProfileForm,
    ReviewForm,
    SuggestionResponseForm,
)
from ..models import Consent, KeyContact, Outcome, PersonAccess, PersonDetails, Suggestion
from ..permissions import can_read_access_log, get_person_for_staff
from ..selectors import records
from ..selectors.dashboards import FUND_WINDOW
from ..selectors.funds import hours_by_team
from ..selectors.goals import get_outcome
from ..services import OutcomesError
from ..services import access as access_services
from ..services import goals as goal_services
from ..services import records as record_services
from ..services.privacy import record_read


def _read(request: HttpRequest, person: Person, what: str) -> None:
    """Log that staff read this part of the record. The person reads the log too, so `what`
    names the part plainly ("The record page"), not as staff would say it ("Their record")."""
    record_read(people=[person], reader=request.user, what=what)


def _saved(request: HttpRequest, message: str, to: str, *args) -> HttpResponse:
    messages.success(request, message)
    return redirect(to, *args)


def _form_page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    form = context["form"]
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@never_cache
def people_index(request: HttpRequest) -> HttpResponse:
    include_ended = request.GET.get("ended") == "1"
    overview = records.people_overview(user=request.user, include_ended=include_ended)
    teams: dict = {}
    for line in overview.lines:
        teams.setdefault(line.person.team, []).append(line)
    context = {
        "teams": teams,
        "include_ended": include_ended,
        "today": timezone.localdate(),
        "my_profile": records.member_profile(user=request.user),
    }
    if len(teams) > 1:
        # Across several teams (a coach's, an admin's): each team's figures, and the spread.
        today = context["today"]
        hours = hours_by_team([line.person for line in overview.lines], today - FUND_WINDOW, today)
        context["team_figures"] = [
            (team, overview.teams.get(team.pk), hours.get(team.pk)) for team in teams
        ]
        context["hours_since"] = today - FUND_WINDOW
        context["distribution"], context["bands"] = charts.t_score_distribution(
            overview.t_scores, title="Spread of GAS T-scores across your teams"
        )
    return render(request, "outcomes/staff/people_index.html", context)


@login_required
@never_cache
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    context = records.person_record(person=person)
    _read(request, person, "The record page")
    context["score_chart"] = charts.t_score_chart(context["score_history"], name=person.known_as)
    context["can_read_log"] = can_read_access_log(request.user)
    return render(request, "outcomes/staff/person_detail.html", context)


@login_required
@never_cache
def person_details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    details = PersonDetails.objects.filter(person=person).first()
    form = PersonDetailsForm(request.POST or None, instance=details)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.person_details_save(person=person, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "Saved.", "outcomes:person", person.pk)
    if request.method == "GET":
        _read(request, person, "Details: pronouns, date of birth, how they communicate")
    return _form_page(
        request,
        "outcomes/staff/simple_form.html",
        {"person": person, "form": form, "title": f"About {person.known_as}", "button": "Save"},
    )


@login_required
@never_cache
def contact_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    form = KeyContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.key_contact_add(person=person, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "Contact added.", "outcomes:person", person.pk)
    return _form_page(
        request,
        "outcomes/staff/simple_form.html",
        {"person": person, "form": form, "title": "Add a key contact", "button": "Add contact"},
    )


def _suggestion_to_take_up(request: HttpRequest, person: Person, about: str) -> Suggestion | None:
    """The person's open suggestion this page is making the change for (`?suggestion=<id>`),
    if there is one: the page quotes it, and once the change is saved the worker answers it."""
    asked = request.GET.get("suggestion", "")
    if not (asked.isascii() and asked.isdigit() and len(asked) < 19):
        return None
    return (
        Suggestion.objects.filter(
            person=person, pk=int(asked), about=about, status=Suggestion.Status.OPEN
        )
        .select_related("outcome")
        .first()
    )


def _after_change(
    request: HttpRequest, suggestion: Suggestion | None, message: str, to: str, *args
) -> HttpResponse:
    """Back to the record, or, when the change was a suggestion of theirs, on to answering it."""
    if suggestion is None:
        return _saved(request, message, to, *args)
    messages.success(request, f"{message} Now tell them what you changed.")
    return redirect(
        reverse("outcomes:suggestion", args=[suggestion.person_id, suggestion.pk]) + "?changed=1"
    )


def _confirm_page(request: HttpRequest, person: Person, **context) -> HttpResponse:
    """Ending something for good asks once more, in words: a slip of the thumb on a phone
    must not end a family's sign-in."""
    return render(request, "outcomes/staff/confirm.html", {"person": person, **context})


@login_required
@never_cache
def contact_remove(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    contact = KeyContact.objects.filter(person=person, pk=contact_pk).first()
    if contact is None:
        raise Http404("No such contact")
    if request.method != "POST":
        return _confirm_page(
            request,
            person,
            title=f"Remove {contact.name} from {person.known_as}’s key contacts?",
            explanation="Their name and numbers will no longer show on the record. The history "
            "of changes keeps a copy until the record is erased.",
            button="Remove the contact",
        )
    record_services.key_contact_remove(contact=contact)
    return _saved(request, f"{contact.name} removed from the contacts.", "outcomes:person", pk)


@login_required
@never_cache
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    form = ConsentForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record_services.consent_record(person=person, by=request.user, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "Consent recorded.", "outcomes:person", person.pk)
    return _form_page(
        request,
        "outcomes/staff/simple_form.html",
        {
            "person": person,
            "form": form,
            "title": f"Record what {person.known_as} agreed to",
            "button": "Record consent",
        },
    )


@login_required
@never_cache
def consent_withdraw(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    consent = Consent.objects.filter(person=person, pk=consent_pk).first()
    if consent is None:
        raise Http404("No such consent")
    if consent.withdrawn_on is not None:
        return _saved(request, "This was already withdrawn.", "outcomes:person", pk)
    if request.method != "POST":
        ends = (
            " Anyone who signs in because of it will no longer be able to, from now."
            if consent.scope == Consent.Scope.SIGN_IN
            else ""
        )
        return _confirm_page(
            request,
            person,
            title=f"Has {person.known_as} withdrawn this?",
            caption=f"{consent.get_scope_display()}: {consent.with_whom}",
            explanation=f"Record it only if {person.known_as}, or whoever decides for them, "
            f"has taken back this agreement.{ends} It cannot be undone: if they agree again, "
            "record a new agreement.",
            button="Yes, record that it is withdrawn",
        )
    record_services.consent_withdraw(consent=consent)
    return _saved(
        request,
        "Consent withdrawn. Anything it allowed, such as a sign-in, has ended.",
        "outcomes:person",
        pk,
    )


@login_required
@never_cache
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    versions = records.profile_versions(person=person)
    current = versions[0] if versions else None
    initial = (
        {
            "appreciated": current.appreciated,
            "important": current.important,
            "support": current.support,
        }
        if current
        else {}
    )
    suggestion = _suggestion_to_take_up(request, person, Suggestion.About.PROFILE)
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.profile_write(person=person, by=request.user, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_change(
                request,
                suggestion,
                "A new version of the profile is saved.",
                "outcomes:person",
                pk,
            )
    _read(request, person, "The one-page profile, with its earlier versions")
    return _form_page(
        request,
        "outcomes/staff/profile_edit.html",
        {"person": person, "form": form, "versions": versions, "suggestion": suggestion},
    )


@login_required
@never_cache
def member_profile_edit(request: HttpRequest) -> HttpResponse:
    current = records.member_profile(user=request.user)
    initial = (
        {
            "appreciated": current.appreciated,
            "important": current.important,
            "support": current.support,
        }
        if current
        else {}
    )
    form = MemberProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_services.profile_write(member=request.user, by=request.user, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "Your one-page profile is saved.", "outcomes:index")
    return _form_page(
        request, "outcomes/staff/member_profile.html", {"form": form, "current": current}
    )


@login_required
@never_cache
def outcome_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    suggestion = _suggestion_to_take_up(request, person, Suggestion.About.NEW_OUTCOME)
    initial = {"measure": Outcome.Measure.GAS}
    if suggestion is not None:
        # Their words are where the outcome starts; the worker shapes it with them.
        initial["in_their_words"] = suggestion.text[
            : Outcome._meta.get_field("in_their_words").max_length
        ]
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = goal_services.outcome_create(
                person=person, by=request.user, **form.cleaned_data
            )
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_change(
                request, suggestion, "Outcome saved.", "outcomes:outcome", person.pk, outcome.pk
            )
    return _form_page(
        request,
        "outcomes/staff/outcome_form.html",
        {"person": person, "form": form, "outcome": None, "suggestion": suggestion},
    )


def _outcome_for(request: HttpRequest, pk: int, outcome_pk: int) -> tuple[Person, Outcome]:
    person = get_person_for_staff(request.user, pk)
    outcome = get_outcome(person, outcome_pk)
    if outcome is None:
        raise Http404("No such outcome")
    outcome.person = person  # already read: the forms name them without asking again
    return person, outcome


@login_required
@never_cache
def outcome_detail(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    person, outcome = _outcome_for(request, pk, outcome_pk)
    _read(request, person, f"An outcome: {outcome.in_their_words}")
    return render(
        request,
        "outcomes/staff/outcome_detail.html",
        {
            "person": person,
            "outcome": outcome,
            "reviews": list(outcome.reviews.all()),
            "chart": charts.outcome_chart(outcome, theirs_label=f"{person.known_as}’s rating"),
            "suggestions": list(outcome.suggestions.order_by("-created_at")),
            "today": timezone.localdate(),
        },
    )


@login_required
@never_cache
def outcome_edit(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    person, outcome = _outcome_for(request, pk, outcome_pk)
    suggestion = _suggestion_to_take_up(request, person, Suggestion.About.OUTCOME)
    if suggestion is not None and suggestion.outcome_id != outcome.pk:
        suggestion = None
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.outcome_update(outcome=outcome, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_change(
                request, suggestion, "Outcome saved.", "outcomes:outcome", pk, outcome_pk
            )
    if request.method == "GET":
        _read(request, person, f"An outcome, to change it: {outcome.in_their_words}")
    return _form_page(
        request,
        "outcomes/staff/outcome_form.html",
        {"person": person, "form": form, "outcome": outcome, "suggestion": suggestion},
    )


@login_required
@never_cache
def outcome_status(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    person, outcome = _outcome_for(request, pk, outcome_pk)
    form = OutcomeStatusForm(
        request.POST or None, initial={"status": outcome.status, "reason": outcome.status_reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.outcome_set_status(outcome=outcome, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error("reason", str(exc))
        else:
            return _saved(request, "Saved.", "outcomes:outcome", pk, outcome_pk)
    if request.method == "GET":
        _read(request, person, f"An outcome, to say what happened: {outcome.in_their_words}")
    return _form_page(
        request,
        "outcomes/staff/simple_form.html",
        {
            "person": person,
            "form": form,
            "title": "What happened to this outcome",
            "caption": outcome.in_their_words,
            "button": "Save",
        },
    )


@login_required
@never_cache
def review_new(request: HttpRequest, pk: int, outcome_pk: int) -> HttpResponse:
    person, outcome = _outcome_for(request, pk, outcome_pk)
    form = ReviewForm(
        request.POST or None, outcome=outcome, initial={"reviewed_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.review_record(outcome=outcome, by=request.user, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "Review saved.", "outcomes:outcome", pk, outcome_pk)
    if request.method == "GET":
        _read(request, person, f"An outcome, to record a review: {outcome.in_their_words}")
    return _form_page(
        request,
        "outcomes/staff/review_form.html",
        {"person": person, "outcome": outcome, "form": form},
    )


@login_required
@never_cache
def suggestion_respond(request: HttpRequest, pk: int, suggestion_pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    suggestion = (
        Suggestion.objects.filter(person=person, pk=suggestion_pk).select_related("outcome").first()
    )
    if suggestion is None:
        raise Http404("No such suggestion")
    if not suggestion.is_open:
        return _saved(request, "This suggestion has been answered.", "outcomes:person", pk)
    initial = {}
    if request.GET.get("changed") == "1":
        initial = {
            "status": Suggestion.Status.TAKEN_UP,
            "response": SUGGESTION_DONE[suggestion.about],
        }
    form = SuggestionResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            goal_services.suggestion_respond(
                suggestion=suggestion, by=request.user, **form.cleaned_data
            )
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            return _saved(request, "They will see your answer.", "outcomes:person", pk)
    if request.method == "GET":
        _read(request, person, "A suggestion, to answer it")
    return _form_page(
        request,
        "outcomes/staff/suggestion_respond.html",
        {
            "person": person,
            "suggestion": suggestion,
            "form": form,
            "changed": bool(initial),
            "change_url": _change_url(suggestion),
        },
    )


# A first draft of the answer once the change is made; the worker puts it in their own words.
SUGGESTION_DONE = {
    Suggestion.About.PROFILE: "Done: it is in the one-page profile now.",
    Suggestion.About.OUTCOME: "Done: we changed the outcome together as you asked.",
    Suggestion.About.NEW_OUTCOME: "Done: it is one of the outcomes now, in your words.",
}


def _change_url(suggestion: Suggestion) -> str:
    """Where the worker makes the change the person asked for, quoting the suggestion."""
    query = f"?suggestion={suggestion.pk}"
    if suggestion.about == Suggestion.About.PROFILE:
        return reverse("outcomes:profile", args=[suggestion.person_id]) + query
    if suggestion.about == Suggestion.About.OUTCOME and suggestion.outcome_id:
        return (
            reverse("outcomes:outcome_edit", args=[suggestion.person_id, suggestion.outcome_id])
            + query
        )
    return reverse("outcomes:outcome_new", args=[suggestion.person_id]) + query


@login_required
@never_cache
def access_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    form = InviteForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            access_services.person_access_invite(
                person=person, by=request.user, **form.cleaned_data
            )
        except OutcomesError as exc:
            form.add_error("email", str(exc))
        else:
            return _saved(
                request,
                f"Consent recorded and invitation sent to {form.cleaned_data['email']}.",
                "outcomes:access",
                pk,
            )
    if request.method == "GET":
        _read(request, person, "Who signs in to the record, and invitations")
    return _form_page(
        request,
        "outcomes/staff/access.html",
        {
            "person": person,
            "form": form,
            "access": list(
                PersonAccess.objects.filter(person=person, revoked_at__isnull=True).select_related(
                    "user", "consent"
                )
            ),
            "invitations": list(
                person.invitations.select_related("invitation").order_by("-invitation__created_at")[
                    :20
                ]
            ),
        },
    )


@login_required
@never_cache
def access_revoke(request: HttpRequest, pk: int, access_pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    access = (
        PersonAccess.objects.filter(person=person, pk=access_pk, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if access is None:
        raise Http404("No such sign-in")
    if request.method != "POST":
        return _confirm_page(
            request,
            person,
            title=f"End {access.user.display_name}’s sign-in?",
            explanation=f"They will no longer see {person.known_as}’s record. Their agreement "
            "stays on the record; to let them back in, invite them again.",
            button="End the sign-in",
        )
    access_services.person_access_revoke(access=access)
    return _saved(request, f"{access.user} can no longer see this record.", "outcomes:access", pk)


urlpatterns = [
    path("outcomes/", people_index, name="index"),
    path("outcomes/my-profile/", member_profile_edit, name="member_profile"),
    path("outcomes/people/<int:pk>/", person_detail, name="person"),
    path("outcomes/people/<int:pk>/about/", person_details_edit, name="person_details"),
    path("outcomes/people/<int:pk>/contacts/new/", contact_new, name="contact_new"),
    path(
        "outcomes/people/<int:pk>/contacts/<int:contact_pk>/remove/",
        contact_remove,
        name="contact_remove",
    ),
    path("outcomes/people/<int:pk>/consents/new/", consent_new, name="consent_new"),
    path(
        "outcomes/people/<int:pk>/consents/<int:consent_pk>/withdraw/",
        consent_withdraw,
        name="consent_withdraw",
    ),
    path("outcomes/people/<int:pk>/profile/", profile_edit, name="profile"),
    path("outcomes/people/<int:pk>/outcomes/new/", outcome_new, name="outcome_new"),
    path("outcomes/people/<int:pk>/outcomes/<int:outcome_pk>/", outcome_detail, name="outcome"),
    path(
        "outcomes/people/<int:pk>/outcomes/<int:outcome_pk>/edit/",
        outcome_edit,
        name="outcome_edit",
    ),
    path(
        "outcomes/people/<int:pk>/outcomes/<int:outcome_pk>/status/",
        outcome_status,
        name="outcome_status",
    ),
    path(
        "outcomes/people/<int:pk>/outcomes/<int:outcome_pk>/reviews/new/",
        review_new,
        name="review_new",
    ),
    path(
        "outcomes/people/<int:pk>/suggestions/<int:suggestion_pk>/",
        suggestion_respond,
        name="suggestion",
    ),
    path("outcomes/people/<int:pk>/sign-in/", access_page, name="access"),
    path(
        "outcomes/people/<int:pk>/sign-in/<int:access_pk>/revoke/",
        access_revoke,
        name="access_revoke",
    ),
]
