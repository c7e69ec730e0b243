"""Who may open what: every page and every API endpoint of outcomes, for everyone in the cast.

Peggy is supported by Northfield; Harold by Riverside. Each has an outcome with a review, a
fund and a suggestion. The tables below say, for each page and endpoint, who gets it and what
everyone else is told. A page or endpoint added to outcomes without a line here fails
`test_every_outcomes_page_is_in_the_matrix`, so none can be left out.

| who               | her staff pages | admin pages | her own pages | API: Peggy | API: Harold |
|-------------------|-----------------|-------------|---------------|------------|-------------|
| member, coach     | 200             | 403         | 404           | yes        | no (404)    |
| admin             | 200             | 200         | 404           | yes        | yes         |
| other_member      | 404             | 404         | 404           | no         | yes         |
| outsider, advisor | 404             | 404         | 404           | no         | no          |
| person_user       | 404             | 404         | 200           | yes (own)  | no          |
| family_user       | 404             | 404         | 200           | yes (own)  | no          |
| other_person_user | 404             | 404         | 404           | no         | yes (own)   |
| nobody signed in  | sign-in page    | sign-in     | sign-in       | 401        | 401         |
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from outcomes.models import Consent, KeyContact, PersonAccess, Review, Suggestion
from tests.outcomes.factories import OutcomeFactory, ReviewFactory, ServiceFundFactory

pytestmark = pytest.mark.django_db

CAST = [
    "member",
    "coach",
    "admin",
    "other_member",
    "outsider",
    "advisor",
    "person_user",
    "family_user",
    "other_person_user",
]
SEES_PEGGY_AS_STAFF = {"member", "coach", "admin"}
SEES_PEGGY_AS_HERSELF = {"person_user", "family_user"}
SEES_HAROLD = {"other_member", "admin", "other_person_user"}


def record_of(person, member):
    outcome = OutcomeFactory(person=person)
    review = ReviewFactory(outcome=outcome, reviewed_on=date(2025, 3, 3))
    fund = ServiceFundFactory(person=person)
    suggestion = Suggestion.objects.create(
        person=person, about="new_outcome", text="Swimming", suggested_by_name="Them"
    )
    contact = KeyContact.objects.create(person=person, kind="gp", name="Dr Ash", phone="0121")
    consent = Consent.objects.create(
        person=person, scope="profile", with_whom="The team", decided_by="person"
    )
    return {
        "person": person,
        "outcome": outcome,
        "review": review,
        "fund": fund,
        "suggestion": suggestion,
        "contact": contact,
        "consent": consent,
    }


@pytest.fixture
def peggy(person, member, person_user, family_user):
    return record_of(person, member)


@pytest.fixture
def harold(other_person, other_member, other_person_user):
    return record_of(other_person, other_member)


# --- Pages ------------------------------------------------------------------------------------

# Each page: (URL name, the ids it takes, which rule applies). Rules:
#   record — a page of Peggy's record for staff: her team, its coach and admins
#   admin  — privacy pages: admins only; her team and coach are refused (403)
#   team   — Northfield's outcomes page: its members, its coach and admins
#   staff  — pages of one's own as staff (the list of people one supports, one's own profile)
#   own    — Peggy's own pages: Peggy and the family she chose, nobody else
#   choose — where someone linked to a record lands: shows only records linked to them
PAGES = [
    ("index", lambda r: [], "staff"),
    ("member_profile", lambda r: [], "staff"),
    ("team", lambda r: [r["person"].team_id], "team"),
    ("person", lambda r: [r["person"].pk], "record"),
    ("person_details", lambda r: [r["person"].pk], "record"),
    ("contact_new", lambda r: [r["person"].pk], "record"),
    ("contact_remove", lambda r: [r["person"].pk, r["contact"].pk], "record"),
    ("consent_new", lambda r: [r["person"].pk], "record"),
    ("consent_withdraw", lambda r: [r["person"].pk, r["consent"].pk], "record"),
    ("profile", lambda r: [r["person"].pk], "record"),
    ("outcome_new", lambda r: [r["person"].pk], "record"),
    ("outcome", lambda r: [r["person"].pk, r["outcome"].pk], "record"),
    ("outcome_edit", lambda r: [r["person"].pk, r["outcome"].pk], "record"),
    ("outcome_status", lambda r: [r["person"].pk, r["outcome"].pk], "record"),
    ("review_new", lambda r: [r["person"].pk, r["outcome"].pk], "record"),
    ("suggestion", lambda r: [r["person"].pk, r["suggestion"].pk], "record"),
    ("access", lambda r: [r["person"].pk], "record"),
    ("access_revoke", lambda r: [r["person"].pk, r["access"].pk], "record"),
    ("fund", lambda r: [r["person"].pk], "record"),
    ("fund_new", lambda r: [r["person"].pk], "record"),
    ("fund_edit", lambda r: [r["person"].pk, r["fund"].pk], "record"),
    ("statement", lambda r: [r["person"].pk], "record"),
    ("statement_month", lambda r: [r["person"].pk, 2025, 1], "record"),
    ("record_log", lambda r: [r["person"].pk], "admin"),
    ("export", lambda r: [r["person"].pk], "admin"),
    ("export_json", lambda r: [r["person"].pk], "admin"),
    ("erase", lambda r: [r["person"].pk], "admin"),
    ("own_home", lambda r: [], "choose"),
    ("own_person", lambda r: [r["person"].pk], "own"),
    ("own_profile", lambda r: [r["person"].pk], "own"),
    ("own_outcome", lambda r: [r["person"].pk, r["outcome"].pk], "own"),
    ("own_view", lambda r: [r["person"].pk, r["review"].pk], "own"),
    ("own_suggest", lambda r: [r["person"].pk], "own"),
    ("own_record_log", lambda r: [r["person"].pk], "own"),
    ("own_statement", lambda r: [r["person"].pk], "own"),
    ("own_statement_month", lambda r: [r["person"].pk, 2025, 1], "own"),
]


def expected_status(rule: str, who: str) -> int:
    if who in SEES_PEGGY_AS_HERSELF or who == "other_person_user":
        # Kept to their own record: every staff page, anywhere, is "not found".
        if rule == "own":
            return 200 if who in SEES_PEGGY_AS_HERSELF else 404
        return 302 if rule == "choose" else 404
    if rule in ("record", "team"):
        return 200 if who in SEES_PEGGY_AS_STAFF else 404
    if rule == "admin":
        if who == "admin":
            return 200
        return 403 if who in SEES_PEGGY_AS_STAFF else 404
    if rule == "own":
        return 404
    return 200  # staff pages of one's own, and "whose page?" showing nobody


def test_every_outcomes_page_is_in_the_matrix():
    names = {
        name
        for name, value in get_resolver().namespace_dict["outcomes"][1].reverse_dict.items()
        if isinstance(name, str)
    }
    assert names == {name for name, _, _ in PAGES}


@pytest.fixture
def with_access(peggy, family_user):
    peggy["access"] = PersonAccess.objects.get(person=peggy["person"], user=family_user)
    return peggy


@pytest.mark.parametrize("who", CAST)
def test_each_page_answers_as_the_matrix_says(request, client_for, with_access, harold, who):
    client = client_for(request.getfixturevalue(who))
    for name, ids, rule in PAGES:
        response = client.get(reverse(f"outcomes:{name}", args=ids(with_access)))
        assert response.status_code == expected_status(rule, who), (name, who)
        if response.status_code == 200:
            assert "no-store" in response["Cache-Control"], name
            if who not in SEES_PEGGY_AS_STAFF | SEES_PEGGY_AS_HERSELF:
                body = response.content.decode()
                assert "Peggy" not in body, (name, who)
                assert "Margaret Ellis" not in body, (name, who)


def test_where_someone_linked_to_a_record_lands(client_for, with_access, harold, family_user):
    response = client_for(family_user).get(reverse("outcomes:own_home"))
    assert response.url == reverse("outcomes:own_person", args=[with_access["person"].pk])


def test_nobody_signed_in_is_asked_to_sign_in_for_every_page(client, with_access):
    for name, ids, _ in PAGES:
        response = client.get(reverse(f"outcomes:{name}", args=ids(with_access)))
        assert response.status_code == 302, name
        assert response.url.startswith("/accounts/login/"), name


# Every change a page makes, posted by everyone who may not make it: refused, nothing changed.
CHANGES = [
    ("person_details", lambda r: [r["person"].pk], {"pronouns": "they/them"}),
    ("contact_remove", lambda r: [r["person"].pk, r["contact"].pk], {}),
    ("consent_withdraw", lambda r: [r["person"].pk, r["consent"].pk], {}),
    ("outcome_status", lambda r: [r["person"].pk, r["outcome"].pk], {"status": "stopped"}),
    ("review_new", lambda r: [r["person"].pk, r["outcome"].pk], {"worker_level": "1"}),
    ("access_revoke", lambda r: [r["person"].pk, r["access"].pk], {}),
    ("erase", lambda r: [r["person"].pk], {"confirm_name": "Margaret Ellis"}),
    ("own_view", lambda r: [r["person"].pk, r["review"].pk], {"level": "2", "words": "Mine"}),
    ("own_suggest", lambda r: [r["person"].pk], {"about": "profile", "text": "Change it"}),
]


def snapshot(record) -> tuple:
    person = record["person"]
    return (
        KeyContact.objects.filter(person=person).count(),
        Consent.objects.filter(person=person, withdrawn_on__isnull=True).count(),
        list(person.outcomes.values_list("status", flat=True)),
        Review.objects.filter(outcome__person=person).count(),
        list(Review.objects.filter(outcome__person=person).values_list("person_words", flat=True)),
        PersonAccess.objects.filter(person=person, revoked_at__isnull=True).count(),
        Suggestion.objects.filter(person=person).count(),
        person.__class__.objects.get(pk=person.pk).name,
    )


@pytest.mark.parametrize(
    "who", ["other_member", "outsider", "advisor", "other_person_user", "person_user"]
)
def test_no_one_outside_changes_peggys_record(request, client_for, with_access, harold, who):
    client = client_for(request.getfixturevalue(who))
    before = snapshot(with_access)
    for name, ids, data in CHANGES:
        if who == "person_user" and name.startswith("own_"):
            continue  # her own view and suggestions are hers to make
        response = client.post(reverse(f"outcomes:{name}", args=ids(with_access)), data)
        assert response.status_code == 404, (name, who)
    assert snapshot(with_access) == before


def test_her_own_team_cannot_erase_her_record(client_for, with_access, member, coach):
    for user in (member, coach):
        response = client_for(user).post(
            reverse("outcomes:erase", args=[with_access["person"].pk]),
            {"confirm_name": "Margaret Ellis"},
        )
        assert response.status_code == 403
    assert with_access["person"].__class__.objects.get(pk=with_access["person"].pk).name == (
        "Margaret Ellis"
    )


# --- The API ----------------------------------------------------------------------------------

LISTS = {
    "/api/v1/people/": "person",
    "/api/v1/outcomes/": "outcome",
    "/api/v1/reviews/": "review",
    "/api/v1/funds/": "fund",
    "/api/v1/suggestions/": "suggestion",
}


def details(record) -> list[str]:
    p, o, r, f = record["person"].pk, record["outcome"].pk, record["review"].pk, record["fund"].pk
    return [
        f"/api/v1/people/{p}/",
        f"/api/v1/outcomes/{o}/",
        f"/api/v1/outcomes/?person={p}",
        f"/api/v1/reviews/{r}/",
        f"/api/v1/reviews/?person={p}",
        f"/api/v1/funds/{f}/",
        f"/api/v1/funds/{f}/ledger/",
        f"/api/v1/funds/{f}/statement/?month=2025-01",
        f"/api/v1/suggestions/?person={p}",
    ]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("who", CAST)
def test_each_api_list_holds_only_the_records_the_matrix_allows(
    request, client_for, peggy, harold, who
):
    client = client_for(request.getfixturevalue(who))
    sees = []
    if who in SEES_PEGGY_AS_STAFF | SEES_PEGGY_AS_HERSELF:
        sees.append(peggy)
    if who in SEES_HAROLD:
        sees.append(harold)
    for url, key in LISTS.items():
        response = client.get(url)
        assert response.status_code == 200, (url, who)
        assert ids(response) == {record[key].pk for record in sees}, (url, who)


@pytest.mark.parametrize("who", CAST)
def test_each_api_detail_answers_as_the_matrix_says(request, client_for, peggy, harold, who):
    client = client_for(request.getfixturevalue(who))
    for record, allowed in (
        (peggy, SEES_PEGGY_AS_STAFF | SEES_PEGGY_AS_HERSELF),
        (harold, SEES_HAROLD),
    ):
        for url in details(record):
            response = client.get(url)
            if "?person=" in url:
                # A filter over records one may not see is an empty list, never someone else's.
                assert response.status_code == 200, (url, who)
                assert bool(ids(response)) == (who in allowed), (url, who)
            else:
                assert response.status_code == (200 if who in allowed else 404), (url, who)


def test_nobody_signed_in_gets_401_from_every_endpoint(client, peggy):
    for url in [*LISTS, *details(peggy)]:
        assert client.get(url).status_code == 401, url


@pytest.mark.parametrize("who", ["other_member", "outsider", "advisor", "other_person_user"])
def test_no_one_outside_writes_to_peggys_record_through_the_api(
    request, client_for, peggy, harold, who
):
    client = client_for(request.getfixturevalue(who))
    before = snapshot(peggy)
    p, o, r, f = peggy["person"].pk, peggy["outcome"].pk, peggy["review"].pk, peggy["fund"].pk
    writes = [
        (f"/api/v1/reviews/{r}/person-view/", {"level": 1, "words": "x", "rated_by": "person"}),
        (f"/api/v1/funds/{f}/ledger/", {"kind": "banked", "hours": "1", "on": "2025-01-06"}),
        ("/api/v1/outcomes/", {"person": p, "in_their_words": "x", "life_area": "home"}),
        ("/api/v1/reviews/", {"outcome": o, "reviewed_on": "2025-03-04", "worker_level": 1}),
        ("/api/v1/suggestions/", {"person": p, "about": "new_outcome", "text": "x"}),
    ]
    for url, body in writes:
        response = client.post(url, body, content_type="application/json")
        # Someone else's record is not there: 404 by its address, 400 "no such" by a field.
        assert response.status_code in (400, 404), (url, who)
        if response.status_code == 400:
            assert "No such" in str(response.json()), (url, who)
    assert snapshot(peggy) == before


def test_peggy_and_family_write_only_their_part_through_the_api(
    client_for, peggy, person_user, family_user
):
    p, o, f = peggy["person"].pk, peggy["outcome"].pk, peggy["fund"].pk
    for user in (person_user, family_user):
        client = client_for(user)
        for url, body in [
            ("/api/v1/outcomes/", {"person": p, "in_their_words": "x", "life_area": "home"}),
            ("/api/v1/reviews/", {"outcome": o, "reviewed_on": "2025-03-04", "worker_level": 1}),
            (f"/api/v1/funds/{f}/ledger/", {"kind": "banked", "hours": "1", "on": "2025-01-06"}),
        ]:
            response = client.post(url, body, content_type="application/json")
            assert response.status_code == 403, (url, user)
