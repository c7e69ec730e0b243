"""Privacy: every staff read of a record is logged for the person and admins to see; an admin
exports everything held about a person, and erases it, keeping only anonymous counts."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import (
    Consent,
    Erasure,
    FlexibleHours,
    KeyContact,
    Outcome,
    PersonAccess,
    PersonDetails,
    ProfileVersion,
    RecordRead,
    Relationship,
    Review,
    ServiceFund,
    Suggestion,
)
from outcomes.services.privacy import person_erase
from outcomes.services.records import profile_write
from teams.models import Person
from teams.rota.models import Visit
from tests.factories import MembershipFactory, PersonFactory, VisitFactory
from tests.outcomes.factories import (
    OutcomeFactory,
    PersonAccessFactory,
    ReviewFactory,
    ServiceFundFactory,
)
from wellbeing.accounts.models import Invitation, User
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import email_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(person, member, person_user, family_user):
    outcome = OutcomeFactory(person=person, in_their_words="I want to see the sea again")
    ReviewFactory(
        outcome=outcome,
        person_level=1,
        person_rated_by="person",
        person_words="I could smell the salt",
        level=1,
    )
    ReviewFactory(outcome=outcome, worker_level=0, reviewed_on=date(2025, 2, 1))
    OutcomeFactory(person=person, status=Outcome.Status.ACHIEVED, life_area="people")
    PersonDetails.objects.create(
        person=person,
        pronouns="she/her",
        date_of_birth=date(1938, 4, 12),
        communication="Sit on her right",
    )
    KeyContact.objects.create(
        person=person, kind="family", name="Sarah Ellis", phone="07700 900123"
    )
    profile_write(
        person=person,
        by=member,
        appreciated="Funny and sharp",
        important="Tea",
        support="Sit on her right",
        person_agreed=True,
    )
    fund = ServiceFundFactory(person=person)
    FlexibleHours.objects.create(
        fund=fund, kind="banked", hours=Decimal(6), on=date(2025, 1, 20), purpose="Coast"
    )
    Suggestion.objects.create(
        person=person,
        about="profile",
        text="Add the radio",
        suggested_by=person_user,
        suggested_by_name="Margaret Ellis",
    )
    VisitFactory(person=person, care="Breakfast")
    # Emails the outbox holds for Peggy and her daughter, and one for her worker.
    for to in ("peggy@example.org", "sarah@example.org", member.email):
        email_queue(
            to=to,
            template="invitation",
            idempotency_key=f"test:{to}",
            context={
                "invitation": Invitation(display_name="X"),
                "grants": [],
                "accept_url": "http://x/",
                "organisation": "O",
            },
        )
    Person.objects.filter(pk=person.pk).update(address="12 Elm Road", postcode="B31 2AA")
    return outcome


# --- The log of reads ---------------------------------------------------------------------


def staff_reads(record, person) -> list[tuple[str, str]]:
    """Each staff page that shows part of the record, and what the log says was read."""
    p, o = person.pk, record.pk
    suggestion = Suggestion.objects.get(person=person)
    fund = ServiceFund.objects.get(person=person)
    month = timezone.localdate()
    return [
        (reverse("outcomes:person", args=[p]), "The record page"),
        (
            reverse("outcomes:person_details", args=[p]),
            "Details: pronouns, date of birth, how they communicate",
        ),
        (
            reverse("outcomes:profile", args=[p]),
            "The one-page profile, with its earlier versions",
        ),
        (reverse("outcomes:outcome", args=[p, o]), "An outcome: I want to see the sea again"),
        (
            reverse("outcomes:outcome_edit", args=[p, o]),
            "An outcome, to change it: I want to see the sea again",
        ),
        (
            reverse("outcomes:outcome_status", args=[p, o]),
            "An outcome, to say what happened: I want to see the sea again",
        ),
        (
            reverse("outcomes:review_new", args=[p, o]),
            "An outcome, to record a review: I want to see the sea again",
        ),
        (reverse("outcomes:suggestion", args=[p, suggestion.pk]), "A suggestion, to answer it"),
        (reverse("outcomes:access", args=[p]), "Who signs in to the record, and invitations"),
        (reverse("outcomes:fund", args=[p]), "The Individual Service Fund and its ledger"),
        (
            reverse("outcomes:fund_edit", args=[p, fund.pk]),
            "The Individual Service Fund, to change it",
        ),
        (reverse("outcomes:statement", args=[p]), f"The statement for {month:%B %Y}"),
        (
            reverse("outcomes:statement_month", args=[p, 2025, 1]) + "?format=csv",
            "The statement for January 2025",
        ),
    ]


def test_every_staff_page_that_shows_the_record_logs_who_read_what(
    client_for, member, person, record
):
    client = client_for(member)
    for url, what in staff_reads(record, person):
        before = timezone.now()
        assert client.get(url).status_code == 200, url
        read = RecordRead.objects.filter(person=person).order_by("-pk").first()
        assert read is not None, url
        assert (read.reader, read.reader_name, read.what, read.via) == (
            member,
            "Mina Member",
            what,
            "web",
        ), url
        assert read.at >= before, url
    assert RecordRead.objects.filter(person=person).count() == len(staff_reads(record, person))


def test_forms_that_show_nothing_of_the_record_are_not_logged(client_for, member, person, record):
    client = client_for(member)
    for name in ("contact_new", "consent_new", "outcome_new", "fund_new"):
        assert client.get(reverse(f"outcomes:{name}", args=[person.pk])).status_code == 200
    assert not RecordRead.objects.exists()


def test_a_coach_reading_the_teams_outcomes_page_is_logged_for_the_people_it_quotes(
    client_for, coach, team, person, record
):
    other = PersonFactory(team=team, name="Winifred Shaw")  # nothing of hers is quoted
    Outcome.objects.filter(pk=record.pk).update(review_due=date(2025, 1, 1))  # overdue
    client_for(coach).get(reverse("outcomes:team", args=[team.pk]))
    assert list(RecordRead.objects.values_list("person", "reader", "what")) == [
        (person.pk, coach.pk, "An outcome, quoted on Northfield’s outcomes page")
    ]
    assert not RecordRead.objects.filter(person=other).exists()


def test_the_persons_own_reads_are_not_logged(client_for, person_user, person, record):
    client_for(person_user).get(reverse("outcomes:own_person", args=[person.pk]))
    assert not RecordRead.objects.exists()


def test_the_person_sees_who_read_their_record(client_for, member, person_user, person, record):
    client_for(member).get(reverse("outcomes:person", args=[person.pk]))
    page = client_for(person_user).get(reverse("outcomes:own_record_log", args=[person.pk]))
    assert "Mina Member, in your team" in page.content.decode()
    assert "The record page" in page.content.decode()


def test_the_log_says_who_each_reader_is_to_the_person(
    client_for, member, coach, admin, person_user, person, record
):
    for reader in (member, coach, admin):
        client_for(reader).get(reverse("outcomes:person", args=[person.pk]))
    page = client_for(person_user).get(reverse("outcomes:own_record_log", args=[person.pk]))
    text = page.content.decode()
    assert "Mina Member, in your team" in text
    assert "Cora Coach, the team’s coach" in text
    assert "Ada Admin, from the organisation’s office" in text


def test_admins_see_the_log_and_members_do_not(client_for, member, admin, person, record):
    client_for(member).get(reverse("outcomes:person", args=[person.pk]))
    url = reverse("outcomes:record_log", args=[person.pk])
    assert "Mina Member" in client_for(admin).get(url).content.decode()
    assert client_for(member).get(url).status_code == 403


# --- Export ---------------------------------------------------------------------------------


def test_admin_exports_everything_held_as_json(client_for, admin, person, record):
    response = client_for(admin).get(reverse("outcomes:export_json", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="record-{person.pk}.json"'
    held = json.loads(response.content)
    assert held["Person"]["Full name"] == "Margaret Ellis"
    assert held["Person"]["Postcode"] == "B31 2AA"
    assert held["Details"][0]["Pronouns"] == "she/her"
    assert held["Key contacts"][0]["Name"] == "Sarah Ellis"
    assert held["One-page profile versions"][0]["What is important to me"] == "Tea"
    sea = next(
        o
        for o in held["Outcomes"]
        if o["The outcome, in their own words"] == "I want to see the sea again"
    )
    assert "I could smell the salt" in [r["In their own words"] for r in sea["Reviews"]]
    assert held["Individual Service Funds"][0]["Ledger"][0]["What it is for"] == "Coast"
    assert held["Suggestions"][0]["The suggestion"] == "Add the radio"
    assert held["Visits (from the rota)"][0]["What the visit is for"] == "Breakfast"
    assert {row["User"] for row in held["Who can sign in to the record"]} == {
        "Margaret Ellis",
        "Sarah Ellis",
    }
    assert {row["To"] for row in held["Emails to them"]} == {
        "peggy@example.org",
        "sarah@example.org",
    }
    assert any(change["What"] == "Outcome" for change in held["Changes"])
    # The export itself is a read of the record.
    assert RecordRead.objects.filter(person=person, what__startswith="Everything held").exists()


def test_admin_reads_the_export_as_a_page(client_for, admin, person, record):
    page = client_for(admin).get(reverse("outcomes:export", args=[person.pk])).content.decode()
    assert "I could smell the salt" in page
    assert "12 Elm Road" in page


def test_only_admins_export_and_erase(client_for, member, coach, person, record):
    for user in (member, coach):
        client = client_for(user)
        for name in ("outcomes:export", "outcomes:export_json", "outcomes:erase"):
            assert client.get(reverse(name, args=[person.pk])).status_code == 403


# --- Erasure ----------------------------------------------------------------------------------


def test_erasing_removes_personal_data_and_keeps_anonymous_counts(
    admin, person, record, member, person_user, family_user
):
    erasure = person_erase(person=person, by=admin)

    person.refresh_from_db()
    assert (person.name, person.preferred_name, person.address, person.postcode) == (
        "Erased person",
        "",
        "",
        "",
    )
    assert person.status == Person.Status.ENDED
    for model in (
        Outcome,
        PersonDetails,
        KeyContact,
        Consent,
        Suggestion,
        ServiceFund,
        RecordRead,
        PersonAccess,
    ):
        assert not model.objects.filter(person=person).exists(), model
    assert not Review.objects.exists()
    assert not ProfileVersion.objects.exists()
    assert not FlexibleHours.objects.exists()
    # The history tables held copies of the same words: they go too.
    assert not Person.history.filter(name="Margaret Ellis").exists()
    assert not Outcome.history.exists()
    assert not Review.history.exists()
    assert not ProfileVersion.history.exists()
    assert not KeyContact.history.exists()
    # Sign-ins that existed only for this record go, with their history.
    assert not User.objects.filter(pk__in=[person_user.pk, family_user.pk]).exists()
    assert not User.history.filter(id=person_user.pk).exists()
    # Emails to Peggy and her daughter go; her worker's stay.
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == [member.email]
    # The rota's visits stay for the team's hours, pointing at the erased record.
    assert Visit.objects.filter(person=person).count() == 1
    # What is kept: counts, nothing that names or describes her.
    assert erasure.figures == {
        "support_started_year": 2023,
        "outcomes_by_status": {"active": 1, "achieved": 1},
        "outcomes_by_life_area": {"independence": 1, "people": 1},
        "reviews": 2,
        "reviews_with_their_own_words": 1,
        "last_gas_t_score": 60,
        "hours_banked": "6.00",
        "hours_used_flexibly": "0.00",
    }
    assert "Margaret" not in json.dumps(erasure.figures)


def test_an_erased_record_is_nowhere_to_be_seen(client_for, admin, member, person, record):
    person_erase(person=person, by=admin)
    client = client_for(member)
    assert client.get(reverse("outcomes:person", args=[person.pk])).status_code == 404
    assert "Erased person" not in client.get(reverse("outcomes:index")).content.decode()
    assert client.get("/api/v1/people/").json()["results"] == []


def test_erasing_asks_for_the_full_name(client_for, admin, person, record):
    client = client_for(admin)
    url = reverse("outcomes:erase", args=[person.pk])
    response = client.post(url, {"confirm_name": "Peggy"})
    assert response.status_code == 400
    assert Outcome.objects.exists()
    response = client.post(url, {"confirm_name": "  margaret   ellis "})
    assert response.status_code == 302
    assert Erasure.objects.get().erased_by == admin


def test_a_record_is_erased_once(admin, person, record):
    from outcomes.services import OutcomesError

    person_erase(person=person, by=admin)
    with pytest.raises(OutcomesError, match="already"):
        person_erase(person=person, by=admin)


def test_a_daughter_who_works_here_keeps_her_account_and_other_emails(
    admin, member, person, record, family_user
):
    MembershipFactory(team=person.team, user=family_user)
    grant = Invitation.objects.create(
        email="sarah@example.org",
        display_name="Sarah",
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=7),
        invited_by=member,
    )
    from outcomes.models import PersonInvitation

    PersonInvitation.objects.create(
        invitation=grant,
        person=person,
        relationship="family",
        consent=Consent.objects.filter(person=person).first(),
    )
    email_queue(
        to="sarah@example.org",
        template="invitation",
        idempotency_key=f"invitation:{grant.pk}",
        context={"invitation": grant, "grants": [], "accept_url": "http://x/", "organisation": "O"},
    )
    person_erase(person=person, by=admin)
    assert User.objects.filter(pk=family_user.pk).exists()
    assert list(
        OutboxEmail.objects.filter(to="sarah@example.org").values_list("idempotency_key", flat=True)
    ) == ["test:sarah@example.org"]


def test_a_family_member_with_another_record_keeps_their_account(
    admin, person, other_person, record, family_user
):
    PersonAccessFactory(person=other_person, user=family_user, relationship=Relationship.FAMILY)
    person_erase(person=person, by=admin)
    assert User.objects.filter(pk=family_user.pk).exists()
    assert PersonAccess.objects.filter(user=family_user, person=other_person).exists()


def test_only_an_admin_can_erase(member, person, record):
    from outcomes.services import OutcomesError

    with pytest.raises(OutcomesError, match="admin"):
        person_erase(person=person, by=member)


def test_reading_a_record_in_the_admin_site_is_logged_too(client_for, admin, person, record):
    client = client_for(admin)
    for url in [
        "/admin/outcomes/outcome/",
        f"/admin/outcomes/outcome/{record.pk}/change/",
        f"/admin/outcomes/outcome/{record.pk}/history/",
        f"/admin/outcomes/keycontact/{KeyContact.objects.get(person=person).pk}/change/",
        "/admin/outcomes/servicefund/",
    ]:
        assert client.get(url).status_code == 200, url
    assert list(
        RecordRead.objects.filter(person=person, reader=admin)
        .order_by("pk")
        .values_list("what", flat=True)
    ) == [
        "In the admin site: a list of outcomes",
        "In the admin site: an outcome and its reviews",
        "In the admin site: the history of changes to an outcome and its reviews",
        "In the admin site: a key contact",
        "In the admin site: a list of Individual Service Funds",
    ]
