"""Who sees whose record, on every page: staff see the people their team supports; the person
and family they chose see that one record and nothing else anywhere; everyone else, nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.models import Review
from tests.outcomes.factories import OutcomeFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(person, member):
    outcome = OutcomeFactory(person=person)
    review = ReviewFactory(outcome=outcome, worker_level=0)
    return {"person": person, "outcome": outcome, "review": review}


def staff_urls(record) -> list[str]:
    p, o = record["person"].pk, record["outcome"].pk
    return [
        reverse("outcomes:person", args=[p]),
        reverse("outcomes:person_details", args=[p]),
        reverse("outcomes:contact_new", args=[p]),
        reverse("outcomes:consent_new", args=[p]),
        reverse("outcomes:profile", args=[p]),
        reverse("outcomes:outcome_new", args=[p]),
        reverse("outcomes:outcome", args=[p, o]),
        reverse("outcomes:outcome_edit", args=[p, o]),
        reverse("outcomes:outcome_status", args=[p, o]),
        reverse("outcomes:review_new", args=[p, o]),
        reverse("outcomes:access", args=[p]),
    ]


def own_urls(record) -> list[str]:
    p, o, r = record["person"].pk, record["outcome"].pk, record["review"].pk
    return [
        reverse("outcomes:own_person", args=[p]),
        reverse("outcomes:own_profile", args=[p]),
        reverse("outcomes:own_outcome", args=[p, o]),
        reverse("outcomes:own_view", args=[p, r]),
        reverse("outcomes:own_suggest", args=[p]),
        reverse("outcomes:own_record_log", args=[p]),
    ]


def test_member_of_the_team_opens_every_page_of_the_record(client_for, member, record):
    client = client_for(member)
    for url in staff_urls(record):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("who", ["other_member", "outsider", "advisor"])
def test_anyone_outside_the_team_is_told_not_found(request, client_for, record, who):
    client = client_for(request.getfixturevalue(who))
    for url in staff_urls(record) + own_urls(record):
        assert client.get(url).status_code == 404, url


def test_coach_and_admin_open_the_record(client_for, coach, admin, record):
    for user in (coach, admin):
        assert client_for(user).get(staff_urls(record)[0]).status_code == 200


@pytest.mark.parametrize("who", ["person_user", "family_user"])
def test_the_person_and_family_open_every_page_of_their_own_record(
    request, client_for, record, who
):
    client = client_for(request.getfixturevalue(who))
    for url in own_urls(record):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


@pytest.mark.parametrize("who", ["person_user", "family_user"])
def test_the_person_and_family_never_reach_the_staff_pages_of_their_record(
    request, client_for, record, who
):
    client = client_for(request.getfixturevalue(who))
    for url in staff_urls(record):
        assert client.get(url).status_code == 404, url


def test_someone_elses_own_record_is_not_found(client_for, record, other_person_user):
    client = client_for(other_person_user)
    for url in own_urls(record):
        assert client.get(url).status_code == 404, url


def test_staff_do_not_use_the_persons_own_pages(client_for, member, record):
    # A worker writes the person's view with them on the review page, never as them.
    for url in own_urls(record):
        assert client_for(member).get(url).status_code == 404, url


STAFF_PAGES_ELSEWHERE = [
    "/teams/",
    "/values/",
    "/values/stories/new/",
    "/recruitment/rounds/",
    "/outcomes/",
    "/outcomes/my-profile/",
    "/admin/",
]


@pytest.mark.parametrize("who", ["person_user", "family_user"])
def test_the_person_sees_nothing_else_in_the_product(request, client_for, record, team, who):
    client = client_for(request.getfixturevalue(who))
    for url in [*STAFF_PAGES_ELSEWHERE, f"/teams/{team.pk}/", f"/outcomes/teams/{team.pk}/"]:
        assert client.get(url).status_code == 404, url
    for url in ["/api/v1/teams/", "/api/v1/values/", "/api/v1/stories/", "/api/v1/rounds/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found."}


def test_with_an_api_token_the_person_still_sees_nothing_else(client, record, person_token):
    assert client.get("/api/v1/people/", **person_token).status_code == 200
    for url in ["/api/v1/teams/", "/api/v1/values/", "/api/v1/stories/"]:
        response = client.get(url, **person_token)
        assert response.status_code == 404, url


def test_home_takes_the_person_to_their_own_page(client_for, record, person_user, person):
    response = client_for(person_user).get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("outcomes:own_person", args=[person.pk])
    page = response.content.decode()
    assert "Hello, Peggy" in page
    # The header offers their page and their account, none of the staff sections.
    for staff_section in (">Teams<", ">Values<", ">Outcomes<"):
        assert staff_section not in page


def test_public_pages_stay_open_to_the_person(client_for, record, person_user):
    assert client_for(person_user).get("/recruitment/").status_code == 200


def test_a_withdrawn_consent_closes_the_record_at_once(client_for, record, person_user, person):
    from outcomes.models import Consent
    from outcomes.services.records import consent_withdraw

    client = client_for(person_user)
    url = reverse("outcomes:own_person", args=[person.pk])
    assert client.get(url).status_code == 200
    consent_withdraw(consent=Consent.objects.get(access__user=person_user))
    # Her sign-in existed only for this record: it is closed, so she is sent to sign in.
    assert client.get(url).status_code in (302, 404)


def test_a_family_members_view_is_recorded_as_familys(client_for, record, family_user):
    client = client_for(family_user)
    url = reverse("outcomes:own_view", args=[record["person"].pk, record["review"].pk])
    response = client.post(url, {"level": "1", "words": "Mum walked to the shop with me twice"})
    assert response.status_code == 302
    review = Review.objects.get(pk=record["review"].pk)
    assert (review.person_level, review.person_rated_by) == (1, Review.RatedBy.FAMILY)


def _example_paths(patterns=None, prefix=""):
    """A path for every URL the product has, with 1 for each id and "x" for each word."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _example_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            if route.startswith("^") or "(?P" in route:
                continue  # regular-expression routes (the admin's, DRF's format suffixes)
            path = route
            for converter, example in (("int", "1"), ("slug", "x"), ("str", "x"), ("path", "x")):
                while f"<{converter}:" in path:
                    start = path.index(f"<{converter}:")
                    path = path[:start] + example + path[path.index(">", start) + 1 :]
            yield "/" + path


def test_every_page_and_endpoint_outside_their_record_is_not_found_to_the_person(
    client_for, record, person_user
):
    from outcomes.own_record import open_to_own_record

    client = client_for(person_user)
    checked = 0
    for path in sorted(set(_example_paths())):
        if open_to_own_record(path):
            continue
        assert client.get(path).status_code == 404, path
        checked += 1
    assert checked > 40


STAFF_SIDE = ["/outcomes/", "/teams/", "/values/", "/api/v1/stories/"]


def _refused_everywhere(client) -> None:
    from values.models import Story

    for url in STAFF_SIDE:
        assert client.get(url).status_code in (302, 401, 403, 404), url
    response = client.post(
        "/api/v1/stories/", {"title": "Mine", "body": "Not staff"}, content_type="application/json"
    )
    assert response.status_code in (401, 403, 404)
    assert not Story.objects.exists()


def test_family_whose_consent_is_withdrawn_cannot_sign_in_or_reach_staff_pages(
    client, client_for, member, person, family_user
):
    from outcomes.models import Consent
    from tests.factories import PASSWORD

    consent = Consent.objects.get(access__user=family_user)
    staff = client_for(member)
    staff.post(reverse("outcomes:consent_withdraw", args=[person.pk, consent.pk]))
    staff.logout()

    family_user.refresh_from_db()
    assert not family_user.is_active
    assert not client.login(email=family_user.email, password=PASSWORD)
    client.force_login(family_user)  # a session from before: it no longer signs anyone in
    _refused_everywhere(client)


def test_family_whose_sign_in_is_ended_cannot_sign_in_or_reach_staff_pages(
    client, client_for, member, person, family_user, person_user
):
    from outcomes.models import PersonAccess
    from tests.factories import PASSWORD

    access = PersonAccess.objects.get(user=family_user)
    client_for(member).post(reverse("outcomes:access_revoke", args=[person.pk, access.pk]))
    client.logout()

    family_user.refresh_from_db()
    person_user.refresh_from_db()
    assert not family_user.is_active
    assert person_user.is_active  # Peggy's own sign-in is untouched
    assert not client.login(email=family_user.email, password=PASSWORD)
    _refused_everywhere(client)


def test_a_record_only_account_still_active_after_access_ended_stays_off_the_staff_side(
    client_for, family_user
):
    """Belt and braces: however its access ended, such an account never counts as staff."""
    from django.utils import timezone

    from outcomes.models import PersonAccess

    PersonAccess.objects.filter(user=family_user).update(revoked_at=timezone.now())
    _refused_everywhere(client_for(family_user))


def test_a_worker_whose_family_access_ends_keeps_their_account(client_for, member, person):
    from outcomes.models import PersonAccess, Relationship
    from outcomes.services.access import person_access_revoke
    from tests.outcomes.factories import PersonAccessFactory

    PersonAccessFactory(person=person, user=member, relationship=Relationship.FAMILY)
    person_access_revoke(access=PersonAccess.objects.get(user=member))
    member.refresh_from_db()
    assert member.is_active
    assert client_for(member).get("/outcomes/").status_code == 200


def _layout_links(page: str) -> list[str]:
    """Every address the header and footer of a page link to (what is not the page itself)."""
    import re

    layout = page.split('id="maincontent"')[0] + page.split("</main>")[-1]
    return sorted(set(re.findall(r'href="(/[^"]*)"', layout)))


@pytest.mark.parametrize("who", ["person_user", "family_user"])
def test_every_page_the_header_and_footer_link_to_opens_for_the_person(
    request, client_for, record, who
):
    client = client_for(request.getfixturevalue(who))
    page = client.get(reverse("outcomes:own_person", args=[record["person"].pk])).content.decode()
    links = _layout_links(page)
    assert "/privacy/" in links
    for url in links:
        assert client.get(url).status_code < 400, url
    privacy = client.get("/privacy/").content.decode()
    assert "Page not found" not in privacy
    assert "<h1" in privacy
