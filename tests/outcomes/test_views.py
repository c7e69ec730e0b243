"""The team's forms and the person's: what is typed is saved through the rules, and bad input
gets a clear message and a 400, losing nothing already saved."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import (
    Consent,
    FlexibleHours,
    KeyContact,
    Outcome,
    ProfileVersion,
    Review,
    Suggestion,
)
from outcomes.selectors import dashboards
from tests.outcomes.factories import OutcomeFactory, ReviewFactory, ServiceFundFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def outcome_form(**overrides):
    data = {
        "in_their_words": "I want to walk to the shop on my own by spring",
        "life_area": "independence",
        "why_it_matters": "To choose my own bread",
        "measure": "gas",
        "gas_minus_2": "I do not go out",
        "gas_minus_1": "I go to the gate",
        "gas_0": "I walk to the shop with someone",
        "gas_plus_1": "Someone walks behind me",
        "gas_plus_2": "I walk there on my own",
        "baseline_level": "-1",
        "weight": "1",
        "review_every_weeks": "6",
    }
    data.update(overrides)
    return data


def test_a_worker_sets_an_outcome_with_its_five_levels(client_for, member, person):
    response = client_for(member).post(
        reverse("outcomes:outcome_new", args=[person.pk]), outcome_form()
    )
    outcome = Outcome.objects.get()
    assert response.url == reverse("outcomes:outcome", args=[person.pk, outcome.pk])
    assert (outcome.gas_plus_2, outcome.baseline_level) == ("I walk there on my own", -1)


def test_a_missing_level_is_explained_and_nothing_is_saved(client_for, member, person):
    response = client_for(member).post(
        reverse("outcomes:outcome_new", args=[person.pk]), outcome_form(gas_plus_1="")
    )
    assert response.status_code == 400
    assert "Missing: +1." in response.content.decode()
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"review_every_weeks": "0"},
        {"weight": "eleven"},
        {"life_area": "moon"},
        {"target_date": "31/02/2026"},
        {"baseline_level": "99999999999999999999"},
    ],
)
def test_nonsense_in_the_outcome_form_is_a_400(client_for, member, person, bad):
    response = client_for(member).post(
        reverse("outcomes:outcome_new", args=[person.pk]), outcome_form(**bad)
    )
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_a_worker_records_a_review_with_both_views(client_for, member, person):
    outcome = OutcomeFactory(person=person, created_on=TODAY() - timedelta(days=30))
    response = client_for(member).post(
        reverse("outcomes:review_new", args=[person.pk, outcome.pk]),
        {
            "reviewed_on": TODAY().isoformat(),
            "person_level": "1",
            "person_rated_by": "with_help",
            "person_words": "I did it!",
            "worker_level": "0",
            "worker_words": "Nearly",
            "what_will_change": "Try on Thursdays",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.level, review.worker_level, review.person_view_by) == (1, 0, member)
    page = client_for(member).get(reverse("outcomes:outcome", args=[person.pk, outcome.pk]))
    assert "Views differ" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give a rating"),
        ({"person_level": "1"}, "Say who gave their rating"),
        ({"worker_level": "7"}, "Select a valid choice"),
        ({"worker_level": "0", "reviewed_on": "2999-01-01"}, "in the future"),
    ],
)
def test_a_review_without_what_it_needs_is_a_400(client_for, member, person, data, message):
    outcome = OutcomeFactory(person=person, created_on=TODAY() - timedelta(days=30))
    response = client_for(member).post(
        reverse("outcomes:review_new", args=[person.pk, outcome.pk]),
        {"reviewed_on": TODAY().isoformat(), **data},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Review.objects.exists()


def test_the_person_adds_their_view_and_it_counts(client_for, person_user, person):
    outcome = OutcomeFactory(person=person)
    review = ReviewFactory(outcome=outcome, worker_level=-1)
    client = client_for(person_user)
    url = reverse("outcomes:own_view", args=[person.pk, review.pk])
    assert client.post(url, {"level": "0", "words": ""}).status_code == 400
    assert client.post(url, {"level": "5", "words": "Good"}).status_code == 400
    response = client.post(url, {"level": "0", "words": "Better than it looks", "helped": "on"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.level, review.person_rated_by) == (0, Review.RatedBy.WITH_HELP)


def test_the_person_suggests_a_change_and_reads_the_answer(client_for, person_user, member, person):
    outcome = OutcomeFactory(person=person)
    client = client_for(person_user)
    response = client.post(
        reverse("outcomes:own_suggest", args=[person.pk]),
        {"about": "outcome", "outcome": outcome.pk, "text": "Make it summer"},
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.outcome == outcome
    response = client_for(member).post(
        reverse("outcomes:suggestion", args=[person.pk, suggestion.pk]),
        {"status": "taken_up", "response": "Changed the target to June"},
    )
    assert response.status_code == 302
    page = client_for(person_user).get(reverse("outcomes:own_person", args=[person.pk]))
    assert "Changed the target to June" in page.content.decode()


def test_the_person_cannot_suggest_about_someone_elses_outcome(
    client_for, person_user, person, other_person
):
    theirs = OutcomeFactory(person=other_person)
    response = client_for(person_user).post(
        reverse("outcomes:own_suggest", args=[person.pk]),
        {"about": "outcome", "outcome": theirs.pk, "text": "Hello"},
    )
    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_profiles_keep_every_version(client_for, member, person):
    client = client_for(member)
    url = reverse("outcomes:profile", args=[person.pk])
    for words in ("Funny", "Funny and kind"):
        client.post(
            url,
            {"appreciated": words, "important": "Tea", "support": "Time", "person_agreed": "on"},
        )
    versions = list(ProfileVersion.objects.order_by("number"))
    assert [(v.number, v.appreciated, v.written_by) for v in versions] == [
        (1, "Funny", member),
        (2, "Funny and kind", member),
    ]
    assert client.post(url, {"appreciated": "", "important": "", "support": ""}).status_code == 400


def test_team_members_profiles_are_shown_to_the_people_they_support(
    client_for, member, person_user, person
):
    client_for(member).post(
        reverse("outcomes:member_profile"),
        {
            "appreciated": "I make a good cup of tea",
            "important": "My boys",
            "support": "Tell me straight",
        },
    )
    page = client_for(person_user).get(reverse("outcomes:own_profile", args=[person.pk]))
    assert "I make a good cup of tea" in page.content.decode()


def test_details_contacts_and_consents(client_for, member, person):
    client = client_for(member)
    response = client.post(
        reverse("outcomes:person_details", args=[person.pk]),
        {"pronouns": "she/her", "date_of_birth": "2999-01-01"},
    )
    assert response.status_code == 400
    client.post(
        reverse("outcomes:contact_new", args=[person.pk]),
        {"kind": "family", "name": "Sarah", "phone": "07700 900123"},
    )
    contact = KeyContact.objects.get()
    response = client.post(
        reverse("outcomes:contact_new", args=[person.pk]), {"kind": "gp", "name": "Dr No"}
    )
    assert response.status_code == 400
    assert "phone number or an email" in response.content.decode()
    client.post(reverse("outcomes:contact_remove", args=[person.pk, contact.pk]))
    assert not KeyContact.objects.exists()
    client.post(
        reverse("outcomes:consent_new", args=[person.pk]),
        {
            "scope": "profile",
            "with_whom": "The team",
            "decided_by": "person",
            "agreed_on": TODAY().isoformat(),
        },
    )
    consent = Consent.objects.get()
    client.post(reverse("outcomes:consent_withdraw", args=[person.pk, consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()


def test_the_ledger_form_needs_the_persons_agreement(client_for, member, person):
    ServiceFundFactory(person=person, starts=TODAY().replace(day=1) - timedelta(days=60))
    client = client_for(member)
    url = reverse("outcomes:fund", args=[person.pk])
    last_month = TODAY().replace(day=1) - timedelta(days=1)
    data = {"kind": "banked", "hours": "2", "on": last_month.isoformat(), "purpose": "Coast"}
    assert client.post(url, data).status_code == 400
    assert client.post(url, {**data, "agreed": "on"}).status_code == 302
    assert FlexibleHours.objects.get().hours == Decimal(2)


def test_statement_csv_has_hours_and_outcomes(client_for, person_user, person):
    ServiceFundFactory(person=person, starts=date(2025, 1, 1))
    outcome = OutcomeFactory(person=person)
    ReviewFactory(
        outcome=outcome,
        person_level=1,
        person_rated_by="person",
        level=1,
        person_words="I went on my own",
    )
    response = client_for(person_user).get(
        reverse("outcomes:own_statement_month", args=[person.pk, 2025, 3]) + "?format=csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode()
    assert "Hours commissioned,31.00" in body
    assert "03 Mar 2025: More than expected: I went on my own" in body


def test_words_that_look_like_a_formula_stay_words_in_the_csv(client_for, member, person):
    OutcomeFactory(person=person, in_their_words='=HYPERLINK("http://x","click")')
    response = client_for(member).get(
        reverse("outcomes:statement", args=[person.pk]) + "?format=csv"
    )
    assert "'=HYPERLINK(" in response.content.decode()


@pytest.mark.parametrize(("year", "month"), [(2025, 13), (1999, 1), (2025, 0)])
def test_a_month_that_does_not_exist_is_not_found(client_for, person_user, person, year, month):
    url = reverse("outcomes:own_statement_month", args=[person.pk, year, month])
    assert client_for(person_user).get(url).status_code == 404


def test_huge_ids_are_not_found(client_for, member):
    assert client_for(member).get("/outcomes/people/99999999999999999999999/").status_code == 404


def test_dashboard_columns_say_what_needs_a_look(team, person, member):
    OutcomeFactory(person=person, review_due=TODAY() - timedelta(days=2))
    steady = OutcomeFactory(person=person, review_due=TODAY() + timedelta(days=20))
    for day in range(3):
        ReviewFactory(
            outcome=steady, reviewed_on=date(2025, 2, 1) + timedelta(days=day), worker_level=0
        )
    OutcomeFactory(person=person, status="achieved", review_due=TODAY())
    assert dashboards.overdue_column([team])[team.pk].text == "1 overdue"
    assert dashboards.overdue_column([team])[team.pk].attention
    outcomes = dashboards.outcomes_column([team])[team.pk]
    assert outcomes.text == "2 active, 1 achieved; 1 rating pattern to look at"
    assert not outcomes.attention


def test_a_members_home_shows_reviews_due_and_suggestions_waiting(
    member, person, other_person, person_user
):
    OutcomeFactory(person=person, review_due=TODAY() + timedelta(days=3), in_their_words="Soon")
    OutcomeFactory(person=person, review_due=TODAY() + timedelta(days=30), in_their_words="Later")
    OutcomeFactory(person=other_person, review_due=TODAY(), in_their_words="Not my team's")
    section = dashboards.reviews_due_home_section(member)
    assert [o.in_their_words for o in section.context["due_reviews"]] == ["Soon"]
    assert dashboards.suggestions_home_section(member) is None
    Suggestion.objects.create(
        person=person,
        about="new_outcome",
        text="Swimming",
        suggested_by=person_user,
        suggested_by_name="Peggy",
    )
    section = dashboards.suggestions_home_section(member)
    assert [s.text for s in section.context["waiting_suggestions"]] == ["Swimming"]


def test_a_coach_of_several_teams_sees_each_teams_figures_and_the_spread(
    client_for, coach, team, other_team, person, other_person
):
    other_team.coach = coach
    other_team.save()
    steady = OutcomeFactory(person=other_person, review_due=TODAY() - timedelta(days=1))
    ReviewFactory(outcome=steady, worker_level=2)
    # Harold's fund: 7 hours a week, so 28 in the last four weeks; 21 delivered.
    from teams.rota.models import Visit
    from tests.factories import MembershipFactory, VisitFactory

    ServiceFundFactory(person=other_person, starts=TODAY() - timedelta(days=400))
    worker = MembershipFactory(team=other_team).user
    start = timezone.now() - timedelta(days=3)
    VisitFactory(
        person=other_person,
        start=start,
        end=start + timedelta(hours=21),
        status=Visit.Status.DONE,
        assigned=[worker],
    )
    page = client_for(coach).get(reverse("outcomes:index")).content.decode()
    assert "Across your teams" in page
    assert "1 overdue" in page
    assert "Spread of GAS T-scores across your teams" in page
    assert "21 hours of 28 hours delivered</a> (75%)" in page
    assert "No funds" in page  # Northfield's people have none


def test_withdrawing_consent_or_ending_a_sign_in_asks_first(
    client_for, member, person, family_user
):
    from outcomes.models import PersonAccess

    access = PersonAccess.objects.get(user=family_user)
    client = client_for(member)
    consent_url = reverse("outcomes:consent_withdraw", args=[person.pk, access.consent.pk])
    page = client.get(consent_url).content.decode()
    assert "Has Peggy withdrawn this?" in page
    assert "will no longer be able to" in page
    revoke_url = reverse("outcomes:access_revoke", args=[person.pk, access.pk])
    assert "End Sarah Ellis’s sign-in?" in client.get(revoke_url).content.decode()
    access.refresh_from_db()
    access.consent.refresh_from_db()
    assert access.revoked_at is None
    assert access.consent.withdrawn_on is None

    assert client.post(consent_url).status_code == 302
    access.refresh_from_db()
    access.consent.refresh_from_db()
    assert access.consent.withdrawn_on == TODAY()
    assert access.revoked_at is not None
    # Asking again, once withdrawn, says so and changes nothing.
    assert client.get(consent_url).status_code == 302


def test_staff_take_up_a_suggested_outcome_in_the_persons_own_words(
    client_for, member, person_user, person
):
    client_for(person_user).post(
        reverse("outcomes:own_suggest", args=[person.pk]),
        {"about": "new_outcome", "text": "I want to go swimming again"},
    )
    suggestion = Suggestion.objects.get()
    staff = client_for(member)
    answer_url = reverse("outcomes:suggestion", args=[person.pk, suggestion.pk])
    new_url = reverse("outcomes:outcome_new", args=[person.pk]) + f"?suggestion={suggestion.pk}"
    assert new_url in staff.get(answer_url).content.decode()

    # The new outcome starts from their words, with the suggestion quoted above the form.
    form_page = staff.get(new_url).content.decode()
    assert 'value="I want to go swimming again"' in form_page
    assert "Margaret Ellis suggested" in form_page
    response = staff.post(
        new_url,
        outcome_form(
            in_their_words="I want to go swimming again", measure="self_rating", baseline_level="2"
        ),
    )
    assert response.url == answer_url + "?changed=1"
    assert Outcome.objects.get().in_their_words == "I want to go swimming again"

    # On to answering it, with a first draft of the answer to put in their own words.
    page = staff.get(response.url).content.decode()
    assert "Done: it is one of the outcomes now, in your words." in page
    staff.post(answer_url, {"status": "taken_up", "response": "Done, Peggy: Tuesdays at 10."})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.responded_by) == ("taken_up", member)
    own = client_for(person_user).get(reverse("outcomes:own_person", args=[person.pk]))
    assert "I want to go swimming again" in own.content.decode()
    assert "Done, Peggy: Tuesdays at 10." in own.content.decode()
    # Answered, it is not answered twice.
    assert client_for(member).get(answer_url).status_code == 302


def test_a_profile_suggestion_is_taken_up_by_writing_a_new_version(
    client_for, member, person_user, person
):
    suggestion = Suggestion.objects.create(
        person=person, about="profile", text="Add the radio", suggested_by=person_user
    )
    url = reverse("outcomes:profile", args=[person.pk]) + f"?suggestion={suggestion.pk}"
    assert "Add the radio" in client_for(member).get(url).content.decode()
    response = client_for(member).post(
        url, {"appreciated": "Funny", "important": "Radio 2", "support": "Time"}
    )
    assert response.url == reverse("outcomes:suggestion", args=[person.pk, suggestion.pk]) + (
        "?changed=1"
    )
    assert ProfileVersion.objects.get().important == "Radio 2"


def test_only_the_persons_own_open_suggestion_is_quoted(
    client_for, member, person, other_person, person_user
):
    theirs = Suggestion.objects.create(person=other_person, about="profile", text="Harold's idea")
    answered = Suggestion.objects.create(
        person=person, about="profile", text="Old idea", status="taken_up", response="Done"
    )
    client = client_for(member)
    for suggestion in (theirs, answered):
        url = reverse("outcomes:profile", args=[person.pk]) + f"?suggestion={suggestion.pk}"
        assert suggestion.text not in client.get(url).content.decode()
        response = client.post(url, {"appreciated": "A", "important": "B", "support": "C"})
        assert response.url == reverse("outcomes:person", args=[person.pk])
    url = reverse("outcomes:profile", args=[person.pk]) + "?suggestion=1e9"
    assert client.get(url).status_code == 200


def test_the_suggestion_form_asks_in_the_readers_words(
    client_for, person_user, family_user, person
):
    url = reverse("outcomes:own_suggest", args=[person.pk])
    own = client_for(person_user).get(url).content.decode()
    assert "My one-page profile" in own
    assert "---------" not in own
    family = client_for(family_user).get(url).content.decode()
    assert "Peggy’s one-page profile" in family
    assert "Something new Peggy wants to work towards" in family
    response = client_for(family_user).post(url, {"text": "Swimming"})
    assert response.status_code == 400
    assert "Choose what it is about." in response.content.decode()


def test_the_person_reads_and_gives_ratings_as_what_they_look_like_for_their_goal(
    client_for, person_user, person
):
    outcome = OutcomeFactory(person=person)
    review = ReviewFactory(
        outcome=outcome,
        worker_level=0,
        person_level=1,
        person_rated_by="person",
        recorded_by_name="Amara Okafor",
    )
    client = client_for(person_user)
    page = client.get(reverse("outcomes:own_outcome", args=[person.pk, outcome.pk])).content
    text = page.decode()
    assert "“I walk to the shop with someone a few steps behind” (more than expected)" in text
    assert "“I walk to the shop with someone beside me” (as expected)" in text
    assert "You and Amara Okafor see this differently" in text
    assert "Amara Okafor’s view" in text
    form = client.get(reverse("outcomes:own_view", args=[person.pk, review.pk])).content.decode()
    assert "“I do not leave the house” (much less than expected)" in form


def test_the_teams_page_names_whose_reviews_lack_their_own_words(client_for, member, team, person):
    from tests.factories import PersonFactory

    stan = PersonFactory(team=team, name="Stanley Clarke", preferred_name="Stan")
    quiet = OutcomeFactory(person=stan)
    for day in range(2):
        ReviewFactory(outcome=quiet, reviewed_on=TODAY() - timedelta(days=10 + day))
    spoken = OutcomeFactory(person=person)
    ReviewFactory(
        outcome=spoken,
        reviewed_on=TODAY() - timedelta(days=3),
        person_level=1,
        person_rated_by="person",
        person_words="Better",
    )
    page = client_for(member).get(reverse("outcomes:team", args=[team.pk])).content.decode()
    assert "2 of 3 reviews in the last six months have none of the person’s own words" in page
    assert "Stan</a>: 2 of 2 without their words" in page
    assert (
        "Peggy</a>: "
        not in page.split("Reviews without the person’s own words")[1].split(
            "Individual Service Funds"
        )[0]
    )


def test_the_person_agrees_their_own_profile_and_family_cannot_for_them(
    client_for, member, person_user, family_user, person
):
    from outcomes.services.records import profile_write

    profile_write(person=person, by=member, appreciated="Funny", important="Tea", support="Time")
    url = reverse("outcomes:own_profile", args=[person.pk])
    assert client_for(family_user).post(url, {"version": "1"}).status_code == 403
    assert not ProfileVersion.objects.get().person_agreed
    client = client_for(person_user)
    assert "Yes, I agree with it" in client.get(url).content.decode()
    # Agreeing to words already replaced says nothing: only the newest version.
    profile_write(person=person, by=member, appreciated="Funny", important="Tea", support="Ask")
    client.post(url, {"version": "1"})
    assert not ProfileVersion.objects.filter(person_agreed=True).exists()
    for nonsense in ("", "x", "99999999999999999999"):
        assert client.post(url, {"version": nonsense}).status_code == 302
    client.post(url, {"version": "2"})
    assert ProfileVersion.objects.get(person_agreed=True).number == 2
    assert "You agreed it" in client.get(url).content.decode()
    staff_page = client_for(member).get(reverse("outcomes:person", args=[person.pk]))
    assert "Agreed by Peggy" in staff_page.content.decode()


def test_who_is_coming_is_the_rest_of_this_week_from_the_published_rota(
    person, other_person, member
):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from outcomes.selectors.records import coming_this_week
    from tests.factories import VisitFactory

    london = ZoneInfo("Europe/London")
    wednesday = date(2025, 1, 8)

    def visit(day, hour, *, who=person, published=True, **fields):
        start = datetime(2025, 1, day, hour, 0, tzinfo=london)
        return VisitFactory(
            person=who,
            start=start,
            end=start + timedelta(hours=1),
            published_at=timezone.now() if published else None,
            assigned=[member],
            **fields,
        )

    visit(7, 9)  # Tuesday: already past
    today = visit(8, 8)  # earlier today: still shown, today's
    thursday = visit(9, 12)
    sunday_late = visit(12, 23)  # the week ends on Sunday night
    visit(13, 9)  # next Monday
    visit(10, 9, published=False)  # a draft of the rota
    visit(10, 10, status="cancelled")
    visit(10, 11, who=other_person)
    days = coming_this_week(person=person, today=wednesday)
    assert [(day, [v.pk for v in visits]) for day, visits in days] == [
        (date(2025, 1, 8), [today.pk]),
        (date(2025, 1, 9), [thursday.pk]),
        (date(2025, 1, 12), [sunday_late.pk]),
    ]
    assert [worker.display_name for worker in days[1][1][0].workers.all()] == ["Mina Member"]


@pytest.mark.parametrize(("year", "month"), [(0, 1), (0, 5), (2025, 13)])
def test_a_statement_for_a_month_that_does_not_exist_is_not_found(
    client, member, person, person_user, year, month
):
    ServiceFundFactory(person=person, starts=date(2025, 1, 1))
    client.force_login(member)
    assert client.get(f"/outcomes/people/{person.pk}/statement/{year}/{month}/").status_code == 404
    client.force_login(person_user)
    assert client.get(f"/my/{person.pk}/statement/{year}/{month}/").status_code == 404


@pytest.mark.parametrize("born", ["0001-01-01", "1899-12-31"])
def test_a_date_of_birth_before_1900_is_refused(client_for, member, person, born):
    from outcomes.models import PersonDetails

    response = client_for(member).post(
        reverse("outcomes:person_details", args=[person.pk]),
        {"pronouns": "she/her", "date_of_birth": born},
    )
    assert response.status_code == 400
    assert "1900 onwards" in response.content.decode()
    assert not PersonDetails.objects.filter(date_of_birth=born).exists()


def test_a_fund_starting_in_year_one_is_refused(client_for, member, person):
    from outcomes.models import ServiceFund

    response = client_for(member).post(
        reverse("outcomes:fund_new", args=[person.pk]),
        {
            "commissioner": "Council",
            "starts": "0001-01-01",
            "hours_per_week": "7",
            "hourly_rate": "24",
        },
    )
    assert response.status_code == 400
    assert "1900 onwards" in response.content.decode()
    assert not ServiceFund.objects.exists()


def _differing_views(person):
    outcome = OutcomeFactory(person=person)
    ReviewFactory(
        outcome=outcome,
        person_level=1,
        person_rated_by="person",
        level=1,
        worker_level=0,
        recorded_by_name="Amara Okafor",
    )
    return outcome


def test_the_person_reads_ratings_in_words_without_numbers(client_for, person_user, person):
    outcome = _differing_views(person)
    client = client_for(person_user)
    pages = [
        client.get(reverse("outcomes:own_person", args=[person.pk])).content.decode(),
        client.get(reverse("outcomes:own_outcome", args=[person.pk, outcome.pk])).content.decode(),
    ]
    assert "You rated it more than expected; Amara Okafor rated it as expected." in pages[0]
    assert "“I walk to the shop with someone a few steps behind” (more than expected)" in pages[1]
    assert ">More than expected<" in pages[1]  # what each level looks like, and the table
    assert ">Much more<" in pages[1]  # the chart's scale
    for page in pages:
        for number in ("+1", "+2", "−1", "-1", "0: As expected", "0: as expected", ">0<"):
            assert number not in page, number


def test_the_persons_rating_choices_and_spreadsheet_are_in_words(client_for, person_user, person):
    outcome = _differing_views(person)
    review = outcome.reviews.get()
    client = client_for(person_user)
    form = client.get(reverse("outcomes:own_view", args=[person.pk, review.pk])).content.decode()
    assert "(more than expected)" in form
    assert "+1" not in form
    ServiceFundFactory(person=person, starts=date(2025, 1, 1))
    csv = client.get(
        reverse("outcomes:own_statement_month", args=[person.pk, 2025, 3]) + "?format=csv"
    ).content.decode()
    assert "03 Mar 2025: More than expected" in csv


def test_the_team_keeps_the_numbers_beside_the_words(client_for, member, person):
    outcome = _differing_views(person)
    client = client_for(member)
    page = client.get(reverse("outcomes:person", args=[person.pk])).content.decode()
    assert "rated it +1: more than expected;" in page
    detail = client.get(reverse("outcomes:outcome", args=[person.pk, outcome.pk])).content.decode()
    assert "+1: More than expected" in detail
