"""Who belongs where: setting up teams, members joining and leaving, people supported, and the
one answer to "does this user coach?"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from teams import permissions
from teams.models import Membership, Person, Team
from teams.services import TeamError, membership_end, membership_start, person_add, team_create
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_new_team_belongs_to_the_organisation_and_may_have_a_coach(coach):
    team = team_create(name="  Hillside ", locality=" Hillside estate ", coach=coach)
    assert (team.name, team.locality, team.coach) == ("Hillside", "Hillside estate", coach)
    assert permissions.coaches(coach, team)


def test_two_teams_cannot_share_a_name_whatever_the_case(team):
    with pytest.raises(TeamError, match="already a team called"):
        team_create(name=team.name.upper(), locality="Elsewhere")
    assert Team.objects.count() == 1


def test_a_member_who_leaves_keeps_their_history_and_loses_the_team(member, team):
    membership = Membership.objects.get(user=member, team=team)
    membership_end(membership=membership)
    membership.refresh_from_db()
    assert membership.left == timezone.localdate()
    assert not Membership.objects.current().filter(pk=membership.pk).exists()
    assert not permissions.can_view_team(member, team)


def test_nobody_leaves_a_team_before_they_joined_it(team):
    membership = MembershipFactory(team=team, joined=timezone.localdate())
    with pytest.raises(TeamError, match="before they joined"):
        membership_end(membership=membership, left=timezone.localdate() - timedelta(days=1))
    membership.refresh_from_db()
    assert membership.left is None


def test_someone_can_rejoin_a_team_they_left(member, team):
    membership_end(membership=Membership.objects.get(user=member, team=team))
    membership_start(team=team, user=member)
    assert Membership.objects.current().filter(user=member, team=team).count() == 1


def test_current_membership_starts_on_joining_and_ends_on_leaving(team):
    today = timezone.localdate()
    starting = MembershipFactory(team=team, joined=today + timedelta(days=1))
    leaving_today = MembershipFactory(team=team, joined=today - timedelta(days=9), left=today)
    staying = MembershipFactory(team=team, joined=today, left=today + timedelta(days=1))
    assert list(Membership.objects.current()) == [staying]
    assert list(Membership.objects.current(on=today + timedelta(days=1))) == [starting]
    assert not leaving_today.is_current
    assert staying.is_current


def test_a_person_supported_is_added_to_the_team_from_today(team, member):
    person = person_add(team=team, name=" Margaret Ellis ", preferred_name=" Peggy ")
    assert (person.name, person.known_as, person.started) == (
        "Margaret Ellis",
        "Peggy",
        timezone.localdate(),
    )
    assert person.status == Person.Status.ACTIVE
    assert permissions.get_person_for(member, person.pk) == person


def test_a_person_of_another_team_is_not_found(member, other_person):
    with pytest.raises(Http404):
        permissions.get_person_for(member, other_person.pk)


def test_coaches_answers_for_any_team_and_for_one_team(coach, team, other_team, member):
    assert permissions.coaches(coach)
    assert permissions.coaches(coach, team)
    assert not permissions.coaches(coach, other_team)
    assert not permissions.coaches(member)


def test_coach_users_are_exactly_those_who_coach_a_team(coach, member, admin):
    TeamFactory(name="Uncoached")
    assert list(permissions.coach_users()) == [coach]
    assert list(permissions.teams_coached_by(coach)) == list(Team.objects.filter(coach=coach))
    assert not permissions.teams_coached_by(UserFactory()).exists()
