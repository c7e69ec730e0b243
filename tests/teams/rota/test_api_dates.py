"""Dates at the edge of the calendar sent to the rota's API: a clear 400, never a 500."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EDGES = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("day", EDGES)
def test_time_off_on_a_day_off_the_calendar_is_a_400(client_for, member, team, day):
    response = client_for(member).post(
        "/api/v1/rota/time-off/",
        {
            "team": team.pk,
            "worker": member.pk,
            "kind": "holiday",
            "first_day": day,
            "last_day": day,
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("day", EDGES)
def test_a_visit_off_the_calendar_is_a_400(client_for, member, team, person, day):
    response = client_for(member).post(
        "/api/v1/rota/visits/",
        {
            "team": team.pk,
            "person": person.pk,
            "start": f"{day}T09:00:00Z",
            "end": f"{day}T10:00:00Z",
            "care": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("day", EDGES)
def test_a_shift_off_the_calendar_is_a_400(client_for, member, team, day):
    response = client_for(member).post(
        "/api/v1/rota/shifts/",
        {
            "team": team.pk,
            "worker": member.pk,
            "kind": "training",
            "start": f"{day}T09:00:00Z",
            "end": f"{day}T10:00:00Z",
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("day", EDGES)
def test_generating_visits_off_the_calendar_is_a_400(client_for, member, team, day):
    response = client_for(member).post(
        "/api/v1/rota/patterns/generate/",
        {"team": team.pk, "first_day": day, "last_day": day},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("day", EDGES)
def test_visits_listed_for_a_week_off_the_calendar_is_a_400(client_for, member, day):
    assert client_for(member).get("/api/v1/rota/visits/", {"week": day}).status_code == 400
