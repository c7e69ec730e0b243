"""Every address of a team's own pages, read from the URL configuration itself, refuses anyone
outside the team with "not found", and never reaches another team's record through this
team's address. A new page is covered the moment it is added (its record only needs naming in
`records` below)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, reverse

from teams import urls as team_urls
from teams.models import Action, Advice, CheckIn, Decision, Pulse, Role, RoleAssignment
from tests.factories import (
    ActionFactory,
    CheckInFactory,
    DecisionFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    RoleFactory,
    UserFactory,
)
from tests.teams.conftest import run_pulse

pytestmark = pytest.mark.django_db

# What each address's ids name: the team (`pk`) and one record of it.
KINDS = {
    "role_pk",
    "assignment_pk",
    "membership_pk",
    "checkin_pk",
    "action_pk",
    "pulse_pk",
    "decision_pk",
}
# Whatever a careless request might post to any of them.
EVERYTHING = {
    "name": "x",
    "purpose": "x",
    "text": "Taken over",
    "status": "done",
    "weeks": "2",
    "planned_for": "2030-01-01",
    "held_on": "2026-01-01",
    "review_on": "2030-01-01",
    "outcome": "x",
    "chosen_how": "volunteered",
}


def _team_addresses() -> list[URLPattern]:
    """The team's own pages (the rota, included from its own module, has its own tests)."""
    return [
        pattern
        for pattern in team_urls.urlpatterns
        if isinstance(pattern, URLPattern) and str(pattern.pattern).startswith("<int:pk>/")
    ]


def _records(team, people) -> dict[str, int]:
    role = RoleFactory(team=team)
    checkin = CheckInFactory(team=team)
    decision = DecisionFactory(team=team, proposer=people[0])
    return {
        "role_pk": role.pk,
        "assignment_pk": RoleAssignmentFactory(
            role=role, membership=people[0].memberships.get()
        ).pk,
        "membership_pk": people[0].memberships.get().pk,
        "checkin_pk": checkin.pk,
        "action_pk": ActionFactory(checkin=checkin).pk,
        "pulse_pk": run_pulse(team, people, [3, 3, 3], close=False).pk,
        "decision_pk": decision.pk,
    }


def _url(pattern: URLPattern, team_pk: int, records: dict[str, int]) -> str:
    kinds = [name for name in pattern.pattern.converters if name != "pk"]
    assert set(kinds) <= KINDS, f"name the record behind {pattern.name}'s {kinds}"
    return reverse(
        f"teams:{pattern.name}", kwargs={"pk": team_pk, **{k: records[k] for k in kinds}}
    )


def _snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Action, Advice, CheckIn, Decision, Pulse, Role, RoleAssignment)
    ]


def test_the_team_pages_are_many_and_all_covered():
    names = {pattern.name for pattern in _team_addresses()}
    assert {"roles", "checkin_new", "pulse_answer", "decision_decide", "member"} <= names
    assert len(names) >= 25


def test_every_team_page_is_not_found_for_anyone_outside_the_team(
    client_for, team, crew, other_member, outsider, other_team
):
    records = _records(team, crew)
    other_coach = UserFactory(with_mfa=True)
    other_team.coach = other_coach
    other_team.save()
    before = _snapshot()
    for user in (other_member, outsider, other_coach):
        client = client_for(user)
        for pattern in _team_addresses():
            url = _url(pattern, team.pk, records)
            assert client.get(url).status_code in {404, 405}, (user, pattern.name)
            assert client.post(url, EVERYTHING).status_code == 404, (user, pattern.name)
    assert _snapshot() == before, "nothing was changed"


def test_no_team_page_reaches_another_teams_record_through_this_teams_address(
    client_for, team, crew, coach, admin, other_team
):
    others = [MembershipFactory(team=other_team).user for _ in range(3)]
    foreign = _records(other_team, others)
    before = _snapshot()
    for user in (crew[0], coach, admin):
        client = client_for(user)
        for pattern in _team_addresses():
            if not set(pattern.pattern.converters) - {"pk"}:
                continue
            url = _url(pattern, team.pk, foreign)
            assert client.get(url).status_code in {404, 405}, (user, pattern.name)
            assert client.post(url, EVERYTHING).status_code == 404, (user, pattern.name)
    assert _snapshot() == before, "nothing of the other team was changed"
