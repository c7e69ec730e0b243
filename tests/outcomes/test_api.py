"""The outcomes API keeps the pages' rules: staff see their teams' people and every read is
logged; the person and family see their own record and add their view; 400s say why."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from outcomes.models import FlexibleHours, Outcome, RecordRead, Review, Suggestion
from tests.outcomes.factories import OutcomeFactory, ReviewFactory, ServiceFundFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(person, other_person):
    outcome = OutcomeFactory(person=person)
    review = ReviewFactory(outcome=outcome, worker_level=0, reviewed_on=date(2025, 3, 3))
    fund = ServiceFundFactory(person=person)
    theirs = OutcomeFactory(person=other_person, in_their_words="Harold's own")
    ReviewFactory(outcome=theirs)
    ServiceFundFactory(person=other_person)
    return {"outcome": outcome, "review": review, "fund": fund, "theirs": theirs}


ENDPOINTS = [
    "/api/v1/people/",
    "/api/v1/outcomes/",
    "/api/v1/reviews/",
    "/api/v1/funds/",
    "/api/v1/suggestions/",
]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("who", ["member", "person_user", "family_user"])
def test_every_list_shows_only_peggys_record(request, client_for, record, person, who):
    client = client_for(request.getfixturevalue(who))
    assert ids(client.get("/api/v1/people/")) == {person.pk}
    assert ids(client.get("/api/v1/outcomes/")) == {record["outcome"].pk}
    assert ids(client.get("/api/v1/reviews/")) == {record["review"].pk}
    assert ids(client.get("/api/v1/funds/")) == {record["fund"].pk}


@pytest.mark.parametrize("who", ["other_member", "person_user", "outsider"])
def test_someone_elses_record_is_not_found(request, client_for, record, other_person, who):
    client = client_for(request.getfixturevalue(who))
    theirs = record["theirs"]
    fund = other_person.service_funds.get()
    for url in [
        f"/api/v1/people/{other_person.pk}/" if who != "other_member" else None,
        f"/api/v1/outcomes/{theirs.pk}/" if who != "other_member" else None,
        f"/api/v1/funds/{fund.pk}/statement/" if who != "other_member" else None,
        f"/api/v1/people/{record['outcome'].person_id}/" if who == "other_member" else None,
        f"/api/v1/outcomes/{record['outcome'].pk}/" if who == "other_member" else None,
        f"/api/v1/reviews/{record['review'].pk}/" if who == "other_member" else None,
        f"/api/v1/funds/{record['fund'].pk}/ledger/" if who == "other_member" else None,
    ]:
        if url:
            assert client.get(url).status_code == 404, url


def test_staff_reads_are_logged_and_the_persons_own_are_not(
    client_for, record, person, member, person_user
):
    client_for(member).get(f"/api/v1/people/{person.pk}/")
    client_for(member).get("/api/v1/outcomes/")
    read = RecordRead.objects.filter(person=person, reader=member)
    assert sorted(read.values_list("what", "via")) == [("Outcomes", "api"), ("The record", "api")]
    client_for(person_user).get(f"/api/v1/people/{person.pk}/")
    assert not RecordRead.objects.filter(reader=person_user).exists()


def test_every_endpoint_that_returns_the_record_logs_the_staff_read(
    client_for, record, person, member
):
    fund = record["fund"]
    client = client_for(member)
    for url, what in [
        (f"/api/v1/people/{person.pk}/", "The record"),
        ("/api/v1/outcomes/", "Outcomes"),
        (f"/api/v1/outcomes/{record['outcome'].pk}/", f"An outcome: {record['outcome']}"),
        ("/api/v1/reviews/", "Reviews"),
        (f"/api/v1/reviews/{record['review'].pk}/", "A review"),
        ("/api/v1/suggestions/", "Suggestions"),
        ("/api/v1/funds/", "The Individual Service Fund"),
        (f"/api/v1/funds/{fund.pk}/", "The Individual Service Fund"),
        (f"/api/v1/funds/{fund.pk}/ledger/", "The Individual Service Fund’s ledger"),
        (f"/api/v1/funds/{fund.pk}/statement/?month=2025-01", "The statement for January 2025"),
    ]:
        Suggestion.objects.get_or_create(
            person=person, about="new_outcome", text="Swim", suggested_by_name="Peggy"
        )
        assert client.get(url).status_code == 200, url
        read = RecordRead.objects.order_by("-pk").first()
        assert read is not None, url
        assert (read.person, read.reader, read.what, read.via) == (person, member, what, "api"), url


def test_the_person_adds_their_own_view_through_the_api(client_for, record, person_user):
    response = client_for(person_user).post(
        f"/api/v1/reviews/{record['review'].pk}/person-view/",
        {"level": 1, "words": "Further than last time", "rated_by": "with_help"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["level"] == 1
    assert response.json()["rated_by"] == "with_help"
    assert response.json()["views_differ"] is True


def test_family_views_are_familys_whatever_they_send(client_for, record, family_user):
    response = client_for(family_user).post(
        f"/api/v1/reviews/{record['review'].pk}/person-view/",
        {"level": 0, "words": "About the same", "rated_by": "person"},
        content_type="application/json",
    )
    assert response.json()["person_rated_by"] == Review.RatedBy.FAMILY


@pytest.mark.parametrize(
    ("who", "expected"), [("family_user", "family"), ("person_user", "person")]
)
def test_a_view_is_rated_by_whoever_sent_it_when_both_can_sign_in(
    request, client_for, record, person_user, family_user, who, expected
):
    """Peggy and her daughter both have access: each one's own access says who rated."""
    response = client_for(request.getfixturevalue(who)).post(
        f"/api/v1/reviews/{record['review'].pk}/person-view/",
        {"level": 0, "words": "About the same", "rated_by": "person"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["person_rated_by"] == expected
    assert Review.objects.get(pk=record["review"].pk).person_rated_by == expected


def test_the_person_cannot_write_the_teams_part_of_the_record(
    client_for, record, person, person_user
):
    client = client_for(person_user)
    response = client.post(
        "/api/v1/outcomes/",
        {
            "person": person.pk,
            "in_their_words": "Mine",
            "life_area": "home",
            "measure": "self_rating",
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/funds/{record['fund'].pk}/ledger/",
        {"kind": "banked", "hours": "1", "on": "2025-01-06", "purpose": "Trip"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not FlexibleHours.objects.exists()


def test_the_person_makes_a_suggestion(client_for, record, person, person_user):
    response = client_for(person_user).post(
        "/api/v1/suggestions/",
        {"person": person.pk, "about": "new_outcome", "text": "I would like to go swimming"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Suggestion.objects.get().suggested_by == person_user


def test_a_suggestion_about_someone_else_is_refused(client_for, record, other_person, person_user):
    response = client_for(person_user).post(
        "/api/v1/suggestions/",
        {"person": other_person.pk, "about": "new_outcome", "text": "Hello"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"person": ["No such person."]}


def test_staff_set_an_outcome_and_rules_answer_400(client_for, record, person, member):
    client = client_for(member)
    response = client.post(
        "/api/v1/outcomes/",
        {"person": person.pk, "in_their_words": "I want to paint again", "life_area": "interests"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "five levels" in response.json()["detail"]
    response = client.post(
        "/api/v1/outcomes/",
        {
            "person": person.pk,
            "in_their_words": "I want to paint again",
            "life_area": "interests",
            "measure": "self_rating",
            "baseline_level": 2,
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Outcome.objects.get(pk=response.json()["id"]).created_by == member


def test_staff_record_a_review(client_for, record, member):
    today = timezone.localdate()
    response = client_for(member).post(
        "/api/v1/reviews/",
        {
            "outcome": record["outcome"].pk,
            "reviewed_on": today.isoformat(),
            "worker_level": -1,
            "worker_words": "Harder this month",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["level"] == -1


def test_a_review_sent_without_its_date_happened_today(client_for, record, member):
    response = client_for(member).post(
        "/api/v1/reviews/",
        {"outcome": record["outcome"].pk, "worker_level": 1},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reviewed_on"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/outcomes/?person=abc", "person"),
        ("/api/v1/reviews/?outcome=1e3", "outcome"),
        ("/api/v1/funds/?person=99999999999999999999999", "person"),
    ],
)
def test_bad_filters_answer_400(client_for, record, member, url, field):
    response = client_for(member).get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_statement_through_the_api(client_for, record, person_user, member):
    fund = record["fund"]
    FlexibleHours.objects.create(
        fund=fund, kind="banked", hours=Decimal(3), on=date(2025, 1, 20), purpose="Coast"
    )
    response = client_for(person_user).get(f"/api/v1/funds/{fund.pk}/statement/?month=2025-01")
    assert response.status_code == 200
    month = response.json()["funds"][0]
    assert (month["commissioned"], month["banked"], month["balance"]) == ("31.00", "3.00", "3.00")
    for bad in ["2025-13", "25-01", "9999-01", "x"]:
        assert (
            client_for(member).get(f"/api/v1/funds/{fund.pk}/statement/?month={bad}").status_code
            == 400
        )


def test_token_access_for_the_person_keeps_to_their_record(client, record, person, person_token):
    assert ids(client.get("/api/v1/people/", **person_token)) == {person.pk}
    assert ids(client.get("/api/v1/outcomes/", **person_token)) == {record["outcome"].pk}
    assert client.get("/api/v1/teams/", **person_token).status_code == 404


def test_staff_add_to_the_ledger_with_the_rules_of_the_fund(client_for, record, member):
    fund = record["fund"]
    on = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_for(member).post(
        f"/api/v1/funds/{fund.pk}/ledger/",
        {"kind": "used", "hours": "2", "on": on, "purpose": "Cinema"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "not that many banked hours" in response.json()["detail"]


@pytest.mark.parametrize(
    ("kind", "on", "says"),
    [
        ("banked", "2027-06-15", "month that is over"),
        ("banked", "9999-12-31", "a year from today"),
        ("used", "9999-12-31", "a year from today"),
    ],
)
def test_the_api_ledger_refuses_months_not_over_and_far_off_dates(
    client_for, record, member, kind, on, says
):
    response = client_for(member).post(
        f"/api/v1/funds/{record['fund'].pk}/ledger/",
        {"kind": kind, "hours": "1", "on": on, "purpose": "Trip"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert says in response.json()["detail"]
    assert not FlexibleHours.objects.exists()


def test_the_person_reads_their_profile_and_their_teams_through_the_api(
    client_for, record, person, member, person_user
):
    from outcomes.services.records import profile_write

    profile_write(person=person, by=member, appreciated="Sharp", important="Tea", support="Time")
    profile_write(member=member, by=member, appreciated="Calm", important="Choir", support="Ask")
    body = client_for(person_user).get(f"/api/v1/people/{person.pk}/").json()
    assert body["profile"]["important"] == "Tea"
    assert body["team_profiles"] == [
        {
            "name": "Mina Member",
            "profile": {
                "number": 1,
                "appreciated": "Calm",
                "important": "Choir",
                "support": "Ask",
                "written_by": "Mina Member",
                "person_agreed": False,
                "created_at": body["team_profiles"][0]["profile"]["created_at"],
            },
        }
    ]
