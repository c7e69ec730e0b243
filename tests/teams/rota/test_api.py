"""The rota API: the same rules and permissions as the pages, in the API's error format."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from teams.models import Offer, Skill, Visit, VisitAssignment
from teams.rota import swaps
from tests import factories
from tests.teams.rota.conftest import at, visit_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_solver(settings):
    settings.ROTA_SUGGEST_SECONDS = 2
    settings.ROTA_SUGGEST_WORKERS = 1


def test_visits_are_listed_a_week_at_a_time_with_their_workers(client_for, member, person, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    visit_at(person, monday + timedelta(days=7), 8, assigned=[member])
    body = client_for(member).get("/api/v1/rota/visits/", {"week": monday}).json()
    [row] = body["results"]
    assert row["id"] == visit.pk
    assert row["workers"] == [{"id": member.pk, "display_name": "Mina Member"}]
    assert row["person_name"] == "Peggy"


def test_another_teams_member_sees_none_of_this_teams_rota(
    client_for, other_member, member, person, monday, team
):
    visit = visit_at(person, monday, 8, assigned=[member])
    offer = swaps.offer_make(by=member, visit=visit)
    client = client_for(other_member)
    assert client.get("/api/v1/rota/visits/", {"week": monday}).json()["results"] == []
    assert client.get(f"/api/v1/rota/visits/{visit.pk}/").status_code == 404
    assert (
        client.post(
            f"/api/v1/rota/visits/{visit.pk}/assign/", {"worker": other_member.pk}
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/rota/offers/{offer.pk}/accept/").status_code == 404
    assert client.get("/api/v1/rota/offers/").json()["results"] == []
    response = client.post(
        "/api/v1/rota/visits/",
        {
            "team": team.pk,
            "person": person.pk,
            "start": at(monday, 9).isoformat(),
            "end": at(monday, 10).isoformat(),
            "care": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert (
        client.post("/api/v1/rota/published-weeks/", {"team": team.pk, "week": monday}).status_code
        == 400
    )
    assert Offer.objects.get().is_open
    assert Visit.objects.count() == 1


def test_signed_out_callers_are_refused(client):
    assert client.get("/api/v1/rota/visits/").status_code in (401, 403)


def test_a_visit_is_created_and_a_refused_assignment_says_why(
    client_for, member, colleague, team, person, monday
):
    client = client_for(member)
    hoist = Skill.objects.create(name="Hoist")
    response = client.post(
        "/api/v1/rota/visits/",
        {
            "team": team.pk,
            "person": person.pk,
            "start": at(monday, 9).isoformat(),
            "end": at(monday, 10).isoformat(),
            "care": "Getting up",
            "skills": [hoist.pk],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    visit_id = response.json()["id"]
    refused = client.post(f"/api/v1/rota/visits/{visit_id}/assign/", {"worker": colleague.pk})
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Cal does not have the skills this visit needs: Hoist."}
    hoist.holders.add(colleague.memberships.get())
    done = client.post(f"/api/v1/rota/visits/{visit_id}/assign/", {"worker": colleague.pk})
    assert done.status_code == 200
    assert [w["id"] for w in done.json()["workers"]] == [colleague.pk]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "yesterday", "end": "2026-01-01T10:00Z", "care": "x"}, "start"),
        (
            {
                "start": "2026-01-01T10:00Z",
                "end": "2026-01-01T11:00Z",
                "care": "x",
                "workers_needed": 3,
            },
            "workers_needed",
        ),
        ({"start": "2026-01-01T10:00Z", "end": "2026-01-01T11:00Z"}, "care"),
    ],
)
def test_bad_visits_are_400_with_field_errors(client_for, member, team, person, body, field):
    response = client_for(member).post(
        "/api/v1/rota/visits/",
        {"team": team.pk, "person": person.pk, **body},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in response.json()


def test_a_visit_ending_before_it_starts_is_400_with_the_reason(
    client_for, member, team, person, monday
):
    response = client_for(member).post(
        "/api/v1/rota/visits/",
        {
            "team": team.pk,
            "person": person.pk,
            "start": at(monday, 10).isoformat(),
            "end": at(monday, 9).isoformat(),
            "care": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The end must be after the start."}


@pytest.mark.parametrize(
    "query", [{"week": "soon"}, {"week": "0001-01-01"}, {"team": "x"}, {"team": "9" * 30}]
)
def test_bad_query_strings_are_400(client_for, member, query):
    assert client_for(member).get("/api/v1/rota/visits/", query).status_code == 400


def test_taking_an_offer_already_taken_is_409(client_for, member, colleague, team, person, monday):
    third = factories.MembershipFactory(team=team).user
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    assert client_for(third).post(f"/api/v1/rota/offers/{offer.pk}/accept/").status_code == 200
    response = client_for(colleague).post(f"/api/v1/rota/offers/{offer.pk}/accept/")
    assert response.status_code == 409
    assert response.json() == {"detail": "Someone else has already taken this."}


def test_offering_through_the_api(client_for, member, colleague, person, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    response = client_for(member).post(
        "/api/v1/rota/offers/", {"visit": visit.pk, "offered_to": colleague.pk}
    )
    assert response.status_code == 201
    assert (
        client_for(colleague)
        .post(f"/api/v1/rota/offers/{response.json()['id']}/accept/")
        .status_code
        == 200
    )
    assert VisitAssignment.objects.get(visit=visit).worker == colleague


def test_a_worker_records_their_visit(client_for, member, person):
    start = timezone.now() - timedelta(hours=2)
    visit = factories.VisitFactory(person=person, start=start, assigned=[member])
    response = client_for(member).post(
        f"/api/v1/rota/visits/{visit.pk}/record/",
        {"outcome": "missed", "reason": "In hospital"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "missed"


def test_suggest_and_take_them_all(client_for, member, team, person, monday):
    visit = visit_at(person, monday, 8)
    client = client_for(member)
    created = client.post("/api/v1/rota/suggestions/", {"team": team.pk, "week_starts_on": monday})
    assert created.status_code == 201
    body = created.json()
    [proposal] = body["proposals"]
    assert proposal["visit"] == visit.pk
    decided = client.post(
        f"/api/v1/rota/suggestions/{body['id']}/decide/",
        {"accept": [proposal["id"]]},
        content_type="application/json",
    )
    assert decided.json()["proposals"][0]["decision"] == "accepted"
    assert VisitAssignment.objects.get(visit=visit).worker == member


def test_publish_a_week(client_for, member, team, monday):
    client = client_for(member)
    assert (
        client.post("/api/v1/rota/published-weeks/", {"team": team.pk, "week": monday}).status_code
        == 201
    )
    again = client.post("/api/v1/rota/published-weeks/", {"team": team.pk, "week": monday})
    assert again.status_code == 409


def test_generate_from_patterns_and_set_availability(client_for, member, team, person, monday):
    client = client_for(member)
    pattern = client.post(
        "/api/v1/rota/patterns/",
        {
            "person": person.pk,
            "weekdays": "135",
            "starts_at": "08:00",
            "ends_at": "08:30",
            "care": "Breakfast",
            "valid_from": monday,
        },
    )
    assert pattern.status_code == 201, pattern.json()
    made = client.post(
        "/api/v1/rota/patterns/generate/",
        {"team": team.pk, "first_day": monday, "last_day": monday + timedelta(days=6)},
    )
    assert made.json() == {"created": 3}
    windows = client.post(
        "/api/v1/rota/availability/",
        {"team": team.pk, "windows": [{"weekday": 1, "starts_at": "07:00", "ends_at": "13:00"}]},
        content_type="application/json",
    )
    assert windows.status_code == 201
    assert client.get("/api/v1/rota/availability/").json() == [
        {
            "team": team.pk,
            "windows": [{"weekday": 1, "starts_at": "07:00:00", "ends_at": "13:00:00"}],
        }
    ]


def test_the_visit_list_runs_fixed_queries(
    client_for, member, colleague, team, person, monday, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member)
    visit_at(person, monday, 8, assigned=[member])
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/rota/visits/", {"week": monday})
    for day in range(7):
        for hour in (7, 12, 18):
            visit_at(
                person,
                monday + timedelta(days=day),
                hour,
                assigned=[member, colleague],
                workers_needed=2,
            )
    with django_assert_num_queries(len(small)):
        assert client.get("/api/v1/rota/visits/", {"week": monday}).json()["count"] == 22


def test_another_teams_member_can_neither_read_nor_change_patterns_shifts_time_off_or_suggestions(
    client_for, other_member, member, team, person, monday
):
    from teams.models import Shift, Suggestion, TimeOff, VisitPattern
    from teams.rota import services

    pattern = services.pattern_create(
        person=person, weekdays="1", starts_at=time(8), ends_at=time(9), care="x", by=member
    )
    shift = factories.ShiftFactory(team=team, worker=member, start=at(monday, 18))
    leave = TimeOff.objects.create(
        team=team,
        worker=member,
        first_day=monday + timedelta(days=3),
        last_day=monday + timedelta(days=4),
    )
    visit = visit_at(person, monday, 8, assigned=[member])
    suggestion = services.suggestion_create(team=team, monday=monday, by=member, seconds=1)
    client = client_for(other_member)
    week = {"week": monday}
    for path in ("patterns", "time-off", "suggestions", "offers"):
        assert client.get(f"/api/v1/rota/{path}/").json()["results"] == [], path
    assert client.get("/api/v1/rota/shifts/", week).json()["results"] == []
    assert [m["team"] for m in client.get("/api/v1/rota/availability/").json()] == [
        other_member.memberships.get().team_id
    ]
    refused = [
        client.get(f"/api/v1/rota/patterns/{pattern.pk}/"),
        client.patch(
            f"/api/v1/rota/patterns/{pattern.pk}/", {"care": "y"}, content_type="application/json"
        ),
        client.get(f"/api/v1/rota/shifts/{shift.pk}/"),
        client.delete(f"/api/v1/rota/shifts/{shift.pk}/?reason=x"),
        client.delete(f"/api/v1/rota/time-off/{leave.pk}/"),
        client.get(f"/api/v1/rota/suggestions/{suggestion.pk}/"),
        client.post(
            f"/api/v1/rota/suggestions/{suggestion.pk}/decide/",
            {"accept": list(suggestion.proposals.values_list("pk", flat=True))},
            content_type="application/json",
        ),
        client.patch(
            f"/api/v1/rota/visits/{visit.pk}/",
            {"care": "y", "reason": "x"},
            content_type="application/json",
        ),
        client.post(f"/api/v1/rota/visits/{visit.pk}/record/", {"outcome": "done"}),
        client.post(f"/api/v1/rota/visits/{visit.pk}/cancel/", {"reason": "x"}),
        client.post(f"/api/v1/rota/visits/{visit.pk}/unassign/", {"worker": member.pk}),
    ]
    assert [response.status_code for response in refused] == [404] * len(refused)
    made_for_team = [
        client.post(
            "/api/v1/rota/patterns/",
            {
                "person": person.pk,
                "weekdays": "2",
                "starts_at": "08:00",
                "ends_at": "09:00",
                "care": "x",
            },
        ),
        client.post(
            "/api/v1/rota/patterns/generate/",
            {"team": team.pk, "first_day": monday, "last_day": monday + timedelta(days=6)},
        ),
        client.post(
            "/api/v1/rota/shifts/",
            {
                "team": team.pk,
                "worker": other_member.pk,
                "kind": "training",
                "start": at(monday, 9).isoformat(),
                "end": at(monday, 10).isoformat(),
            },
        ),
        client.post(
            "/api/v1/rota/time-off/",
            {
                "team": team.pk,
                "worker": member.pk,
                "kind": "holiday",
                "first_day": monday,
                "last_day": monday,
            },
        ),
        client.post(
            "/api/v1/rota/availability/",
            {"team": team.pk, "windows": []},
            content_type="application/json",
        ),
        client.post("/api/v1/rota/suggestions/", {"team": team.pk, "week_starts_on": monday}),
        client.post("/api/v1/rota/offers/", {"visit": visit.pk}),
    ]
    assert [response.status_code for response in made_for_team] == [400] * len(made_for_team)
    # Nothing of the team's rota changed on the way.
    assert VisitPattern.objects.get().care == "x"
    assert Shift.objects.filter(pk=shift.pk).exists()
    assert TimeOff.objects.count() == 1
    assert Suggestion.objects.get().status == Suggestion.Status.PROPOSED
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.PLANNED
    assert Visit.objects.count() == 1
    assert VisitAssignment.objects.get().worker == member
    assert not Offer.objects.exists()


def test_where_the_team_names_coordinators_a_member_still_swaps_and_records_but_does_not_plan(
    client_for, member, colleague, team, person, monday
):
    from teams.models import RotaSettings

    RotaSettings.objects.create(team=team).coordinators.add(colleague)
    client = client_for(member)
    refused = client.post(
        "/api/v1/rota/visits/",
        {
            "team": team.pk,
            "person": person.pk,
            "start": at(monday, 9).isoformat(),
            "end": at(monday, 10).isoformat(),
            "care": "x",
        },
    )
    assert refused.status_code == 403
    assert "rota coordinators" in refused.json()["detail"]
    publish = client.post("/api/v1/rota/published-weeks/", {"team": team.pk, "week": monday})
    assert publish.status_code == 403
    visit = visit_at(person, monday, 8, assigned=[member])
    assert client.post("/api/v1/rota/offers/", {"visit": visit.pk}).status_code == 201
    done = visit_at(person, timezone.localdate() - timedelta(days=1), 8, assigned=[member])
    assert (
        client.post(f"/api/v1/rota/visits/{done.pk}/record/", {"outcome": "done"}).status_code
        == 200
    )
    assert (
        client_for(colleague)
        .post("/api/v1/rota/published-weeks/", {"team": team.pk, "week": monday})
        .status_code
        == 201
    )
