"""The teams API: roles, check-ins and actions, pulse results (aggregates only, same
threshold), decisions; the same permissions as the pages, one error shape, fixed queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from teams.models import Action, CheckIn, Decision, Pulse, PulseStatement, Role
from teams.pulse import services as pulse_services
from tests.factories import (
    ActionFactory,
    AdviceFactory,
    CheckInFactory,
    DecisionFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tests.teams.conftest import published_pulse, run_pulse
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
API = "/api/v1"


@pytest.fixture
def foreign(other_team):
    """Something of every kind in Riverside, which Northfield's people must never reach."""
    others = [MembershipFactory(team=other_team).user for _ in range(3)]
    role = RoleFactory(team=other_team)
    checkin = CheckInFactory(team=other_team)
    return {
        "roles": role,
        "role-assignments": RoleAssignmentFactory(
            role=role, membership=others[0].memberships.get()
        ),
        "checkins": checkin,
        "actions": ActionFactory(checkin=checkin),
        "pulses": run_pulse(other_team, others, [2, 2, 2]),
        "decisions": DecisionFactory(team=other_team, proposer=others[0]),
    }


# --- Who sees what ------------------------------------------------------------------------------


def test_nobody_reaches_another_teams_records_through_the_api(client_for, member, coach, foreign):
    for user in (member, coach):
        client = client_for(user)
        for endpoint, record in foreign.items():
            assert client.get(f"{API}/{endpoint}/").json()["results"] == [], (user, endpoint)
            assert client.get(f"{API}/{endpoint}/{record.pk}/").status_code == 404, endpoint
    client = client_for(member)
    for url, body in [
        (f"{API}/role-assignments/{foreign['role-assignments'].pk}/end/", {}),
        (
            f"{API}/role-assignments/{foreign['role-assignments'].pk}/review/",
            {"review_on": "2030-01-01"},
        ),
        (f"{API}/actions/{foreign['actions'].pk}/status/", {"status": "done"}),
        (f"{API}/pulses/{foreign['pulses'].pk}/answer/", {"ratings": {}}),
        (f"{API}/decisions/{foreign['decisions'].pk}/advice/", {"text": "Hello"}),
        (
            f"{API}/decisions/{foreign['decisions'].pk}/decide/",
            {"outcome": "x", "review_on": "2030-01-01"},
        ),
        (f"{API}/decisions/{foreign['decisions'].pk}/withdraw/", {}),
    ]:
        assert client.post(url, body, content_type="application/json").status_code == 404, url
    foreign["actions"].refresh_from_db()
    assert foreign["actions"].status == "open"


def test_nothing_can_be_created_in_a_team_the_user_does_not_see(client_for, member, other_team):
    client = client_for(member)
    for endpoint, body in [
        ("roles", {"team": other_team.pk, "name": "Spy", "purpose": "x"}),
        ("checkins", {"team": other_team.pk, "held_on": TODAY().isoformat()}),
        (
            "decisions",
            {
                "team": other_team.pk,
                "title": "x",
                "proposal": "x",
                "affected": "x",
                "advisors": [member.pk],
                "advice_by": TODAY().isoformat(),
            },
        ),
    ]:
        response = client.post(f"{API}/{endpoint}/", body, content_type="application/json")
        assert response.status_code == 400, endpoint
        assert "team" in response.json()
    assert not Role.objects.exists()
    assert not Decision.objects.exists()


def test_outsiders_and_anonymous_callers_get_nothing(client, client_for, outsider, foreign):
    for endpoint in foreign:
        assert client.get(f"{API}/{endpoint}/").status_code == 401
    outsider_client = client_for(outsider)
    for endpoint in foreign:
        assert outsider_client.get(f"{API}/{endpoint}/").json()["results"] == []


def test_admins_see_every_team(client_for, admin, foreign):
    client = client_for(admin)
    for endpoint, record in foreign.items():
        assert client.get(f"{API}/{endpoint}/{record.pk}/").status_code == 200, endpoint


def test_bad_filters_are_400s_with_the_field_named(client_for, member):
    client = client_for(member)
    for url, field in [
        (f"{API}/roles/?team=abc", "team"),
        (f"{API}/actions/?status=lost", "status"),
        (f"{API}/decisions/?status=lost", "status"),
        (f"{API}/pulses/?team=99999999999999999", "team"),
    ]:
        response = client.get(url)
        assert response.status_code == 400, url
        assert field in response.json(), url


# --- Roles ---------------------------------------------------------------------------------------


def test_roles_with_their_holders_and_gaps(client_for, member, team):
    held = RoleFactory(team=team, name="Informer")
    RoleAssignmentFactory(role=held, membership=member.memberships.get())
    RoleFactory(team=team, name="Planner")
    body = client_for(member).get(f"{API}/roles/?team={team.pk}").json()
    roles = {row["name"]: row for row in body["results"]}
    assert [h["member"] for h in roles["Informer"]["holders"]] == ["Mina Member"]
    assert roles["Planner"]["holders"] == []
    assert roles["Informer"]["accountabilities"] == ["One thing", "Another thing"]


def test_a_role_is_created_given_and_handed_back_through_the_api(client_for, member, team):
    client = client_for(member)
    created = client.post(
        f"{API}/roles/",
        {"team": team.pk, "name": "Buddy", "purpose": "Welcomes"},
        content_type="application/json",
    )
    assert created.status_code == 201
    role_id = created.json()["id"]
    again = client.post(
        f"{API}/roles/",
        {"team": team.pk, "name": "buddy", "purpose": "x"},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json() == {"detail": "Northfield already has a role called buddy."}
    given = client.post(
        f"{API}/role-assignments/",
        {"role": role_id, "membership": member.memberships.get().pk, "chosen_how": "volunteered"},
        content_type="application/json",
    )
    assert given.status_code == 201
    term_id = given.json()["id"]
    reviewed = client.post(
        f"{API}/role-assignments/{term_id}/review/",
        {"review_on": (TODAY() + timedelta(days=90)).isoformat()},
        content_type="application/json",
    )
    assert reviewed.status_code == 200
    ended = client.post(
        f"{API}/role-assignments/{term_id}/end/", {}, content_type="application/json"
    )
    assert ended.json()["ended"] == TODAY().isoformat()
    twice = client.post(
        f"{API}/role-assignments/{term_id}/end/", {}, content_type="application/json"
    )
    assert twice.status_code == 400
    assert twice.json() == {"detail": "This term has already ended."}


# --- Check-ins and actions -----------------------------------------------------------------------


def test_the_coach_records_a_check_in_with_actions_through_the_api(client_for, coach, member, team):
    response = client_for(coach).post(
        f"{API}/checkins/",
        {
            "team": team.pk,
            "held_on": TODAY().isoformat(),
            "attendees": [member.pk, coach.pk],
            "brought": "Workload",
            "actions": [
                {
                    "text": "Swap Tuesdays",
                    "owner": member.pk,
                    "due_on": (TODAY() + timedelta(days=9)).isoformat(),
                },
                {"text": "Team day", "due_on": (TODAY() + timedelta(days=30)).isoformat()},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert sorted(a["text"] for a in body["actions"]) == ["Swap Tuesdays", "Team day"]
    assert body["coach"] == "Cora Coach"
    mine = client_for(member).get(f"{API}/actions/?mine=1").json()["results"]
    assert [a["text"] for a in mine] == ["Swap Tuesdays"]


def test_a_member_cannot_record_a_check_in_and_broken_rules_are_400s(
    client_for, member, coach, team, other_member
):
    response = client_for(member).post(
        f"{API}/checkins/",
        {"team": team.pk, "held_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client_for(coach).post(
        f"{API}/checkins/",
        {
            "team": team.pk,
            "held_on": TODAY().isoformat(),
            "actions": [{"text": "x", "owner": other_member.pk, "due_on": TODAY().isoformat()}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "owner" in str(response.json())
    assert "Otto" not in response.content.decode(), "an id never reveals a stranger's name"
    assert not CheckIn.objects.filter(held_on__isnull=False).exists()


def test_an_id_from_another_team_is_refused_without_saying_whose_or_what_it_is(
    client_for, coach, member, team, other_member, foreign
):
    """Through the API a person or a record of another team "does not exist": the error never
    names the person nor confirms that the pulse, decision or action is there."""
    decision = client_for(member).post(
        f"{API}/decisions/",
        {
            "team": team.pk,
            "title": "x",
            "proposal": "x",
            "affected": "x",
            "advisors": [other_member.pk],
            "advice_by": TODAY().isoformat(),
        },
        content_type="application/json",
    )
    assert decision.status_code == 400
    assert "advisors" in decision.json()
    assert "Otto" not in decision.content.decode()
    held = {"team": team.pk, "held_on": TODAY().isoformat()}
    for field, value in [
        ("attendees", [other_member.pk]),
        ("pulse", foreign["pulses"].pk),
        ("decisions", [foreign["decisions"].pk]),
        ("actions_done", [foreign["actions"].pk]),
    ]:
        response = client_for(coach).post(
            f"{API}/checkins/", {**held, field: value}, content_type="application/json"
        )
        assert response.status_code == 400, field
        assert field in response.json(), field
        assert "another team" not in response.content.decode(), field
        assert "Otto" not in response.content.decode(), field
    assert not Decision.objects.filter(team=team).exists()
    assert not CheckIn.objects.filter(team=team).exists()
    foreign["actions"].refresh_from_db()
    assert foreign["actions"].status == "open"


def test_actions_are_closed_and_overdue_ones_say_so(client_for, member, team):
    late = ActionFactory(checkin=CheckInFactory(team=team), due_on=TODAY() - timedelta(days=3))
    client = client_for(member)
    row = client.get(f"{API}/actions/{late.pk}/").json()
    assert row["overdue"] is True
    done = client.post(
        f"{API}/actions/{late.pk}/status/", {"status": "done"}, content_type="application/json"
    )
    assert done.json()["status"] == "done"
    assert done.json()["overdue"] is False
    bad = client.post(
        f"{API}/actions/{late.pk}/status/", {"status": "gone"}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "status" in bad.json()


# --- The pulse: aggregates only ------------------------------------------------------------------


def test_pulse_results_are_withheld_while_open_and_below_the_threshold(
    client_for, team, crew, coach, settings
):
    settings.PULSE_MIN_RESPONSES = 3
    thin = run_pulse(team, crew, [1, 5], opened=timezone.now() - timedelta(days=30))
    open_pulse = run_pulse(team, crew, [4, 4, 4], close=False)
    client = client_for(coach)
    for pulse in (thin, open_pulse):
        body = client.get(f"{API}/pulses/{pulse.pk}/").json()
        assert body["published"] is False
        assert body["overall"] is None
        assert body["results"] is None
        assert body["responses"] is None
    assert client.get(f"{API}/pulses/{open_pulse.pk}/").json()["answered"] == 3
    assert client.get(f"{API}/pulses/{thin.pk}/").json()["answered"] is None


def test_published_results_are_averages_with_trends_and_never_answers(
    client_for, team, crew, coach
):
    now = timezone.now()
    run_pulse(team, crew, [4, 4, 4], opened=now - timedelta(days=60))
    latest = run_pulse(
        team, crew, [3, 3, 2], opened=now - timedelta(days=20), comments=["Private words"]
    )
    client = client_for(crew[0])
    detail = client.get(f"{API}/pulses/{latest.pk}/")
    body = detail.json()
    assert body["overall"] == "2.67"
    assert body["responses"] == 3
    workload = next(r for r in body["results"] if r["key"] == "workload")
    assert workload == {
        "key": "workload",
        "text": "Our workload is manageable.",
        "mean": "2.67",
        "words": "Neither agree nor disagree",
        "trend": "down",
    }
    listed = client.get(f"{API}/pulses/?team={team.pk}").json()["results"]
    assert [row["overall"] for row in listed] == ["2.67", "4.00"]
    assert listed[0]["results"][0]["trend"] == "down"
    for text in (detail.content.decode(), str(listed)):
        assert "Private words" not in text
        for person in crew:
            assert person.display_name not in text


def test_a_member_answers_once_through_the_api(client_for, team, crew, coach):
    pulse = pulse_services.pulse_open(team=team)
    ratings = {s.key: 4 for s in PulseStatement.objects.filter(active=True)}
    client = client_for(crew[0])
    url = f"{API}/pulses/{pulse.pk}/answer/"
    first = client.post(
        url, {"ratings": ratings, "comments": {"workload": "Busy"}}, content_type="application/json"
    )
    assert first.status_code == 201
    second = client.post(url, {"ratings": ratings}, content_type="application/json")
    assert second.status_code == 400
    assert second.json() == {"detail": "You have already answered this pulse. Thank you."}
    assert (
        client_for(coach)
        .post(url, {"ratings": ratings}, content_type="application/json")
        .status_code
        == 403
    )
    bad = client_for(crew[1]).post(
        url, {"ratings": {**ratings, "workload": 9, "made-up": 3}}, content_type="application/json"
    )
    assert bad.status_code == 400
    unknown = client_for(crew[1]).post(
        url, {"ratings": {**ratings, "made-up": 3}}, content_type="application/json"
    )
    assert unknown.status_code == 400
    assert "made-up" in str(unknown.json())


# --- Decisions -----------------------------------------------------------------------------------


def test_the_advice_process_through_the_api(client_for, team, crew):
    proposer, ben, *_ = crew
    client = client_for(proposer)
    created = client.post(
        f"{API}/decisions/",
        {
            "team": team.pk,
            "title": "Thursday team meetings",
            "proposal": "Move the meeting",
            "affected": "All of us",
            "advisors": [ben.pk],
            "advice_by": (TODAY() + timedelta(days=5)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    decision_id = created.json()["id"]
    assert created.json()["advice_asked_of"] == ["Ben Colleague"]
    assert OutboxEmail.objects.filter(to=ben.email).exists()
    advised = client_for(ben).post(
        f"{API}/decisions/{decision_id}/advice/",
        {"text": "Yes please"},
        content_type="application/json",
    )
    assert advised.json()["advice"][0]["text"] == "Yes please"
    refused = client_for(ben).post(
        f"{API}/decisions/{decision_id}/decide/",
        {"outcome": "x", "review_on": "2030-01-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    client = client_for(proposer)
    decided = client.post(
        f"{API}/decisions/{decision_id}/decide/",
        {
            "outcome": "Thursdays from March",
            "review_on": (TODAY() + timedelta(days=90)).isoformat(),
        },
        content_type="application/json",
    )
    assert decided.json()["status"] == "decided"
    found = client.get(f"{API}/decisions/?q=thursday&status=decided").json()["results"]
    assert [row["id"] for row in found] == [decision_id]


# --- Fixed queries -------------------------------------------------------------------------------


def test_every_list_endpoint_runs_a_fixed_number_of_queries(
    client_for, coach, team, crew, assert_fixed_queries
):
    client = client_for(coach)
    published_pulse(team, 3.5, opened=timezone.now() - timedelta(days=90))

    def grow():
        now = timezone.now()
        for n in range(8):
            role = RoleFactory(team=team)
            RoleAssignmentFactory(role=role, membership=crew[n % 4].memberships.get())
            checkin = CheckInFactory(team=team, held_on=TODAY() - timedelta(days=n))
            checkin.attendees.set(crew[:3])
            ActionFactory.create_batch(2, checkin=checkin, owner=crew[n % 4])
            published_pulse(team, 3.0 + n / 10, opened=now - timedelta(days=100 + 30 * n))
            decision = DecisionFactory(team=team, proposer=crew[n % 4])
            AdviceFactory(decision=decision, given_by=crew[0])
        pulse_services.pulse_open(team=team)

    for endpoint in ["roles", "role-assignments", "checkins", "actions", "pulses", "decisions"]:
        RoleFactory(team=team)
        RoleAssignmentFactory(role=RoleFactory(team=team), membership=crew[0].memberships.get())
        ActionFactory(checkin=CheckInFactory(team=team), owner=crew[0])
        DecisionFactory(team=team, proposer=crew[0])
        count = assert_fixed_queries(
            lambda e=endpoint: client.get(f"{API}/{e}/?team={team.pk}"), grow, most=15
        )
        print(f"api {endpoint}: {count} queries")  # noqa: T201
        for model in (Role, CheckIn, Action, Decision):
            model.objects.all().delete()
        Pulse.objects.exclude(opened_at__lt=timezone.now() - timedelta(days=89)).delete()


def test_the_api_schema_lists_the_teams_endpoints(client_for, admin):
    schema = client_for(admin).get("/api/schema/?format=json").json()
    for path in [
        "/api/v1/roles/",
        "/api/v1/checkins/",
        "/api/v1/pulses/{id}/answer/",
        "/api/v1/decisions/{id}/decide/",
    ]:
        assert path in schema["paths"], path
