"""Ids sent to the API: a stranger's id reveals nothing, an id is a whole number, and a list of
ids is bounded, so one request cannot keep the server busy for minutes."""

from __future__ import annotations

import pytest

from teams.models import Decision, Shift, TimeOff, VisitAssignment
from tests import factories
from tests.teams.rota.conftest import at, visit_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(other_team):
    return factories.MembershipFactory(team=other_team, user__display_name="Isaac Boateng").user


def test_another_teams_worker_is_an_unknown_id_never_a_name(
    client_for, member, person, team, monday, stranger
):
    visit = visit_at(person, monday, 8, assigned=[member])
    client = client_for(member)
    answers = [
        client.post(
            f"/api/v1/rota/visits/{visit.pk}/unassign/",
            {"worker": stranger.pk, "reason": "x"},
            content_type="application/json",
        ),
        client.post(
            "/api/v1/rota/shifts/",
            {
                "team": team.pk,
                "worker": stranger.pk,
                "kind": "meeting",
                "start": at(monday, 10).isoformat(),
                "end": at(monday, 11).isoformat(),
            },
            content_type="application/json",
        ),
        client.post(
            "/api/v1/rota/time-off/",
            {
                "team": team.pk,
                "worker": stranger.pk,
                "kind": "holiday",
                "first_day": monday.isoformat(),
                "last_day": monday.isoformat(),
            },
            content_type="application/json",
        ),
        client.post(
            "/api/v1/rota/offers/",
            {"visit": visit.pk, "offered_to": stranger.pk},
            content_type="application/json",
        ),
    ]
    for answer in answers:
        assert answer.status_code == 400
        assert "Isaac" not in answer.content.decode()
        assert "does not exist" in answer.content.decode()
    assert VisitAssignment.objects.filter(visit=visit, worker=member).exists()
    assert not Shift.objects.exists()
    assert not TimeOff.objects.exists()


@pytest.mark.parametrize("worker", [1.9, True, "1.0"])
def test_an_id_that_is_not_a_whole_number_is_refused_not_rounded(
    client_for, member, team, monday, worker
):
    response = client_for(member).post(
        "/api/v1/rota/shifts/",
        {
            "team": team.pk,
            "worker": worker,
            "kind": "meeting",
            "start": at(monday, 10).isoformat(),
            "end": at(monday, 11).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "worker" in response.json()
    assert not Shift.objects.exists()


def test_a_long_list_of_ids_is_refused_before_any_is_looked_up(
    client_for, member, team, django_assert_max_num_queries
):
    client = client_for(member)
    body = {
        "team": team.pk,
        "title": "New phones",
        "proposal": "Buy new phones",
        "affected": "Everyone",
        "advice_by": "2030-01-01",
        "advisors": [member.pk] * 10_000,
    }
    with django_assert_max_num_queries(15):
        response = client.post("/api/v1/decisions/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["advisors"] == ["Give at most 100 at once."]


def test_an_id_named_twice_in_a_list_counts_once(client_for, member, colleague, team):
    response = client_for(member).post(
        "/api/v1/decisions/",
        {
            "team": team.pk,
            "title": "New phones",
            "proposal": "Buy new phones",
            "affected": "Everyone",
            "advice_by": "2030-01-01",
            "advisors": [colleague.pk] * 60,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    decision = Decision.objects.get(pk=response.json()["id"])
    assert list(decision.advisors.all()) == [colleague]


def test_an_address_under_the_api_that_no_route_matches_answers_json(client_for, member):
    for path in ("/api/v1/stories/abc/", "/api/v1/rota/visits/1e3/", "/api/v1/nope/"):
        response = client_for(member).get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_your_availability_is_one_list_not_pages(client_for, member):
    body = client_for(member).get("/api/v1/rota/availability/").json()
    assert isinstance(body, list)
